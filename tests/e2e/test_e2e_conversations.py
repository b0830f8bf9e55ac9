"""Conversations that never strand a citizen (issue 12), through the whole bot.

Real handlers, the real NLU server and the Bot API stand-in, in polling and webhook mode.
Each test is one of the issue's "done when" stories; the module docstring of each test says
what the citizen sees. Events are created and cancelled the way staff do it (services.events);
everything citizens do goes through Telegram.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from e2e_helpers import Person, button_data, edit_text, has, staff_reply
from sqlalchemy import select, update

from bot.application import Running
from bot.chat.screens import FIRST_SCREEN_LIMIT
from bot.db.engine import Database
from bot.db.enums import EventKind, EventStatus, OutboxKind, OutboxStatus, RegistrationStatus
from bot.db.models import Citizen, Event, HandoffTicket, OutboxMessage, Registration
from bot.services import handoff
from bot.services.actors import staff
from bot.services.clock import utcnow
from bot.services.events import EventDraft, cancel_event, create_event
from bot.services.flood import FloodGate
from bot.services.registrations import register
from telegram_standin import BotApiStandIn, markup

pytestmark = [pytest.mark.nlu_server, pytest.mark.timeout(90)]

SEWING = "Lớp may công nghiệp"


@pytest.fixture(autouse=True)
def transcript(
    request: pytest.FixtureRequest, standin: BotApiStandIn, person: Person
) -> Iterator[None]:
    """With E2E_TRANSCRIPTS=<dir>, write what the citizen saw (for reviews and reports)."""
    yield
    folder = os.environ.get("E2E_TRANSCRIPTS")
    if folder:
        path = Path(folder) / f"{request.node.name}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(chat_transcript(standin, person.chat_id), encoding="utf-8")


def chat_transcript(standin: BotApiStandIn, chat_id: int) -> str:
    """The chat as the person saw it, in order: messages, edits (as they were), presses."""
    lines: list[str] = []
    versions: dict[int, int] = {}
    for event in standin.events(chat_id):
        message = standin.world.message(chat_id, event.message_id or 0)
        if message is None:
            continue
        if event.kind == "button_press":
            data = str(event.data.get("data", ""))
            labels = [
                str(b.get("text"))
                for version in [*message.edits, message]
                for b in markup.inline_buttons(version.reply_markup)
                if b.get("callback_data") == data
            ]
            lines.append(f"👵 [bấm «{labels[0] if labels else data}»]")
        elif event.kind == "citizen_message":
            lines.append(f"👵 {message.text}")
        elif event.kind in ("message", "edit"):
            index = versions.get(message.message_id, -1) + 1
            versions[message.message_id] = index
            shown = message.edits[index] if index < len(message.edits) else message
            buttons = "".join(
                f" [{b.get('text')}]" for b in markup.inline_buttons(shown.reply_markup)
            )
            prefix = "🤖 (sửa tin trước) " if event.kind == "edit" else "🤖 "
            lines.append(f"{prefix}{shown.text or ''}{buttons}")
    return "\n".join(lines) + "\n"


async def open_event(
    db: Database, *, title: str = SEWING, venue: str = "Nhà văn hoá xã Đầm Hà", days: float = 7
) -> int:
    starts_at = utcnow().replace(microsecond=0) + timedelta(days=days)
    draft = EventDraft(
        kind=EventKind.VOCATIONAL_CLASS,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        registration_deadline=starts_at - timedelta(hours=12),
        capacity=10,
        venue=venue,
        what_to_bring="CCCD",
        status=EventStatus.OPEN,
    )
    async with db.transaction() as session:
        event = await create_event(session=session, draft=draft, actor=staff("canbo_ha"))
        return event.id


async def citizen_row(db: Database, person: Person) -> Citizen:
    async with db.transaction() as session:
        found = await session.scalar(
            select(Citizen).where(Citizen.telegram_user_id == person.user_id)
        )
    assert found is not None
    return found


async def until_unreachable(db: Database, person: Person, seconds: float = 10.0) -> bool:
    """Whether the bot has marked them unreachable within `seconds` (it learns asynchronously:
    from a 403 in flight, or from Telegram's my_chat_member update)."""
    for _ in range(int(seconds * 10)):
        if not (await citizen_row(db, person)).reachable:
            return True
        await asyncio.sleep(0.1)
    return False


async def register_directly(db: Database, person: Person, event_id: int) -> int:
    """The registration use case for a consented person (the form is tested elsewhere)."""
    async with db.transaction() as session:
        citizen = await session.scalar(
            select(Citizen).where(Citizen.telegram_user_id == person.user_id)
        )
        assert citizen is not None
        citizen.phone = "+84912345678"
        citizen.commune = "dam_ha"
        result = await register(
            session=session, citizen=citizen, event=await session.get_one(Event, event_id)
        )
        return result.registration.id


async def reminders(db: Database, registration_id: int) -> list[OutboxMessage]:
    async with db.transaction() as session:
        rows = await session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.registration_id == registration_id,
                OutboxMessage.kind == OutboxKind.REMINDER,
            )
            .order_by(OutboxMessage.id)
        )
        return list(rows)


