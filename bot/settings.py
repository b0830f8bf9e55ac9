"""Application settings, read once from the environment (and an optional `.env` file).

One place for every knob, so a mis-typed variable fails at start-up with its name in the
message instead of surfacing as a confusing error deep inside a handler.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every setting, with a default that works on a developer machine."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # Telegram. No token means: run against the local Bot API stand-in (sandbox).
    telegram_bot_token: str | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    webhook_url: str | None = None
    webhook_secret: str | None = None
    staff_chat_id: int | None = None
    # Bot processes behind one proxy (docs/deployment.md): Telegram's ~30 messages/s are per
    # bot, so each process's limiter takes 1/N of them.
    bot_processes: int = Field(default=1, ge=1, le=16)

    # NLU server (Rasa, its own process and virtualenv).
    nlu_host: str = "127.0.0.1"
    nlu_port: int = Field(default=5005, ge=1, le=65535)
    nlu_timeout_seconds: float = Field(default=3.0, gt=0)
    # Longest a citizen's message waits for the NLU (retry included); then keywords answer.
    nlu_deadline_seconds: float = Field(default=1.5, gt=0)
    # Token of the NLU server's HTTP API; unset: generated once into var/nlu_auth_token.
    nlu_auth_token: str | None = Field(default=None, min_length=16, repr=False)
    # Sanic worker processes of the NLU server, ~600 MB each (see nlu/server/lock_store.py).
    # One meets the latency target on two cores; more help only on bigger machines.
    nlu_workers: int = Field(default=1, ge=1, le=8)
    nlu_confidence_threshold: float = Field(default=0.55, ge=0, le=1)
    # How long free text citizens typed (unclear messages, questions to officers) is kept.
    review_retention_days: int = Field(default=90, ge=1)
    # Per-person flood limit (services.flood): at most this many messages per window answered.
    flood_messages: int = Field(default=5, ge=1)
    flood_window_seconds: float = Field(default=4.0, gt=0)

    # Storage: SQLite file by default, PostgreSQL through DATABASE_URL.
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'tro_ly_an_sinh.sqlite3'}"

    # Web app (dashboard + webhook + health).
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8080, ge=1, le=65535)
    dashboard_secret_key: str | None = None
    # Reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For and
    # X-Forwarded-Proto are believed; empty: the socket's peer is the client.
    trusted_proxies: str = ""
    # A refused sign-in (throttled, or every hashing slot taken) is answered after this many
    # seconds: a script retrying at once slows to one try per hold instead of hundreds per
    # second on the event loop the bot shares (bot/dashboard/tarpit.py). 0 switches it off.
    login_refusal_hold_seconds: float = Field(default=2.0, ge=0, le=30)
    # The public address staff and Telegram use; https:// here turns on HSTS everywhere.
    public_base_url: str | None = None

    # Local Telegram Bot API stand-in used when no token is set.
    sandbox_host: str = "127.0.0.1"
    sandbox_port: int = Field(default=8081, ge=1, le=65535)

    # Officers' desk: attendance (check-in and no-show) opens this many hours before an event;
    # a rejection notice waits this many minutes so that "undo" reaches nobody; commune
    # offices' default working hours ("weekdays HH:MM-HH:MM …", 0 = Monday), used for a
    # commune that has no hours of its own in the office_hours table.
    attendance_opens_hours: float = Field(default=2.0, ge=0, le=72)
    rejection_undo_minutes: int = Field(default=5, ge=0, le=120)
    office_hours: str = "0-4 07:30-11:30 13:30-17:00"

    timezone: str = "Asia/Ho_Chi_Minh"
    log_level: str = "INFO"

    @field_validator("webhook_url")
    @classmethod
    def _webhook_needs_https(cls, value: str | None) -> str | None:
        if value and not value.startswith("https://"):
            raise ValueError(f"WEBHOOK_URL must start with https:// (got {value!r})")
        return value

    @field_validator("office_hours")
    @classmethod
    def _office_hours_parse(cls, value: str) -> str:
        """A typo in OFFICE_HOURS fails at start-up, not when a citizen asks an officer."""
        from bot.services.office_hours import InvalidHours, parse_hours

        try:
            parse_hours(value)
        except InvalidHours as error:
            message = f"OFFICE_HOURS: cannot read {error} (e.g. '0-4 07:30-17:00')"
            raise ValueError(message) from None
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_addresses(cls, value: str) -> str:
        from bot.proxy import parse_networks

        parse_networks(value)
        return value

    @property
    def served_over_https(self) -> bool:
        """The public address is https (PUBLIC_BASE_URL, else WEBHOOK_URL)."""
        base = self.public_base_url or self.webhook_url or ""
        return base.startswith("https://")

    @property
    def nlu_url(self) -> str:
        """Base URL of the Rasa HTTP server."""
        return f"http://{self.nlu_host}:{self.nlu_port}"

    @property
    def sandbox_mode(self) -> bool:
        """True when the bot talks to the local stand-in instead of Telegram."""
        return not self.telegram_bot_token


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; tests build their own `Settings(...)` instead."""
    return Settings()
