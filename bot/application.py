"""The composition root: the PTB Application, the web app, the outbox dispatcher, wired once.

Everything that talks to the outside is created here and nowhere else:
- `build_application` — the PTB `Application` with `Defaults` (HTML, Asia/Ho_Chi_Minh), the
  one rate limiter with priorities (bot.outbox.rate_limit, shared with the dispatcher),
  updates of different people processed concurrently and each person's in order
  (bot.update_processor), the ordered handler list and the error handler;
- `post_init` opens the database, loads the knowledge base (a bad YAML edit stops start-up
  with the file and field named), opens the NLU client, starts the outbox dispatcher and its
  scheduler, and registers the commands; `post_stop`/`post_shutdown` close them again;
- `running` — one context manager that starts the bot (long polling, or a webhook served by
  bot.web when configured), the web app and the dispatcher, and stops them in reverse order;
  the e2e tests use it exactly as `run_application` (`python -m bot run`) does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import text as sql_text
from starlette.types import ASGIApp
from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.asgi_server import LocalServer
from bot.chat import (
    answers,
    edge,
    eligibility,
    errors,
    handoff,
    menu,
    my_registrations,
    notifications,
    open_flow,
    privacy,
    start,
    subscriptions,
)
from bot.chat import callbacks as cb
from bot.chat.context import CONTEXT_TYPES, BotData, retention_days
from bot.chat.preview import MessageCounter, Preview
from bot.chat.registration import buttons as registration_buttons
from bot.chat.registration import listening as registration_listening
from bot.chat.registration import typed as registration_typed
from bot.dashboard import create_dashboard_app
from bot.db.engine import Database, open_database
from bot.knowledge.store import LiveKnowledgeBase, open_live_knowledge
from bot.nlu_breaker import CircuitBreaker
from bot.nlu_client import NluClient
from bot.nlu_tools.nlu_token import nlu_auth_token
from bot.outbox.dispatcher import Dispatcher
from bot.outbox.ptb_limiter import PtbRateLimiter
from bot.outbox.rate_limit import RateLimiter
from bot.outbox.scheduler import build_scheduler
from bot.outbox.telegram_sender import TelegramSender
from bot.proxy import TrustedProxies
from bot.security_headers import SecurityPolicy
from bot.services import conversation_memory, nlu_review
from bot.services import handoff as handoff_service
from bot.services.clock import utcnow
from bot.services.reporting import export_pool
from bot.services.scheduler_lock import SchedulerLock, lead
from bot.settings import Settings
from bot.texts import common as texts
from bot.update_processor import Around, PersonOrderedUpdateProcessor
from bot.web import STAFF_PATH, HealthProbe, WebhookConfig, WebhookEndpoint, create_web_app
from telegram_standin import BotApiStandIn, RateLimits

log = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, BotData, Any]
RETENTION_JOB_ID: Final = "retention-erase"
# Which process-local leadership (scheduler lock) belongs to which running application.
_LEADERSHIP: weakref.WeakKeyDictionary[AnyApplication, _Leadership] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class BotApi:
    """Where the Bot API is: Telegram itself, or the local stand-in (sandbox, tests)."""

    token: str
    base_url: str
    base_file_url: str

    @classmethod
    def telegram(cls, settings: Settings) -> BotApi:
        if not settings.telegram_bot_token:
            raise ValueError("TELEGRAM_BOT_TOKEN is not set (without it, run the sandbox)")
        base = settings.telegram_api_base_url.rstrip("/")
        file_base = base.removesuffix("/bot") + "/file/bot"
        return cls(settings.telegram_bot_token, base, file_base)

    @classmethod
    def standin(cls, standin: BotApiStandIn) -> BotApi:
        return cls(standin.token, standin.base_url, standin.base_file_url)


# -- the PTB application ------------------------------------------------------------------------


def build_application(settings: Settings, *, api: BotApi, webhook: bool = False) -> AnyApplication:
    """The bot, not started: polling by default, `updater=None` when a webhook feeds it."""
    defaults = Defaults(
        parse_mode=ParseMode.HTML,
        tzinfo=ZoneInfo(settings.timezone),
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
    builder = (
        Application.builder()
        .token(api.token)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .defaults(defaults)
        # One limiter paces replies (here, Priority.REPLY) and the outbox (the dispatcher,
        # with each row's priority): Telegram's limits are per bot, not per code path.
        .rate_limiter(PtbRateLimiter(process_limiter(settings), max_retries=3))
        .concurrent_updates(PersonOrderedUpdateProcessor())  # people in parallel, each in order
        .context_types(CONTEXT_TYPES)  # context.bot_data is a typed BotData
        .job_queue(None)  # timed work runs in the dispatcher's APScheduler (bot.outbox.scheduler)
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
    )
    if webhook:
        builder = builder.updater(None)
    application: AnyApplication = builder.build()
    processor = application.update_processor
    if isinstance(processor, PersonOrderedUpdateProcessor):
        processor.around = _conversation_memory(application)
    application.bot_data.settings = settings
    application.add_handlers(handlers(settings))
    application.add_error_handler(errors.on_error)
    return application


def _conversation_memory(application: AnyApplication) -> Around:
    """Each update runs with its person's memory loaded from the database, saved after.

    `context.user_data` (bot.chat.memory) is filled from bot.services.conversation_memory
    and dropped from the process afterwards, so any bot process can take the next message.
    """

    @contextlib.asynccontextmanager
    async def around(update: object) -> AsyncIterator[None]:
        if not isinstance(update, Update) or update.effective_user is None:
            yield
            return
        user, database = update.effective_user, application.bot_data.db
        if not isinstance(database, Database):
            yield
            return
        async with database.transaction() as session:
            loaded = await conversation_memory.load(session, user.id)
        data = application.user_data[user.id]
        data.clear()
        data.update(loaded)
        try:
            yield
        finally:
            changed = dict(data)
            application.drop_user_data(user.id)
            if changed != loaded:
                try:
                    async with database.transaction() as session:
                        await conversation_memory.save(session, user.id, changed, now=utcnow())
                except Exception:  # the reply is out; a lost hint at worst asks again
                    log.exception("conversation memory of update %s not saved", update.update_id)

    return around


def process_limiter(settings: Settings) -> RateLimiter:
    """This process's share of Telegram's per-bot limits: 1/BOT_PROCESSES of the overall rate
    (per-chat limits stay whole: a person's updates reach one process at a time)."""
    share = settings.bot_processes
    return RateLimiter(per_second=29.0 / share, min_per_second=20.0 / share)


def shared_limiter(application: AnyApplication) -> RateLimiter:
    """The one `RateLimiter` behind the application's bot (the outbox shares it)."""
    adapter = application.bot.rate_limiter
    if not isinstance(adapter, PtbRateLimiter):
        raise TypeError(f"the bot's rate limiter is {type(adapter).__name__}, not PtbRateLimiter")
    return adapter.limiter


def handlers(settings: Settings) -> dict[int, Sequence[BaseHandler[Any, Any, Any]]]:
    """Every handler by group; within a group PTB tries them in order, the first match wins."""
    private = filters.ChatType.PRIVATE
    new_message = filters.UpdateType.MESSAGE  # an edited message is not asked again
    staff: list[BaseHandler[Any, Any, Any]] = []
    if settings.staff_chat_id is not None:
        # First: in the staff chat, a reply to a ticket's notification answers the citizen.
        staff_reply = filters.Chat(settings.staff_chat_id) & filters.REPLY & filters.TEXT
        staff.append(MessageHandler(staff_reply & ~filters.COMMAND, handoff.on_staff_reply))
    housekeeping: list[BaseHandler[Any, Any, Any]] = [
        # Group -1 runs before the main group and does not stop it: a command or a button
        # press ends the wait for a question to pass to an officer.
        MessageHandler(private & filters.COMMAND, menu.moved_on),
        CallbackQueryHandler(menu.moved_on),
    ]
    main = [
        *staff,
        # Commands work at any moment, even in the middle of a form.
        CommandHandler("start", start.start, filters=private),
        CommandHandler("menu", start.menu, filters=private),
        CommandHandler("canbo", handoff.canbo, filters=private),
        CommandHandler("riengtu", privacy.riengtu, filters=private),
        # Buttons, by callback-data prefix (bot.chat.callbacks); each handler parses its data
        # strictly and answers a stale or forged one with "this button is old".
        CallbackQueryHandler(start.on_consent, pattern=cb.pattern(cb.CONSENT)),
        CallbackQueryHandler(menu.on_menu_button, pattern=cb.pattern(cb.MENU)),
        CallbackQueryHandler(answers.on_answer_button, pattern=cb.pattern(cb.ANSWER)),
        CallbackQueryHandler(menu.on_feature_button, pattern=cb.pattern(cb.GO)),
        CallbackQueryHandler(handoff.on_button, pattern=cb.pattern(cb.HANDOFF)),
        CallbackQueryHandler(privacy.on_button, pattern=cb.pattern(cb.PRIVACY)),
        *form_handlers(),
        # Catch-alls, last: text is a question; other commands and messages get the menu;
        # a button nobody knows is stale.
        MessageHandler(private & new_message & filters.TEXT & ~filters.COMMAND, answers.on_text),
        MessageHandler(private & new_message & filters.COMMAND, menu.on_unknown_command),
        MessageHandler(
            private & new_message & ~filters.TEXT & ~filters.StatusUpdate.ALL,
            menu.on_other_message,
        ),
        CallbackQueryHandler(menu.on_stale_button),
    ]
    first: list[BaseHandler[Any, Any, Any]] = [
        # Every update first: a person who had blocked the bot is reachable again.
        TypeHandler(Update, edge.note_contact),
    ]
    gates: list[BaseHandler[Any, Any, Any]] = [
        MessageHandler(private & filters.UpdateType.EDITED, edge.on_edited),
        MessageHandler(private & new_message, edge.gate),
    ]
    return {-3: first, -2: gates, -1: housekeeping, 0: main}


def form_handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Forms and checks: their buttons, a shared contact (the form's phone), /dangky, /huy.

    Before the catch-all text handler, which would take their messages.
    """
    private = filters.ChatType.PRIVATE
    return [
        CallbackQueryHandler(registration_buttons.on_callback, pattern=cb.pattern(cb.REG)),
        CallbackQueryHandler(eligibility.on_callback, pattern=cb.pattern(cb.ELIG)),
        CallbackQueryHandler(my_registrations.on_callback, pattern=cb.pattern(cb.MYREG)),
        CallbackQueryHandler(my_registrations.on_reminder, pattern=cb.pattern(cb.REM)),
        CallbackQueryHandler(subscriptions.on_callback, pattern=cb.pattern(cb.SUB)),
        CallbackQueryHandler(registration_listening.on_form_button, pattern=cb.pattern(cb.FORM)),
        MessageHandler(filters.CONTACT & private, registration_typed.on_contact),
        CommandHandler("dangky", my_registrations.show_my_registrations, filters=private),
        CommandHandler("huy", open_flow.leave_flow, filters=private),
    ]


# -- start-up and shut-down hooks ----------------------------------------------------------------


def _settings(data: BotData) -> Settings:
    assert data.settings is not None, "build_application sets it"
    return data.settings


async def _post_init(application: AnyApplication) -> None:
    """Open what the handlers use (bot_data: db, knowledge, settings, nlu, dispatcher)."""
    data = application.bot_data
    settings = _settings(data)
    database = open_database(settings.database_url)
    # Seed YAML + officers' published edits, refreshed in the background: an edit made in the
    # dashboard reaches citizens without a restart. A bad seed still stops start-up.
    knowledge = await open_live_knowledge(database)
    dispatcher = Dispatcher(
        database,
        TelegramSender(application.bot),
        renderer=notifications.render,
        limiter=shared_limiter(application),
    )
    scheduler = build_scheduler(dispatcher, timezone=settings.timezone)
    schedule_retention(scheduler, database, days=retention_days(settings))
    dispatcher.follow()  # until this process holds the scheduler lock
    data.db = database
    data.knowledge = knowledge
    data.nlu = NluClient(
        settings.nlu_url,
        timeout=settings.nlu_timeout_seconds,
        token=nlu_auth_token(settings),
        deadline=settings.nlu_deadline_seconds,
        breaker=CircuitBreaker(),
    )
    data.dispatcher = dispatcher
    data.scheduler = scheduler
    data.message_counter = MessageCounter()
    data.answer_question = answers.answer_text
    scheduler.start(paused=True)
    leadership = _LEADERSHIP[application] = _Leadership(SchedulerLock(settings.database_url))
    leadership.start(scheduler, dispatcher)
    await application.bot.set_my_commands(
        [BotCommand(command, description) for command, description in texts.COMMANDS]
    )


async def _post_stop(application: AnyApplication) -> None:
    """Stop sending while the bot can still talk: messages being sent finish or go back."""
    leadership = _LEADERSHIP.pop(application, None)
    if leadership is not None:
        await leadership.stop()
    scheduler = application.bot_data.scheduler
    if isinstance(scheduler, AsyncIOScheduler) and scheduler.running:
        scheduler.shutdown(wait=False)
    dispatcher = application.bot_data.dispatcher
    if isinstance(dispatcher, Dispatcher):
        await dispatcher.aclose()


async def _post_shutdown(application: AnyApplication) -> None:
    knowledge = application.bot_data.knowledge
    if isinstance(knowledge, LiveKnowledgeBase):
        await knowledge.store.close()
    nlu = application.bot_data.nlu
    if nlu is not None:
        await nlu.aclose()
    database = application.bot_data.db
    if database is not None:
        await database.dispose()


class _Leadership:
    """Runs the scheduler and the dispatcher only while this process holds the lock."""

    def __init__(self, lock: SchedulerLock) -> None:
        self.lock = lock
        self._task: asyncio.Task[None] | None = None

    def start(self, scheduler: AsyncIOScheduler, dispatcher: Dispatcher) -> None:
        async def elected() -> None:
            dispatcher.lead()
            scheduler.resume()
            for job in scheduler.get_jobs():  # what start-up runs at once, the new leader runs
                job.modify(next_run_time=datetime.now(UTC))

        async def deposed() -> None:
            dispatcher.follow()
            if scheduler.running:
                scheduler.pause()

        self._task = asyncio.create_task(
            lead(self.lock, elected=elected, deposed=deposed), name="scheduler-leadership"
        )

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.lock.release()


# -- retention ----------------------------------------------------------------------------------


def schedule_retention(scheduler: AsyncIOScheduler, database: Database, *, days: int) -> None:
    """Blank old review and question texts every night, and once at start-up."""
    scheduler.add_job(
        erase_expired_texts,
        CronTrigger(hour=3, minute=17, timezone=scheduler.timezone),
        args=[database],
        kwargs={"days": days},
        id=RETENTION_JOB_ID,
        name=f"blank texts older than {days} days",
        next_run_time=datetime.now(UTC),
        coalesce=True,
        max_instances=1,
        replace_existing=True,
    )


async def erase_expired_texts(database: Database, *, days: int, now: datetime | None = None) -> int:
    """Blank the texts of NLU review items and officer questions older than `days`."""
    now = now or utcnow()
    cutoff = now - timedelta(days=days)
    async with database.transaction() as session:
        reviews = await nlu_review.erase_old_texts(session, older_than=cutoff, now=now)
        questions = await handoff_service.erase_old_texts(session, older_than=cutoff, now=now)
        # Memories expire after 30 minutes of use; a row left for a day is nobody's.
        await conversation_memory.forget_stale(session, older_than=now - timedelta(days=1))
    if reviews or questions:
        log.info("retention: blanked %d review and %d question texts", reviews, questions)
    return reviews + questions


# -- the web app ----------------------------------------------------------------------------------


def _health(application: AnyApplication, mode: str) -> HealthProbe:
    async def probe() -> tuple[bool, Mapping[str, Any]]:
        database = application.bot_data.db
        database_ok = database is not None and await _database_answers(database)
        nlu = application.bot_data.nlu
        nlu_up = nlu is not None and not nlu.circuit_open and await nlu.healthy()
        details = {
            "mode": mode,
            "bot": application.running,
            "database": database_ok,
            # Down is not unhealthy: keywords and the menu still serve every feature.
            "nlu": "up" if nlu_up else "down (keywords)",
            # Time messages waited for Telegram's limits, per priority (no personal data).
            "sending": shared_limiter(application).wait_summary(),
        }
        return application.running and database_ok, details

    return probe


async def _database_answers(database: Database) -> bool:
    try:
        async with database.transaction() as session:
            await session.execute(sql_text("SELECT 1"))
    except Exception as error:  # any failure means "not healthy"; the type is enough to log
        log.warning("health check: database unavailable (%s)", type(error).__name__)
        return False
    return True


def _dashboard(application: AnyApplication) -> ASGIApp:
    """The staff dashboard (bot.dashboard), wired to the bot's database and knowledge."""
    data = application.bot_data
    settings = _settings(data)
    assert data.db is not None and data.knowledge is not None, "post_init runs first"
    counter = data.message_counter
    assert isinstance(counter, MessageCounter), "post_init runs first"
    preview = Preview(
        nlu=data.nlu,
        knowledge=data.knowledge,
        threshold=settings.nlu_confidence_threshold,
        db=data.db,
    )
    return create_dashboard_app(
        db=data.db,
        settings=settings,
        try_bot=preview,
        bot_username=application.bot.username,
        message_counter=counter,
        knowledge=data.knowledge,
    )


# -- running it all -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Running:
    """A started bot with its web server; what `running` yields."""

    application: AnyApplication
    web: LocalServer
    webhook_url: str | None

    @property
    def db(self) -> Database:
        database = self.application.bot_data.db
        assert database is not None, "running() opened it"
        return database

    @property
    def dispatcher(self) -> Dispatcher:
        dispatcher = self.application.bot_data.dispatcher
        assert isinstance(dispatcher, Dispatcher), "running() started it"
        return dispatcher


_FROM_SETTINGS: Final = object()


@contextlib.asynccontextmanager
async def running(
    settings: Settings,
    *,
    api: BotApi,
    webhook: WebhookConfig | object | None = _FROM_SETTINGS,
    web_port: int | None = None,
) -> AsyncIterator[Running]:
    """Start bot, web app and dispatcher; on exit stop them in reverse order.

    `webhook` defaults to WEBHOOK_URL/WEBHOOK_SECRET; `None` forces long polling.
    `web_port=0` picks a free port (tests).
    """
    config = WebhookConfig.from_settings(settings) if webhook is _FROM_SETTINGS else webhook
    assert config is None or isinstance(config, WebhookConfig)
    application = build_application(settings, api=api, webhook=config is not None)
    async with contextlib.AsyncExitStack() as stack:
        await application.initialize()
        stack.push_async_callback(_shutdown, application)
        await _post_init(application)
        stack.push_async_callback(_post_stop, application)
        await application.start()
        stack.push_async_callback(application.stop)
        mode = "webhook" if config else "polling"
        endpoint = (
            WebhookEndpoint(config.path, config.secret_token, application) if config else None
        )
        web_app = create_web_app(
            health=_health(application, mode),
            webhook=endpoint,
            mounts={STAFF_PATH: _dashboard(application)},
            policy=SecurityPolicy(
                https_only=settings.served_over_https,
                proxies=TrustedProxies.parse(settings.trusted_proxies),
            ),
        )
        # The dashboard's export worker process (started by the first export) stops after
        # the web server: no request can be waiting for it any more.
        stack.callback(export_pool.shutdown_shared)
        port = settings.web_port if web_port is None else web_port
        web = LocalServer(web_app, host=settings.web_host, port=port)
        await web.start()
        stack.push_async_callback(web.stop)
        webhook_url = None
        if config is not None:
            webhook_url = config.url or f"{web.url}{config.path}"
            await application.bot.set_webhook(webhook_url, secret_token=config.secret_token)
        else:
            assert application.updater is not None
            await application.updater.start_polling(timeout=10)
            stack.push_async_callback(application.updater.stop)
        log.info("bot running (%s); web app on %s", mode, web.url)
        yield Running(application, web, webhook_url)


async def _shutdown(application: AnyApplication) -> None:
    await application.shutdown()
    await _post_shutdown(application)


async def run_application(settings: Settings) -> None:
    """`python -m bot run`: stand-in (no token), bot, web app, dispatcher; until cancelled."""
    # httpx logs every request URL at INFO, and Bot API URLs contain the token; APScheduler
    # would log each 5-second dispatcher tick.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    async with contextlib.AsyncExitStack() as stack:
        webhook: WebhookConfig | object | None = _FROM_SETTINGS
        if settings.sandbox_mode:
            standin = BotApiStandIn(
                host=settings.sandbox_host,
                port=settings.sandbox_port,
                # Telegram tolerates short bursts in a chat; the limiter uses 3 (rate_limit).
                rate_limits=RateLimits(per_private_chat_burst=3),
            )
            await stack.enter_async_context(standin)
            api = BotApi.standin(standin)
            webhook = None  # the stand-in cannot reach a public https WEBHOOK_URL
            settings = _with_sandbox_staff_chat(settings, standin)
            log.info("sandbox: Bot API stand-in on %s; chat with `make chat`", standin.url)
        else:
            api = BotApi.telegram(settings)
        await stack.enter_async_context(running(settings, api=api, webhook=webhook))
        await asyncio.Event().wait()


def _with_sandbox_staff_chat(settings: Settings, standin: BotApiStandIn) -> Settings:
    """Without STAFF_CHAT_ID the sandbox gets a staff group, so handoff notices are visible."""
    if settings.staff_chat_id is not None:
        return settings
    chat_id = standin.create_group("Cán bộ (hộp cát)")
    log.info("sandbox: staff chat %d created in the stand-in", chat_id)
    return settings.model_copy(update={"staff_chat_id": chat_id})