async def make_due(run: Running, row_id: int) -> None:
    async with run.db.transaction() as session:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id)
            .values(due_at=utcnow(), next_attempt_at=utcnow())
        )
    run.dispatcher.kick()


# -- 1. blocked → unblocked → the reminder arrives ---------------------------------------------


async def test_blocked_then_back_the_reminder_arrives(
    bot: Running, standin: BotApiStandIn, person: Person
) -> None:
    await person.agree()
    event_id = await open_event(bot.db)
    registration_id = await register_directly(bot.db, person, event_id)
    first, *_ = await reminders(bot.db, registration_id)
    standin.block(person.user_id)

    await make_due(bot, first.id)  # Telegram answers 403: the bot learns it is blocked
    await bot.dispatcher.wait_idle()
    assert await until_unreachable(bot.db, person)
    assert {r.status for r in await reminders(bot.db, registration_id)} <= {
        OutboxStatus.FAILED,
        OutboxStatus.CANCELLED,
    }

    greeting = await person.say("alo")  # writing to the bot unblocks it, in Telegram too

    assert "Trợ lý An sinh" in greeting.text  # "alo" is a greeting, not "ngoài phạm vi"
    assert (await citizen_row(bot.db, person)).reachable
    pending = [
        r for r in await reminders(bot.db, registration_id) if r.status == OutboxStatus.PENDING
    ]
    assert len(pending) == 3  # 3 days, 1 day and 2 hours before: re-created
    since = standin.mark()
    await make_due(bot, pending[0].id)
    reminder = await person.wait_for(has("Nhắc lịch", SEWING), since=since)
    assert "Tôi vẫn tham dự" in reminder.button_texts[0]


async def test_blocking_the_bot_is_noticed_without_waiting_for_a_reminder_to_bounce(
    bot: Running, standin: BotApiStandIn, person: Person
) -> None:
    """Telegram's my_chat_member ("kicked") marks them unreachable; it must never heal them."""
    await person.agree()
    event_id = await open_event(bot.db)
    registration_id = await register_directly(bot.db, person, event_id)

    standin.block(person.user_id)
    assert await until_unreachable(bot.db, person)
    assert {r.status for r in await reminders(bot.db, registration_id)} == {OutboxStatus.CANCELLED}
    await person.say("alo")  # and writing again brings the reminders back
    assert (await citizen_row(bot.db, person)).reachable
    assert (
        len(
            [
                r
                for r in await reminders(bot.db, registration_id)
                if r.status == OutboxStatus.PENDING
            ]
        )
        == 3
    )


