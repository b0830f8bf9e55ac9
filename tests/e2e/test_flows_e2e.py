"""The citizen flows through the whole bot: eligibility checks, registration, the waitlist,
reminder buttons, a restart mid-form and NFD input (issue 5, point 9).

Everything runs through bot.application with the real NLU server and the Bot API stand-in,
in polling and in webhook mode. Events are created the way staff create them
(services.events.create_event); everything a citizen does goes through Telegram; messages the
system sends on its own (promotion, reminders) are delivered by the application's outbox
dispatcher. Waits return as soon as the bot has answered; nothing sleeps.
"""

from __future__ import annotations

import unicodedata
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import pytest
from driver import OLD_AND_POOR, POOR_IN_A_TEMPORARY_HOUSE, option_label
from e2e_helpers import REPLY_TIMEOUT, WEBHOOK_SECRET, MessagePredicate, Person, button_data
from sqlalchemy import select, update

from bot.application import BotApi, Running, running
from bot.chat.flow_state import load_state
from bot.db.engine import Database
from bot.db.enums import EventKind, EventStatus, OutboxKind, OutboxStatus, RegistrationStatus
from bot.db.models import Citizen, OutboxMessage, Registration
from bot.knowledge import KnowledgeBase
from bot.knowledge.eligibility import NEVER_PROMISE, EligibilityCheck
from bot.outbox.queue import Template
from bot.services.actors import staff
from bot.services.clock import utcnow
from bot.services.events import EventDraft, create_event
from bot.services.phones import format_phone_local, normalize_phone
from bot.settings import Settings
from bot.web import WebhookConfig
from telegram_standin import BotApiStandIn, ChatMessage
from telegram_standin.simulation import default_phone

pytestmark = [pytest.mark.nlu_server, pytest.mark.timeout(60)]

SEWING = "Lớp may công nghiệp"
MOTORBIKES = "Lớp sửa chữa xe máy"
REGISTER_SEWING = "tôi muốn đăng ký học nghề may"
LEAKY_HOUSE = "nhà tôi dột nát có được hỗ trợ không"


def has(*parts: str) -> MessagePredicate:
    """A bot message whose text contains every one of `parts`."""
    return lambda message: all(part in (message.text or "") for part in parts)


def citizen(standin: BotApiStandIn, first_name: str, last_name: str) -> Person:
    created = standin.create_citizen(first_name=first_name, last_name=last_name)
    return Person(standin, created.user_id)


async def open_event(db: Database, *, title: str = SEWING, capacity: int | None = 10) -> int:
    """An open vocational class a week from now, created as staff create it; its id."""
    starts_at = utcnow().replace(microsecond=0) + timedelta(days=7)
    draft = EventDraft(
        kind=EventKind.VOCATIONAL_CLASS,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        registration_deadline=starts_at - timedelta(days=1),
        capacity=capacity,
        venue="Nhà văn hoá xã Đầm Hà",
        what_to_bring="CCCD",
        status=EventStatus.OPEN,
    )
    async with db.transaction() as session:
        event = await create_event(session=session, draft=draft, actor=staff("canbo_ha"))
        return event.id


async def registrations(db: Database, person: Person) -> list[Registration]:
    async with db.transaction() as session:
        rows = await session.scalars(
            select(Registration)
            .join(Citizen, Citizen.id == Registration.citizen_id)
            .where(Citizen.telegram_user_id == person.user_id)
            .order_by(Registration.id)
        )
        return list(rows.all())


async def consent_then_form(person: Person, event_id: int) -> ChatMessage:
    """A new citizen opens the deep link, agrees; the form's first question."""
    welcome = await person.command("start", f"ev_{event_id}")
    assert welcome.button_texts == ["Đồng ý", "Không đồng ý"]
    since = person.standin.mark()
    agreed = await person.press("Đồng ý")
    assert "đã ghi nhận bạn đồng ý" in agreed.text
    intro = await person.wait_for(has("Đăng ký:", SEWING), since=since)
    assert "/huy" in intro.text
    return await person.wait_for(has("Họ và tên"), since=since)


