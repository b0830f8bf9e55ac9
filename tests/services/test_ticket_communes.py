"""Tickets belong to the commune the question names; officers see theirs and unassigned ones."""

from __future__ import annotations

import pytest

from bot.db.engine import Database
from bot.services import handoff
from bot.services.communes import communes_named_in, unmapped_unit
from bot.services.reporting import ticket_in_scope
from tests.support.factories import Factory


@pytest.mark.parametrize(
    ("entity", "text", "profile", "expected"),
    [
        (None, "Tôi ở thôn 5 Đại Bình, mẹ tôi có được trợ cấp không?", None, "dam_ha"),
        ("Dực Yên", "nhà tôi ở đây", "dam_ha", "quang_tan"),  # the question wins
        (None, "tro cap bao nhieu", "quang_tan", "quang_tan"),  # else the profile
        (None, "huyện Đầm Hà có hỗ trợ không", None, None),  # the old district: ask
        (None, "Đầm Hà hay Quảng Tân cũng được", None, None),  # two: ask
        ("Quảng Lợi", "tôi ở Quảng Lợi", None, "quang_tan"),  # in Quảng Tân since 1/1/2020
    ],
)
def test_ticket_commune(
    entity: str | None, text: str, profile: str | None, expected: str | None
) -> None:
    assert handoff.ticket_commune(entity=entity, text=text, profile_commune=profile) == expected


def test_place_names_are_found_as_words_and_quang_loi_is_in_quang_tan() -> None:
    assert communes_named_in("xa duc yen") == {"quang_tan"}
    assert communes_named_in("Tân Bìnhh") == set()
    assert communes_named_in("tôi ở xã Quảng Lợi cũ") == {"quang_tan"}
    assert unmapped_unit("xã Quảng Lợi cũ") is None  # settled by NQ 1679 and the 2020 merger
    assert unmapped_unit("Quảng Tân") is None


async def test_officers_see_their_commune_and_unassigned_tickets(
    db: Database, factory: Factory
) -> None:
    now = factory.now
    async with db.transaction() as session:
        dam_ha, _ = await handoff.ask_officer(
            session, chat_id=1, text="thôn 5 Đại Bình", now=now, commune="dam_ha"
        )
        unknown, _ = await handoff.ask_officer(session, chat_id=2, text="cho hỏi", now=now)
        quang_tan, _ = await handoff.ask_officer(
            session, chat_id=3, text="Dực Yên", now=now, commune="quang_tan"
        )
    async with db.transaction() as session:
        seen = {v.ticket.id for v in await handoff.list_tickets(session, commune="dam_ha")}
        in_scope = [
            await ticket_in_scope(session, ticket_id=t.id, scope="dam_ha")
            for t in (dam_ha, unknown, quang_tan)
        ]
    assert seen == {dam_ha.id, unknown.id}
    assert [t is not None for t in in_scope] == [True, True, False]

    async with db.transaction() as session:
        assert (
            await handoff.set_ticket_commune(
                session, ticket_id=unknown.id, chat_id=999, commune="quang_tan", now=now
            )
            is None
        )  # not the presser's ticket
        chosen = await handoff.set_ticket_commune(
            session, ticket_id=unknown.id, chat_id=2, commune="quang_tan", now=now
        )
    assert chosen is not None
    async with db.transaction() as session:
        seen = {v.ticket.id for v in await handoff.list_tickets(session, commune="dam_ha")}
    assert seen == {dam_ha.id}