# -- 2. a cancelled event is shown as cancelled, and the promise of news is kept ---------------


async def test_cancelled_event_is_shown_as_cancelled_and_news_follows(
    bot: Running, standin: BotApiStandIn, person: Person
) -> None:
    await person.agree()
    event_id = await open_event(bot.db)
    registration_id = await register_directly(bot.db, person, event_id)
    since = standin.mark()
    async with bot.db.transaction() as session:
        await cancel_event(
            session=session, event=await session.get_one(Event, event_id), actor=staff("lan")
        )
    bot.dispatcher.kick()

    notice = await person.wait_for(has("đã bị hủy", SEWING), since=since)
    assert "Bot sẽ báo khi có lớp hoặc phiên mới" in notice.text
    assert notice.button_texts == ["🔔 Báo tôi khi có lớp/phiên mới"]
    async with bot.db.transaction() as session:
        stored = await session.get_one(Registration, registration_id)
    assert stored.status == RegistrationStatus.EVENT_CANCELLED

    mine = await person.command("dangky")
    assert SEWING in mine.text and "Ban tổ chức đã hủy" in mine.text
    assert "Đã có chỗ" not in mine.text and mine.button_texts == []
    again = await person.command("start", f"ev_{event_id}")
    assert "đã đăng ký rồi" not in again.text and "hủy" in again.text

    subscribed = await person.press("🔔 Báo tôi khi có lớp/phiên mới")
    assert "Đã bật" in subscribed.text and "Xã Đầm Hà" in subscribed.text
    since = standin.mark()
    new_event = await open_event(bot.db, title="Lớp nấu ăn", venue="Nhà văn hóa thôn 5 Đại Bình")
    bot.dispatcher.kick()
    news = await person.wait_for(has("Có lớp học nghề mới", "Lớp nấu ăn"), since=since)
    assert f"REG|ev|{new_event}" in button_data(news, "REG|")


# -- 3. an officer of xã Đầm Hà sees an unregistered citizen's question ------------------------


QUESTION = "Mẹ tôi 82 tuổi ở thôn 5 Đại Bình, không có lương hưu thì có được trợ cấp không?"


async def test_officer_of_dam_ha_sees_the_question_of_an_unregistered_citizen(
    bot: Running, standin: BotApiStandIn, staff_chat: int, person: Person
) -> None:
    await person.agree()
    earlier = await person.say("nhà dột nát được hỗ trợ bao nhiêu")  # another topic before
    assert "Nguồn:" in earlier.text
    await person.command("canbo")
    since = standin.mark()

    opened = await person.say(QUESTION)

    assert "#1" in opened.text
    notification = await standin.wait_for_message(staff_chat, has("Câu hỏi mới #1"), since=since)
    assert "Xã: Đầm Hà" in notification.text
    # The label is this question's topic, not the earlier one about housing.
    assert "Chủ đề: Ai được trợ cấp xã hội?" in notification.text
    assert "nhà ở" not in notification.text.lower()
    async with bot.db.transaction() as session:
        [view] = await handoff.list_tickets(session, commune="dam_ha")
        assert await handoff.list_tickets(session, commune="quang_tan") == []
    assert view.ticket.commune == "dam_ha" and view.messages[0].text == QUESTION
    assert (await citizen_row(bot.db, person)).commune is None  # never registered

    # The officer answers in the staff chat; the confirmation follows the real delivery.
    officer = standin.create_citizen(first_name="Cán bộ Hà", username="canbo_ha")
    since = standin.mark()
    staff_reply(
        standin,
        user_id=officer.user_id,
        chat_id=staff_chat,
        to_message_id=notification.message_id,
        text="Bác mang CCCD đến UBND xã Đầm Hà nhé.",
    )
    answer = await person.wait_for(has("Cán bộ trả lời"), since=since)
    assert "UBND xã Đầm Hà" in answer.text
    delivered = await standin.wait_for_edit(staff_chat, since=since, timeout=10)
    assert "Người dân đã nhận câu trả lời" in (delivered.text or "")


