"""Start `rasa` with the API token taken from the environment, not from the command line.

Run by the NLU venv's Python (3.10) as a plain script: `python nlu/server/launch.py run …`. Rasa
reads its API token only from `--auth-token`, and a process's command line is readable by
every local user (`ps`, /proc/PID/cmdline), while its environment is readable only by its own
user. So the parent passes the token in RASA_API_TOKEN; this script removes it from the
environment (children and crash reports do not inherit it) and appends `--auth-token` to
Rasa's in-memory argv before calling Rasa's own entry point. Imports nothing from `bot`.
"""

import os
import sys

ENV_VAR = "RASA_API_TOKEN"


def main() -> int:
    token = os.environ.pop(ENV_VAR, "")
    if not token:
        print(f"{ENV_VAR} is not set: refusing to start the API without a token", file=sys.stderr)
        return 2
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *sys.argv[1:], "--auth-token", token]
    result = rasa_main()
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