async def share_contact(person: Person) -> ChatMessage:
    """The person taps Telegram's "share my number" button; the next question."""
    keyboard = person.standin.reply_keyboard(person.chat_id)
    assert keyboard is not None, "the phone question shows no reply keyboard"
    [[button]] = keyboard["keyboard"]
    assert button.get("request_contact") is True
    since = person.standin.mark()
    person.standin.share_contact(person.user_id)
    local = format_phone_local(normalize_phone(default_phone(person.user_id)))
    await person.wait_for(has(f"Đã nhận số {local}"), since=since)
    return await person.wait_for(has("sinh năm"), since=since)


async def finish_form(person: Person, birth_year: str = "1985") -> ChatMessage:
    """Birth year, commune and groups; the summary."""
    await person.say(birth_year, has("xã nào"))
    await person.press("Xã Đầm Hà", predicate=has("thuộc nhóm nào"))
    return await person.press("Không thuộc nhóm nào", predicate=has("kiểm tra lại"))


async def register(
    person: Person, event_id: int, full_name: str, *, phone: str | None = None
) -> ChatMessage:
    """The whole form from the deep link; phone typed, or shared when None. The result."""
    await consent_then_form(person, event_id)
    await person.say(full_name, has("Số điện thoại"))
    if phone is None:
        await share_contact(person)
    else:
        await person.say(phone, has("sinh năm"))
    summary = await finish_form(person)
    assert full_name in summary.text
    return await person.press("✅ Xác nhận", predicate=has("Xem lại"))


# -- 1. eligibility checks -------------------------------------------------------------------------


def _knowledge(run: Running) -> KnowledgeBase:
    knowledge: KnowledgeBase | None = run.application.bot_data.knowledge
    assert knowledge is not None
    return knowledge


async def answer_check(
    person: Person, check: EligibilityCheck, first: ChatMessage, wanted: dict[str, str]
) -> tuple[ChatMessage, dict[str, str]]:
    """Press answers (each edits the question message) until the verdict."""
    given: dict[str, str] = {}
    shown = first
    while (question := check.next_question(given)) is not None:
        assert f"Câu {len(given) + 1}: {question.text}" in shown.text
        value = wanted.get(question.id, question.options[0].value)
        label = option_label(check, question.id, value)
        shown = await person.press(label, predicate=message_id_is(first))
        given[question.id] = value
        assert len(given) < 15, "the check never ends"
    return shown, given


def message_id_is(message: ChatMessage) -> MessagePredicate:
    return lambda changed: changed.message_id == message.message_id


def assert_sourced_verdict(text: str, check: EligibilityCheck, given: dict[str, str]) -> None:
    verdict = check.evaluate(given)
    assert verdict.headline in text
    assert all(reason in text for reason in verdict.reasons)
    assert "Nơi nộp:" in text and "UBND xã" in text
    assert "Nguồn:" in text and verdict.sources[0].document in text
    assert not any(phrase in text.lower() for phrase in NEVER_PROMISE)


async def test_housing_check_from_free_text_ends_in_a_sourced_verdict(
    bot: Running, person: Person
) -> None:
    check = _knowledge(bot).checks["housing"]
    answer = await person.say(LEAKY_HOUSE)  # housing_eligibility, through the real NLU
    assert "Nguồn:" in answer.text
    assert "GO|elig:housing" in button_data(answer, "GO|")

    first = await person.press(data="GO|elig:housing")
    assert f"Kiểm tra nhanh: {check.title}" in first.text
    verdict, given = await answer_check(person, check, first, POOR_IN_A_TEMPORARY_HOUSE)

    assert check.evaluate(given).outcome.value == "likely_eligible"
    assert_sourced_verdict(verdict.text, check, given)
    assert verdict.button_texts == ["🔄 Kiểm tra lại"]
    assert await load_state(bot.db, person.user_id) is None  # the check is over


async def test_allowance_check_from_the_menu_ends_in_a_sourced_verdict(
    bot: Running, person: Person
) -> None:
    check = _knowledge(bot).checks["allowance"]
    menu = await person.command("menu")
    submenu = await person.press("Trợ cấp xã hội")
    assert submenu.message_id == menu.message_id

    first = await person.press(data="GO|elig:allowance")
    assert "Kết quả chỉ là gợi ý" in first.text
    verdict, given = await answer_check(person, check, first, OLD_AND_POOR)

    assert_sourced_verdict(verdict.text, check, given)


# -- 2. registration by deep link with a shared contact --------------------------------------------


