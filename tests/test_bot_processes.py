"""BOT_PROCESSES=N gives each bot process 1/N of Telegram's overall rate (docs/deployment.md).

Two processes each pacing at 29 messages/s would send up to 58/s for one bot and draw 429s
from Telegram; the setting was documented before it was read, so this pins the wiring.
"""

from __future__ import annotations

import pytest

from bot.application import BotApi, build_application, shared_limiter
from bot.settings import Settings

API = BotApi("123456:topology-test", "http://127.0.0.1:9/bot", "http://127.0.0.1:9/file/bot")


@pytest.mark.parametrize(("processes", "per_second"), [(1, 29.0), (2, 14.5), (3, 29.0 / 3)])
def test_each_process_takes_its_share_of_the_overall_rate(
    processes: int, per_second: float
) -> None:
    settings = Settings(_env_file=None, bot_processes=processes)  # type: ignore[call-arg]
    limiter = shared_limiter(build_application(settings, api=API))
    assert limiter.max_per_second == pytest.approx(per_second)
    assert limiter.min_per_second <= limiter.max_per_second
    assert limiter.per_chat_burst == 3  # a person's replies are never split across processes


def test_bot_processes_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_PROCESSES", "2")
    assert Settings(_env_file=None).bot_processes == 2  # type: ignore[call-arg]