async def test_a_question_without_a_place_asks_for_the_commune(
    bot: Running, standin: BotApiStandIn, person: Person
) -> None:
    await person.agree()
    await person.command("canbo")
    since = standin.mark()
    person.standin.send_text(person.user_id, "Hồ sơ của bà tôi nộp lâu rồi chưa thấy trả lời")
    ask = await person.wait_for(has("Bạn ở xã nào"), since=since)
    assert ask.button_texts == ["Xã Đầm Hà", "Xã Quảng Tân"]

    chosen = await person.press("Xã Quảng Tân")

    assert "Quảng Tân" in chosen.text
    async with bot.db.transaction() as session:
        ticket = (await session.scalars(select(HandoffTicket))).one()
    assert ticket.commune == "quang_tan"


# -- 4. a question at the name step: answered, then the form resumes or ends -------------------


async def _to_the_name_step(person: Person, event_id: int) -> None:
    await person.command("start", f"ev_{event_id}")
    since = person.standin.mark()
    await person.press("Đồng ý")
    await person.wait_for(has("Họ và tên"), since=since)


async def test_a_question_at_the_name_step_is_answered_and_the_form_resumes(
    bot: Running, person: Person
) -> None:
    event_id = await open_event(bot.db)
    await _to_the_name_step(person, event_id)

    asked = await person.say("trợ cấp người khuyết tật nặng được bao nhiêu?")

    assert "vừa hỏi một câu" in asked.text
    assert asked.button_texts == ["Tiếp tục đăng ký", "Dừng đăng ký"]
    since = person.standin.mark()
    await person.press("Tiếp tục đăng ký")
    answer = await person.wait_for(has("Nguồn:"), since=since)
    assert "khuyết tật" in answer.text.lower()
    await person.wait_for(has("Họ và tên"), since=since)  # the same step, asked again
    await person.say("Nguyễn Thị Lan", has("Số điện thoại"))
    async with bot.db.transaction() as session:
        citizen = await session.scalar(
            select(Citizen).where(Citizen.telegram_user_id == person.user_id)
        )
    assert citizen is not None and citizen.full_name != "trợ cấp người khuyết tật nặng"

    # Later steps listen too: a two-digit year is confirmed, Quảng Lợi is recognised.
    await person.say("0912 345 678", has("sinh năm"))
    year = await person.say("năm 58")
    assert "1958" in year.text and year.button_texts == ["Đúng", "Không, nhập lại"]
    await person.press("Đúng", predicate=has("xã nào"))
    # Quảng Lợi merged into Quảng Tân on 1/1/2020 (NQ 1679 context): accepted as such.
    await person.say("Quảng Lợi", has("thuộc nhóm nào"))
    summary = await person.press("Không thuộc nhóm nào", predicate=has("kiểm tra lại"))
    assert "Năm sinh: 1958" in summary.text and "Nguyễn Thị Lan" in summary.text
    assert "Quảng Tân" in summary.text


async def test_stop_words_in_the_form_end_it_when_the_person_says_so(
    bot: Running, person: Person
) -> None:
    event_id = await open_event(bot.db)
    await _to_the_name_step(person, event_id)

    asked = await person.say("thôi không đăng ký nữa")

    assert "Bạn muốn dừng đăng ký" in asked.text
    left = await person.press("Dừng đăng ký")
    assert "Đã dừng" in left.text
    after = await person.say("Nguyễn Thị Lan")  # no longer a name for a form
    assert "Số điện thoại" not in after.text


# -- 5. the edge: first screen, greetings, invisible characters, floods, edits -------------------


