"""The NLU API token never reaches a log, even from the launcher's readiness checks."""

from __future__ import annotations

import subprocess
import sys

from bot.settings import PROJECT_ROOT

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
