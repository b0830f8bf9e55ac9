"""The NLU API token never reaches a log, even from the launcher's readiness checks."""

from __future__ import annotations

import logging
import subprocess
import sys

import httpx
import pytest

from bot.nlu_client import NluClient
from bot.settings import PROJECT_ROOT
from bot.understanding import Source, understand

# What `make run` does first: import the launcher, poll /status with the token in the URL.
_LAUNCHER_LOGS = """
import logging, httpx
import bot.nlu_tools.rasa_process
logging.basicConfig(level=logging.INFO)
url = httpx.URL("http://127.0.0.1:5005/status?token=s3cret-token-value")
logging.getLogger("httpx").info('HTTP Request: %s %s "%s"', "GET", url, "HTTP/1.1 200 OK")
"""


def test_a_request_url_with_the_token_is_logged_without_it() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _LAUNCHER_LOGS],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "s3cret-token-value" not in result.stderr
    assert "token=***" in result.stderr


async def test_a_refused_parse_is_logged_without_the_token(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A bot started with the wrong token: the server answers 401 to every parse. The
    # fallback to keywords is logged with the reason, and the reason must not carry the URL.
    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"message": "User is not authenticated."})

    transport = httpx.MockTransport(refuse)
    with caplog.at_level(logging.DEBUG):
        async with NluClient(
            "http://nlu.test", token="s3cret-token-value", transport=transport
        ) as client:
            result = await understand("mẹ tôi 80 tuổi có được trợ cấp không", client)

    assert result.source is Source.KEYWORDS  # the citizen still gets an answer
    assert "HTTP 401" in caplog.text  # the reason is there …
    assert "s3cret-token-value" not in caplog.text  # … the token is not