async def test_registration_by_deep_link_with_shared_contact_then_my_registrations(
    bot: Running, person: Person
) -> None:
    event_id = await open_event(bot.db)

    result = await register(person, event_id, "Nguyễn Thị Lan")

    assert "Đăng ký thành công" in result.text and SEWING in result.text
    assert "Mang theo: CCCD" in result.text
    [registration] = await registrations(bot.db, person)
    assert registration.status == RegistrationStatus.CONFIRMED
    async with bot.db.transaction() as session:
        stored = (
            await session.scalars(select(Citizen).where(Citizen.telegram_user_id == person.user_id))
        ).one()
    assert stored.full_name == "Nguyễn Thị Lan"
    assert stored.phone == normalize_phone(default_phone(person.user_id))
    assert stored.birth_year == 1985 and stored.commune == "dam_ha"

    mine = await person.command("dangky")

    assert "Đăng ký của bạn:" in mine.text and SEWING in mine.text
    assert "Tình trạng: ✅ Đã có chỗ" in mine.text and "Nhà văn hoá xã Đầm Hà" in mine.text
    assert mine.button_texts == [f"Hủy 1. {SEWING}"]


# -- 3. waitlist and promotion ---------------------------------------------------------------------


async def test_waitlisted_citizen_is_promoted_when_another_cancels(
    bot: Running, standin: BotApiStandIn
) -> None:
    event_id = await open_event(bot.db, capacity=1)
    an = citizen(standin, "An", "Trần Văn")
    binh = citizen(standin, "Bình", "Lê Thị")

    first = await register(an, event_id, "Trần Văn An", phone="0912 345 678")
    second = await register(binh, event_id, "Lê Thị Bình")

    assert "Đăng ký thành công" in first.text
    assert "danh sách chờ" in second.text and "vị trí thứ 1" in second.text
    waiting = await binh.command("dangky")
    assert "Danh sách chờ, thứ 1" in waiting.text

    listing = await an.command("dangky")
    assert "Tình trạng: ✅ Đã có chỗ" in listing.text
    confirm = await an.press(f"Hủy 1. {SEWING}", predicate=has("chắc chắn muốn hủy"))
    assert confirm.button_texts == ["Có, hủy đăng ký", "Không, giữ lại"]
    since = standin.mark()
    cancelled = await an.press("Có, hủy đăng ký", predicate=has("Đã hủy đăng ký"))

    assert cancelled.message_id == confirm.message_id
    promoted = await binh.wait_for(has("Tin vui"), since=since)  # sent by the dispatcher
    assert SEWING in promoted.text and promoted.button_texts == ["Đăng ký của tôi"]
    [an_registration] = await registrations(bot.db, an)
    [binh_registration] = await registrations(bot.db, binh)
    assert an_registration.status == RegistrationStatus.CANCELLED
    assert binh_registration.status == RegistrationStatus.CONFIRMED
    assert binh_registration.waitlist_position is None
    await bot.dispatcher.wait_idle()
    async with bot.db.transaction() as session:
        row = (
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.template == Template.PROMOTED.value)
            )
        ).one()
    assert row.status == OutboxStatus.SENT and row.chat_id == binh.user_id
    assert row.telegram_message_id == promoted.message_id
    mine = await binh.press("Đăng ký của tôi", predicate=has("Đăng ký của bạn:"))
    assert "Tình trạng: ✅ Đã có chỗ" in mine.text


# -- 4. reminder buttons ---------------------------------------------------------------------------


async def _reminders(db: Database, registration_id: int) -> list[OutboxMessage]:
    async with db.transaction() as session:
        rows = await session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.registration_id == registration_id,
                OutboxMessage.kind == OutboxKind.REMINDER,
            )
            .order_by(OutboxMessage.due_at)
        )
        return list(rows.all())


async def deliver_now(run: Running, person: Person, row_id: int) -> ChatMessage:
    """The reminder row falls due now; the dispatcher sends it; the message as received."""
    async with run.db.transaction() as session:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id)
            .values(due_at=utcnow(), next_attempt_at=utcnow())
        )
    since = person.standin.mark()
    run.dispatcher.kick()
    return await person.wait_for(has("Nhắc lịch"), since=since)


