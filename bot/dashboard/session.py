"""Signed-cookie sessions and the CSRF token they carry.

The cookie holds only ids and tokens (no personal data), signed with itsdangerous so it cannot
be forged, HttpOnly so page scripts cannot read it, SameSite=Lax, and Secure when the request
came over HTTPS. It expires after `MAX_AGE` seconds however active the person is: an office
PC left signed in overnight is signed out by morning. The staff account is reloaded on every
request, so a disabled account or a new password ends its sessions at once (`pwv`).

CSRF: every session (anonymous ones too, for the login form) has a random token; every form
posts it back and `valid_csrf` compares it in constant time. The token changes at login so a
token seen before login is useless after it.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

COOKIE_NAME = "tlas_staff"
MAX_AGE = 12 * 3600
CSRF_FIELD = "csrf_token"


@dataclass
class SessionData:
    csrf: str
    user_id: int | None = None
    password_version: str = ""
    flashes: list[tuple[str, str]] = field(default_factory=list)
    modified: bool = False

    @classmethod
    def fresh(cls) -> SessionData:
        return cls(csrf=secrets.token_urlsafe(32), modified=True)

    def sign_in(self, user_id: int, password_version: str) -> None:
        """A new token at login: one from before login must not work after it."""
        self.csrf = secrets.token_urlsafe(32)
        self.user_id = user_id
        self.password_version = password_version
        self.modified = True

    def flash(self, kind: str, message: str) -> None:
        self.flashes.append((kind, message))
        self.modified = True

    def pop_flashes(self) -> list[tuple[str, str]]:
        flashes, self.flashes = self.flashes, []
        if flashes:
            self.modified = True
        return flashes

    def valid_csrf(self, token: Any) -> bool:
        return isinstance(token, str) and hmac.compare_digest(token, self.csrf)


class SessionCodec:
    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="tro-ly-an-sinh.dashboard")

    def load(self, request: Request) -> SessionData:
        raw = request.cookies.get(COOKIE_NAME)
        if not raw:
            return SessionData.fresh()
        try:
            data = self._serializer.loads(raw, max_age=MAX_AGE)
            return SessionData(
                csrf=str(data["c"]),
                user_id=data.get("u"),
                password_version=str(data.get("p", "")),
                flashes=[(str(k), str(m)) for k, m in data.get("f", [])],
            )
        except (BadSignature, KeyError, TypeError, ValueError):
            return SessionData.fresh()

    def save(self, request: Request, response: Response, session: SessionData) -> None:
        value = self._serializer.dumps(
            {
                "c": session.csrf,
                "u": session.user_id,
                "p": session.password_version,
                "f": session.flashes,
            }
        )
        response.set_cookie(
            COOKIE_NAME,
            value,
            max_age=MAX_AGE,
            path=request.scope.get("root_path") or "/",
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
