"""Callback data: every button this package builds parses back; anything else is refused."""

from __future__ import annotations

import pytest

from bot.handlers import callbacks as cb


@pytest.mark.parametrize("prefix", [cb.MENU, cb.ANSWER, cb.GO, cb.CONSENT, cb.PRIVACY, cb.HANDOFF])
def test_every_known_button_round_trips(prefix: str) -> None:
    for value in cb._ALLOWED[prefix]:
        data = cb.build(prefix, value)
        assert len(data.encode()) <= cb.MAX_BYTES
        assert cb.parse(data) == cb.Callback(prefix, value)
        assert cb.pattern(prefix).match(data)


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "ANS|drop_table",
        "ANS|",
        "ANS",
        "MENU|housing|extra",
        "REG|event|5",  # the flows' prefix: not ours to parse
        "GO|reg:../../etc",
        "PRIV|erase_yes" + "x" * 60,
    ],
)
def test_unknown_or_forged_data_is_refused(data: str | None) -> None:
    assert cb.parse(data) is None


def test_building_an_unknown_button_fails_loudly() -> None:
    with pytest.raises(ValueError, match="no button"):
        cb.build(cb.ANSWER, "not_an_intent")
