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

    # NLU server (Rasa, its own process and virtualenv).
    nlu_host: str = "127.0.0.1"
    nlu_port: int = Field(default=5005, ge=1, le=65535)
    nlu_timeout_seconds: float = Field(default=3.0, gt=0)
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

    # Local Telegram Bot API stand-in used when no token is set.
    sandbox_host: str = "127.0.0.1"
    sandbox_port: int = Field(default=8081, ge=1, le=65535)

    timezone: str = "Asia/Ho_Chi_Minh"
    log_level: str = "INFO"

    @field_validator("webhook_url")
    @classmethod
    def _webhook_needs_https(cls, value: str | None) -> str | None:
        if value and not value.startswith("https://"):
            raise ValueError(f"WEBHOOK_URL must start with https:// (got {value!r})")
        return value

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
