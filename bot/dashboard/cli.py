"""`python -m bot staff …`: dashboard accounts from the command line.

    python -m bot staff create-admin --login L --name "Full Name"
    python -m bot staff add --login L --name N --role officer --commune dam_ha
    python -m bot staff list
    python -m bot staff set-password --login L
    python -m bot staff disable --login L        (enable --login L)

Passwords are asked twice at the terminal, or read from the first line of standard input with
`--password-stdin` (for scripts: `printf '%s\n' "$PW" | python -m bot staff add …`); they are
never taken as an argument, where they would land in the shell history and the process list.
`--database-url` overrides DATABASE_URL. Changes are audited as actor `staff:cli`.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys

from sqlalchemy.exc import DBAPIError

from bot.db.engine import open_database
from bot.db.enums import StaffRole
from bot.services import actors, staff
from bot.services.communes import resolve_commune
from bot.texts import dashboard as t

CLI_ACTOR = actors.staff("cli")


class _PasswordUnavailable(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot staff", description="dashboard accounts")
    parser.add_argument("--database-url", help="overrides DATABASE_URL")
    commands = parser.add_subparsers(dest="command", required=True)
    admin = commands.add_parser("create-admin", help="create an administrator")
    add = commands.add_parser("add", help="create an account with a role")
    for sub in (admin, add):
        sub.add_argument("--login", required=True)
        sub.add_argument("--name", required=True, help="full name, as colleagues know it")
        sub.add_argument("--password-stdin", action="store_true")
    add.add_argument("--role", required=True, choices=[role.value for role in StaffRole])
    add.add_argument("--commune", help="dam_ha or quang_tan (required for officers)")
    commands.add_parser("list", help="list accounts")
    password = commands.add_parser("set-password", help="replace an account's password")
    password.add_argument("--login", required=True)
    password.add_argument("--password-stdin", action="store_true")
    for name in ("disable", "enable"):
        toggle = commands.add_parser(name, help=f"{name} an account")
        toggle.add_argument("--login", required=True)
    return parser


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise _PasswordUnavailable
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise _PasswordUnavailable
    first = getpass.getpass(t.CLI_PASSWORD_PROMPT)
    if first != getpass.getpass(t.CLI_PASSWORD_AGAIN):
        raise ValueError(t.CLI_PASSWORD_MISMATCH)
    return first


def _url(args: argparse.Namespace) -> str:
    if args.database_url:
        return str(args.database_url)
    from bot.settings import get_settings

    return get_settings().database_url


def _problem_text(error: staff.AccountRefused) -> str:
    template = t.ACCOUNT_PROBLEMS.get(error.problem.value, str(error))
    return template.format(min=staff.MIN_PASSWORD_LENGTH, max=staff.MAX_PASSWORD_LENGTH)


async def _run(args: argparse.Namespace, password: str | None) -> str:
    db = open_database(_url(args))
    try:
        async with db.transaction() as session:
            if args.command in ("create-admin", "add"):
                role = StaffRole.ADMIN if args.command == "create-admin" else StaffRole(args.role)
                commune = getattr(args, "commune", None)
                code = resolve_commune(commune) if commune else None
                if commune and code is None:
                    raise staff.AccountRefused(staff.AccountProblem.UNKNOWN_COMMUNE, commune)
                user = await staff.create_staff(
                    session=session,
                    login=args.login,
                    full_name=args.name,
                    password=password or "",
                    role=role,
                    commune=code,
                    actor=CLI_ACTOR,
                )
                where = f", {t.COMMUNES.get(user.commune, user.commune)}" if user.commune else ""
                return t.CLI_CREATED.format(login=user.login, role=t.ROLES[role], commune=where)
            if args.command == "set-password":
                user = await staff.set_password(
                    session=session, login=args.login, password=password or "", actor=CLI_ACTOR
                )
                return t.CLI_PASSWORD_SET.format(login=user.login)
            if args.command in ("disable", "enable"):
                user = await staff.set_active(
                    session=session,
                    login=args.login,
                    active=args.command == "enable",
                    actor=CLI_ACTOR,
                )
                state = t.CLI_STATE_ACTIVE if user.active else t.CLI_STATE_INACTIVE
                return t.CLI_ACTIVE_SET.format(login=user.login, state=state)
            lines = []
            for user in await staff.list_staff(session):
                state = t.CLI_STATE_ACTIVE if user.active else t.CLI_STATE_INACTIVE
                commune = t.COMMUNES.get(user.commune, user.commune) if user.commune else "-"
                lines.append(f"{user.login:<20} {t.ROLES[user.role]:<12} {commune:<14} {state}")
            return "\n".join(lines)
    finally:
        await db.dispose()


def main(argv: list[str]) -> int:
    """Run one account command; returns the process exit status."""
    args = _parser().parse_args(argv)
    password = None
    try:
        if args.command in ("create-admin", "add", "set-password"):
            password = _read_password(args.password_stdin)
        print(asyncio.run(_run(args, password)))
    except _PasswordUnavailable:
        print(t.CLI_NO_PASSWORD, file=sys.stderr)
        return 2
    except ValueError as error:  # includes AccountRefused and the mismatch above
        text = _problem_text(error) if isinstance(error, staff.AccountRefused) else str(error)
        print(text, file=sys.stderr)
        return 1
    except DBAPIError as error:
        print(f"database error: {error.orig!r}; is it migrated? (python -m bot db upgrade)",
              file=sys.stderr)  # fmt: skip
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
