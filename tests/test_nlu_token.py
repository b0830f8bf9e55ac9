"""NLU_AUTH_TOKEN, or a token generated once into var/ with mode 0600."""

from __future__ import annotations

from pathlib import Path

from bot.nlu_tools.nlu_token import nlu_auth_token
from bot.settings import Settings


def test_a_token_is_generated_once_private_and_reused(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, nlu_auth_token=None)  # type: ignore[call-arg]
    token_file = tmp_path / "var" / "nlu_auth_token"
    first = nlu_auth_token(settings, token_file=token_file)
    assert len(first) >= 32
    assert token_file.stat().st_mode & 0o077 == 0
    assert nlu_auth_token(settings, token_file=token_file) == first


def test_a_configured_token_wins_and_is_not_in_the_settings_repr(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, nlu_auth_token="configured-token-0123456789")  # type: ignore[call-arg]
    assert nlu_auth_token(settings, token_file=tmp_path / "t") == "configured-token-0123456789"
    assert not (tmp_path / "t").exists()
    assert "configured-token" not in repr(settings)
