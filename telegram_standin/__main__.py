"""`python -m telegram_standin`: talk to the bot running against the stand-in, as a citizen.

The stand-in is its own small product; its terminal client needs nothing from `bot`, so
`make chat` starts it directly.
"""

from __future__ import annotations

import sys

from telegram_standin.chat import main

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