async def test_first_screen_fits_a_phone_and_the_full_consent_is_one_tap_away(
    bot: Running, person: Person
) -> None:
    welcome = await person.command("start")

    assert len(welcome.text) <= FIRST_SCREEN_LIMIT
    assert "Luật 91/2025/QH15" in welcome.text
    assert welcome.button_texts == ["Đồng ý", "Không đồng ý", "📄 Đọc đầy đủ"]
    full = await person.press("📄 Đọc đầy đủ")
    assert "Lưu bao lâu" in full.text and "Xóa thế nào" in full.text
    assert full.button_texts == ["Đồng ý", "Không đồng ý"]
    agreed = await person.press("Đồng ý")
    assert "đã ghi nhận bạn đồng ý" in agreed.text

    for greeting in ("ai đấy", "có ai không", "a lô"):
        reply = await person.say(greeting)
        assert "Trợ lý An sinh" in reply.text, greeting


async def test_invisible_characters_whitespace_floods_and_edits(
    bot: Running, standin: BotApiStandIn, person: Person
) -> None:
    wrapped = await person.say("\u202etrợ cấp người khuyết tật\u200b nặng bao nhiêu\u202c")
    assert "Nguồn:" in wrapped.text

    empty = await person.say("  \u200b  ")
    assert "Tin nhắn trống" in empty.text

    question = standin.send_text(person.user_id, "tro cap bao nhieu")
    await person.wait_for(has("Nguồn:"), since=standin.mark() - 1)
    since = standin.mark()
    edit_text(standin, question, "hỗ trợ nhà ở bao nhiêu")
    hint = await person.wait_for(has("tin nhắn đã sửa"), since=since)
    assert "tin nhắn mới" in hint.text

    # The production limit (the e2e settings raise it for scripted conversations).
    bot.application.bot_data.flood_gate = FloodGate(limit=5, window=4.0)
    since = standin.mark()
    for n in range(20):
        standin.send_text(person.user_id, f"tro cap bao nhieu {n}")
    notice = await person.wait_for(has("Bạn gửi nhanh quá"), since=since)
    await asyncio.sleep(1.0)  # let anything else arrive
    replies = [m for m in standin.messages(person.chat_id) if m.message_id > notice.message_id - 10]
    answered = [m for m in standin.messages(person.chat_id) if "Nguồn:" in (m.text or "")]
    assert sum("Bạn gửi nhanh quá" in (m.text or "") for m in replies) == 1
    assert len(answered) <= 2 + 5  # the earlier two, then at most five of the burst
    assert len(answered) >= 2 + 1


# -- 6. buttons that mean what they say ----------------------------------------------------------

FIRST_UNCLEAR = "cái này làm sao"  # the NLU is unsure (below the threshold)
SECOND_UNCLEAR = "hỏi chút việc"


async def test_send_to_officer_under_a_message_sends_that_message(
    bot: Running, standin: BotApiStandIn, person: Person
) -> None:
    await person.agree()
    guesses = await person.say(FIRST_UNCLEAR)
    assert "Ý bạn là" in guesses.text
    offer = await person.press("Không phải các ý trên")
    assert offer.message_id == guesses.message_id
    later = await person.say(SECOND_UNCLEAR)  # a second unclear message, its own offer
    later_offer = await person.press("Không phải các ý trên", predicate=has("cán bộ"))
    assert later_offer.message_id == later.message_id != offer.message_id

    since = standin.mark()
    standin.press_button(person.user_id, text="Gửi câu hỏi cho cán bộ", message_id=offer.message_id)
    opened = await person.wait_for(has("#1"), since=since)

    assert FIRST_UNCLEAR in opened.text and SECOND_UNCLEAR not in opened.text
    async with bot.db.transaction() as session:
        [view] = await handoff.list_tickets(session)
    assert [m.text for m in view.messages] == [FIRST_UNCLEAR]


