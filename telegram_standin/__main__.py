"""`python -m telegram_standin`: talk to the bot running against the stand-in, as a citizen.

The stand-in is its own small product and its terminal client needs nothing from `bot`
(SANDBOX_HOST/SANDBOX_PORT from the environment). `make chat` runs `python -m bot chat`, which
passes the URL from the bot's settings, .env included.
"""

from __future__ import annotations

import sys

from telegram_standin.chat import main

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
