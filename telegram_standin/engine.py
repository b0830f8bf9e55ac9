"""One Bot API call from token check to JSON answer, independent of the HTTP server.

Order matters and mirrors Telegram: token first (404 malformed, 401 unknown), then unknown
methods (404), then injected faults (they stand for failures in front of the API, so the
call is not executed), then the method itself with its own 400/403/409/429 answers.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from telegram_standin import errors
from telegram_standin.limits import FaultInjector, RateLimiter, RateLimits, Stats
from telegram_standin.params import Params
from telegram_standin.world import BotIdentity, Chat, World

_LOGGER = logging.getLogger(__name__)
TOKEN_PATTERN = re.compile(r"\d{1,20}:[A-Za-z0-9_-]{30,50}")
DEFAULT_TOKEN = "7000000001:SANDBOX-token-for-the-local-stand-in00"

Handler = Callable[["Engine", Params], Awaitable[Any]]
_METHODS: dict[str, tuple[str, Handler]] = {}


def api_method(name: str) -> Callable[[Handler], Handler]:
    """Register a Bot API method; Telegram matches method names case-insensitively."""

    def register(handler: Handler) -> Handler:
        _METHODS[name.lower()] = (name, handler)
        return handler

    return register


def known_methods() -> list[str]:
    return sorted(name for name, _ in _METHODS.values())


class Engine:
    """Executes Bot API calls against a `World`."""

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_first_name: str = "Trợ lý An sinh",
        bot_username: str = "tro_ly_an_sinh_bot",
        rate_limits: RateLimits | None = None,
        strict_html_entities: bool = True,
    ) -> None:
        if not TOKEN_PATTERN.fullmatch(token):
            raise ValueError(f"token {token!r} does not look like a Bot API token (<id>:<secret>)")
        # Importing registers the methods; done here so `engine` has no import cycle.
        from telegram_standin import methods_messages, methods_updates  # noqa: F401

        self.token = token
        bot_id = int(token.split(":", 1)[0])
        self.world = World(BotIdentity(bot_id, bot_first_name, bot_username))
        self.rate_limits = rate_limits or RateLimits()
        self.limiter = RateLimiter(self.rate_limits)
        self.faults = FaultInjector()
        self.stats = Stats()
        self.strict_html_entities = strict_html_entities

    def set_rate_limits(self, limits: RateLimits) -> None:
        self.rate_limits = limits
        self.limiter = RateLimiter(limits)

    async def call(self, token: str, method: str, params: Params) -> tuple[int, dict[str, Any]]:
        """Run `method`; return the HTTP status and the JSON body Telegram would send."""
        try:
            if not TOKEN_PATTERN.fullmatch(token):
                raise errors.not_found()
            if token != self.token:
                raise errors.unauthorized()
            entry = _METHODS.get(method.lower())
            if entry is None:
                _LOGGER.warning("Bot API method %r is not implemented by the stand-in", method)
                raise errors.not_found()
        except errors.ApiError as exc:
            return self._failed(method, exc)
        name, handler = entry
        self.stats.calls[name] += 1
        fault = self.faults.take(name)
        if fault is not None:
            if fault.delay:
                await asyncio.sleep(fault.delay)
            injected = fault.error()
            if injected is not None:
                return self._failed(name, injected)
        try:
            result = await handler(self, params)
        except errors.ApiError as exc:
            return self._failed(name, exc)
        except Exception as exc:
            # A bug in the stand-in, not a Telegram answer: say so loudly, in JSON PTB can read.
            _LOGGER.exception("stand-in failed on %s", name)
            bug = errors.ApiError(500, f"Internal Server Error: stand-in bug in {name}: {exc!r}")
            return self._failed(name, bug)
        self.stats.statuses[200] += 1
        return 200, {"ok": True, "result": result}

    def _failed(self, method: str, exc: errors.ApiError) -> tuple[int, dict[str, Any]]:
        self.stats.statuses[exc.status] += 1
        self.stats.errors[exc.description] += 1
        if exc.status == 429:
            self.stats.too_many_requests += 1
        _LOGGER.debug("%s -> %s %s", method, exc.status, exc.description)
        return exc.status, exc.payload()

    def count_message(self, chat: Chat) -> None:
        """Apply the flood limits to one outgoing message."""
        self.limiter.check_and_count(chat.chat_id, private=chat.type == "private")

    def target_chat(self, params: Params, *, sending: bool) -> Chat:
        """The chat named by `chat_id`, or Telegram's 400/403 for why the bot cannot use it."""
        chat_id = params.chat_id()
        world = self.world
        chat = world.chats.get(chat_id)
        citizen = world.citizens.get(chat_id)
        if citizen is not None:
            if chat is None or not chat.opened:
                raise errors.ApiError(403, errors.CANT_INITIATE)
            if sending and citizen.blocked_bot:
                raise errors.ApiError(403, errors.BOT_BLOCKED)
            return chat
        if chat is None or chat.type == "private":
            raise errors.ApiError(400, errors.CHAT_NOT_FOUND)
        return chat
