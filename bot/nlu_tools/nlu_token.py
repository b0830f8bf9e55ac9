"""The token of the NLU server's HTTP API: NLU_AUTH_TOKEN, or generated once into var/.

Rasa's HTTP API can load a model (PUT /model), which is code execution for whoever can call
it (CVE-2024-49375 was exactly that, unauthenticated). The API therefore always runs with a
token: the runner starts the server with it and the bot's client sends it. Set
NLU_AUTH_TOKEN when the NLU server runs on another machine; otherwise both sides read
var/nlu_auth_token (0600), created on first use. The token is never logged.
"""

from __future__ import annotations

from pathlib import Path

from bot.local_secret import read_or_create
from bot.settings import PROJECT_ROOT, Settings

TOKEN_FILE = PROJECT_ROOT / "var" / "nlu_auth_token"


def nlu_auth_token(settings: Settings, *, token_file: Path = TOKEN_FILE) -> str:
    """The configured token, else the one generated on this machine."""
    if settings.nlu_auth_token:
        return settings.nlu_auth_token
    return read_or_create(token_file)
