"""Command line: `python -m bot <command> ...`.

Each command group lives in the module that owns the feature; this file only dispatches, so
adding a command never means editing a growing if-chain here.

    python -m bot run            start NLU server (if needed), stand-in (without a token), bot, web
    python -m bot nlu ...        train | eval | serve | parse  (see `python -m bot nlu -h`)
    python -m bot db ...         upgrade | ...                 (see `python -m bot db -h`)
    python -m bot chat           talk to the sandbox bot as a citizen, in this terminal
    python -m bot staff ...      manage dashboard accounts
"""

from __future__ import annotations

import importlib
import sys

COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("bot.runner", "start every process the product needs and supervise them"),
    "nlu": ("bot.nlu_tools.cli", "train, evaluate and serve the Rasa NLU model"),
    "db": ("bot.db.cli", "database migrations"),
    "chat": ("bot.runner:chat", "chat with the sandbox bot as a citizen"),
    "staff": ("bot.dashboard.cli", "dashboard accounts"),
}


def _usage() -> str:
    lines = ["usage: python -m bot <command> [args]", "", "commands:"]
    lines += [f"  {name:<6} {help_text}" for name, (_, help_text) in COMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Dispatch to `<module>.main(argv)` (or `<module>.<function>(argv)`) of the named command."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"} or args[0] not in COMMANDS:
        print(_usage(), file=sys.stderr if args and args[0] not in {"-h", "--help"} else sys.stdout)
        return 0 if not args or args[0] in {"-h", "--help"} else 2
    target, _ = COMMANDS[args[0]]
    module_name, _, function = target.partition(":")
    module = importlib.import_module(module_name)
    result: int = getattr(module, function or "main")(args[1:])
    return result


if __name__ == "__main__":
    raise SystemExit(main())