async def test_a_stale_keep_button_on_a_cancelled_registration_says_it_is_cancelled(
    bot: Running, standin: BotApiStandIn, person: Person
) -> None:
    await person.agree()
    event_id = await open_event(bot.db)
    registration_id = await register_directly(bot.db, person, event_id)
    listing = await person.command("dangky")
    first = await person.press(listing.button_texts[0], predicate=has("chắc chắn muốn hủy"))
    listing = await person.command("dangky")
    second = await person.press(listing.button_texts[0], predicate=has("chắc chắn muốn hủy"))
    await person.press("Có, hủy đăng ký", predicate=has("Đã hủy đăng ký"))

    since = standin.mark()
    standin.press_button(person.user_id, text="Không, giữ lại", message_id=first.message_id)
    stale = await person.wait_for(lambda m: m.message_id == first.message_id, since=since)

    assert "đã được hủy" in stale.text and "giữ nguyên" not in stale.text
    assert second.message_id != first.message_id
    async with bot.db.transaction() as session:
        stored = await session.get_one(Registration, registration_id)
    assert stored.status == RegistrationStatus.CANCELLED


async def test_an_answer_to_a_person_who_blocked_the_bot_arrives_when_they_are_back(
    bot: Running, standin: BotApiStandIn, staff_chat: int, person: Person
) -> None:
    await person.agree()
    await person.command("canbo", "Tôi ở Dực Yên, hỏi về hỗ trợ làm nhà")
    notification = await standin.wait_for_message(staff_chat, has("Câu hỏi mới #1"), since=0)
    assert "Xã: Quảng Tân" in notification.text
    standin.block(person.user_id)
    # Telegram tells the bot (my_chat_member) before the officer answers.
    assert await until_unreachable(bot.db, person)
    officer = standin.create_citizen(first_name="Cán bộ Tân", username="canbo_qt")
    since = standin.mark()
    staff_reply(
        standin,
        user_id=officer.user_id,
        chat_id=staff_chat,
        to_message_id=notification.message_id,
        text="Anh mang sổ hộ nghèo lên UBND xã nhé.",
    )
    outcome = await standin.wait_for_message(staff_chat, has("chặn bot"), since=since)
    assert "Chưa gửi được" in outcome.text and "tự gửi khi họ nhắn lại" in outcome.text
    async with bot.db.transaction() as session:
        [view] = await handoff.list_tickets(session, commune="quang_tan")
        states = await handoff.answer_deliveries(session, [view.ticket.id])
    assert {s.state for s in states.values()} == {handoff.Delivery.HELD}

    since = standin.mark()
    await person.say("alo")  # they unblock the bot by writing to it
    answer = await person.wait_for(has("Cán bộ trả lời", "sổ hộ nghèo"), since=since)
    assert "#1" in answer.text


async def test_subscribe_from_the_menu_and_unsubscribe(
    bot: Running, standin: BotApiStandIn, person: Person
) -> None:
    await person.agree()
    await person.command("menu")
    await person.press("Học nghề")
    ask = await person.press("🔔 Báo tôi lớp/phiên mới")
    assert ask.button_texts == ["🔔 Báo tôi khi có lớp/phiên mới"]
    where = await person.press("🔔 Báo tôi khi có lớp/phiên mới")
    assert "xã nào" in where.text  # no commune in the profile yet
    done = await person.press("Xã Quảng Tân")
    assert "Đã bật" in done.text and "Quảng Tân" in done.text

    since = standin.mark()
    await open_event(bot.db, title="Lớp hàn", venue="Nhà văn hóa xã Quảng Tân")
    await open_event(bot.db, title="Lớp điện", venue="Nhà văn hoá xã Đầm Hà")
    bot.dispatcher.kick()
    news = await person.wait_for(has("Lớp hàn"), since=since)
    off = await person.press("🔕 Thôi nhận thông báo", predicate=has("Đã tắt"))
    assert off.message_id == news.message_id
    await bot.dispatcher.wait_idle()
    assert not any("Lớp điện" in (m.text or "") for m in standin.messages(person.chat_id))
