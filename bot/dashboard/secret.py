"""The key that signs dashboard session cookies: from settings, or generated once in dev.

There is no built-in default: a default key in the source would let anyone who read it forge
an admin session. Production sets DASHBOARD_SECRET_KEY. On a developer machine (no Telegram
token: sandbox mode) a random key is generated into var/ the first time and reused, so
sessions survive restarts without anyone having to invent a secret.
"""

from __future__ import annotations

from pathlib import Path

from bot.local_secret import read_or_create
from bot.settings import PROJECT_ROOT, Settings

DEV_SECRET_FILE = PROJECT_ROOT / "var" / "dashboard_secret_key"
MIN_SECRET_LENGTH = 32


class MissingSecret(RuntimeError):
    """Production without DASHBOARD_SECRET_KEY: refuse to start rather than guess."""


def dashboard_secret(settings: Settings, *, dev_file: Path = DEV_SECRET_FILE) -> str:
    """The signing key; raises `MissingSecret` outside sandbox mode when none is configured."""
    configured = settings.dashboard_secret_key
    if configured:
        if len(configured) < MIN_SECRET_LENGTH:
            raise MissingSecret(
                f"DASHBOARD_SECRET_KEY is {len(configured)} characters long; use at least "
                f"{MIN_SECRET_LENGTH}, e.g. from `python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))'`"
            )
        return configured
    if not settings.sandbox_mode:
        raise MissingSecret(
            "DASHBOARD_SECRET_KEY is not set: a Telegram token is configured (production), so "
            "the dashboard refuses to sign sessions with a generated key. Set it in .env."
        )
    return read_or_create(dev_file, min_length=MIN_SECRET_LENGTH)