async def test_reminder_buttons_acknowledge_and_cancel(
    bot: Running, standin: BotApiStandIn, person: Person
) -> None:
    event_id = await open_event(bot.db)
    await register(person, event_id, "Nguyễn Thị Lan", phone="0912 345 678")
    [registration] = await registrations(bot.db, person)
    three_days, one_day, _two_hours = await _reminders(bot.db, registration.id)

    reminder = await deliver_now(bot, person, three_days.id)

    assert "còn 3 ngày nữa" in reminder.text and SEWING in reminder.text
    assert reminder.button_texts == ["✅ Tôi vẫn tham dự", "Hủy đăng ký"]
    since = standin.mark()
    query = standin.press_button(
        person.user_id, text="✅ Tôi vẫn tham dự", message_id=reminder.message_id
    )
    toast = await standin.wait_for_callback_answer(query, timeout=REPLY_TIMEOUT)
    assert toast["text"] == "Đã ghi nhận, cảm ơn bạn!"
    thanks = await person.wait_for(has("Hẹn gặp bạn"), since=since)
    assert SEWING in thanks.text
    assert standin.world.message(person.chat_id, reminder.message_id).inline_buttons == []
    [still] = await registrations(bot.db, person)
    assert still.status == RegistrationStatus.CONFIRMED

    day_before = await deliver_now(bot, person, one_day.id)
    assert "ngày mai" in day_before.text
    confirm = await person.press("Hủy đăng ký", predicate=has("chắc chắn muốn hủy"))
    cancelled = await person.press("Có, hủy đăng ký", predicate=has("Đã hủy đăng ký"))

    assert cancelled.message_id == confirm.message_id
    [gone] = await registrations(bot.db, person)
    assert gone.status == RegistrationStatus.CANCELLED
    statuses = [row.status for row in await _reminders(bot.db, registration.id)]
    assert statuses == [OutboxStatus.SENT, OutboxStatus.SENT, OutboxStatus.CANCELLED]


# -- 5. restart mid-registration -------------------------------------------------------------------


@asynccontextmanager
async def application(
    standin: BotApiStandIn, settings: Settings, mode: str
) -> AsyncIterator[Running]:
    """A bot process of its own (what the `bot` fixture starts), to be stopped mid-test."""
    webhook = WebhookConfig(WEBHOOK_SECRET) if mode == "webhook" else None
    async with running(settings, api=BotApi.standin(standin), webhook=webhook, web_port=0) as run:
        yield run


async def test_restart_mid_registration_continues_at_the_same_step(
    standin: BotApiStandIn, settings: Settings, mode: str, person: Person
) -> None:
    async with application(standin, settings, mode) as first:
        event_id = await open_event(first.db)
        await consent_then_form(person, event_id)
        await person.say("Nguyễn Thị Lan", has("Số điện thoại"))
        await share_contact(person)  # the bot now asks for the birth year

    async with application(standin, settings, mode) as second:
        state = await load_state(second.db, person.user_id)
        assert state is not None and state.step == "birth_year"

        summary = await finish_form(person)

        assert "Nguyễn Thị Lan" in summary.text  # typed before the restart
        assert format_phone_local(normalize_phone(default_phone(person.user_id))) in summary.text
        result = await person.press("✅ Xác nhận", predicate=has("Xem lại"))
        assert "Đăng ký thành công" in result.text
        [registration] = await registrations(second.db, person)
        assert registration.status == RegistrationStatus.CONFIRMED
    phones = [m for m in standin.messages(person.chat_id) if "Đã nhận số" in (m.text or "")]
    assert len(phones) == 1  # the shared contact was not handled again after the restart


# -- 6. NFD input ----------------------------------------------------------------------------------


async def test_nfd_request_to_register_reaches_the_registration_flow(
    bot: Running, standin: BotApiStandIn, person: Person
) -> None:
    sewing = await open_event(bot.db, title=SEWING)
    await open_event(bot.db, title=MOTORBIKES)
    await person.agree()
    decomposed = unicodedata.normalize("NFD", REGISTER_SEWING)
    assert decomposed != REGISTER_SEWING

    listing = await person.say(decomposed)

    sent = standin.messages(person.chat_id, from_bot=False)[-1]
    assert sent.text == decomposed  # the bot really received NFD
    assert "Các lớp học nghề đang nhận đăng ký:" in listing.text
    assert SEWING in listing.text and MOTORBIKES not in listing.text  # trade "may" understood
    assert "Chưa có lớp hay phiên nào phù hợp" not in listing.text
    assert button_data(listing, "REG|ev|") == [f"REG|ev|{sewing}"]
    form = await person.press(f"1. {SEWING}", predicate=has("Họ và tên"))
    assert form.text.startswith("Họ và tên")
