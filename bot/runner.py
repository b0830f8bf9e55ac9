"""`python -m bot run`: start everything the product needs, stop all of it on Ctrl-C.

Order matters: the NLU server takes ~10 s and ~800 MB to load, so it starts first (in its
own process group, from `.venv-nlu`) while nothing else waits on it; then, without a
Telegram token, the local Bot API stand-in; then the bot and the web app in this process.
On Ctrl-C or SIGTERM every started piece is stopped in reverse order, and the NLU server's
whole process group is killed, so no orphan survives.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys

from bot.nlu_tools import model_store, rasa_process
from bot.nlu_tools.nlu_token import nlu_auth_token
from bot.settings import PROJECT_ROOT, Settings, get_settings

log = logging.getLogger("bot.runner")


def _start_nlu(settings: Settings) -> rasa_process.RasaServer:
    model, _ = model_store.ensure_trained()
    rasa_process.log(
        f"==> Starting the NLU server on {settings.nlu_url} (about 10 s; log: var/nlu-server.log)"
    )
    (PROJECT_ROOT / "var").mkdir(exist_ok=True)
    return rasa_process.start_server(
        model,
        host=settings.nlu_host,
        port=settings.nlu_port,
        log_file=PROJECT_ROOT / "var" / "nlu-server.log",
        workers=settings.nlu_workers,
        auth_token=nlu_auth_token(settings),
    )


async def _serve(settings: Settings) -> None:
    """Run the stand-in (sandbox mode), the bot and the web app until cancelled."""
    from bot.application import run_application

    await run_application(settings)


def chat(argv: list[str]) -> int:
    """Entry point of `python -m bot chat`: the stand-in's terminal client, pointed by the
    bot's own settings (SANDBOX_HOST/SANDBOX_PORT, .env included) at the stand-in it runs."""
    from telegram_standin import chat as standin_chat
    from telegram_standin.server import control_url

    if not any(arg == "--url" or arg.startswith("--url=") for arg in argv):
        settings = get_settings()
        argv = ["--url", control_url(settings.sandbox_host, settings.sandbox_port), *argv]
    return standin_chat.main(argv)


def main(argv: list[str]) -> int:
    """Entry point of `python -m bot run`."""
    parser = argparse.ArgumentParser(prog="python -m bot run")
    parser.add_argument("--no-nlu", action="store_true", help="do not start the NLU server")
    args = parser.parse_args(argv)
    settings = get_settings()
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # httpx logs every request URL at INFO: the NLU token and the Bot API token are in them.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    nlu: rasa_process.RasaServer | None = None
    try:
        if not args.no_nlu:
            nlu = _start_nlu(settings)
            rasa_process.log(f"    NLU server ready ({nlu.rss_bytes() / 2**20:.0f} MB)")
        loop = asyncio.new_event_loop()
        main_task = loop.create_task(_serve(settings))
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, main_task.cancel)
        with contextlib.suppress(asyncio.CancelledError):
            loop.run_until_complete(main_task)
        loop.close()
    except rasa_process.RasaError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    finally:
        if nlu is not None:
            rasa_process.log("==> Stopping the NLU server")
            nlu.stop()
    return 0
