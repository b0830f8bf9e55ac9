"""A local stand-in for the Telegram Bot API: tests, benchmarks and a sandbox without a token.

Public surface:
    BotApiStandIn      in-process server + simulation API (`async with BotApiStandIn() as s`)
    SandboxClient      the same simulation API over HTTP, for other processes
    RateLimits         flood limits (30/s overall, 1/s per private chat by default)
    RetryPolicy        webhook retry backoff
    ChatMessage, Citizen, StoredFile   what the simulation API returns
    serve              run the stand-in forever (used by bot.runner)
"""

from telegram_standin.client import SandboxClient
from telegram_standin.engine import DEFAULT_TOKEN
from telegram_standin.limits import RateLimits, Stats
from telegram_standin.server import base_url, control_url, serve
from telegram_standin.simulation import SimulationError
from telegram_standin.standin import BotApiStandIn
from telegram_standin.webhook import SECRET_HEADER, RetryPolicy
from telegram_standin.world import ChatMessage, Citizen, StoredFile

__all__ = [
    "DEFAULT_TOKEN",
    "SECRET_HEADER",
    "BotApiStandIn",
    "ChatMessage",
    "Citizen",
    "RateLimits",
    "RetryPolicy",
    "SandboxClient",
    "SimulationError",
    "Stats",
    "StoredFile",
    "base_url",
    "control_url",
    "serve",
]
