"""Signed session cookies pointing at server-side sessions, the CSRF token, device cookies.

The session cookie holds only a random session token, the CSRF token and flash messages
(no personal data), signed with itsdangerous so it cannot be forged, HttpOnly so page scripts
cannot read it, SameSite=Lax, and Secure when the browser came over HTTPS (directly or via a
trusted proxy). Who is signed in is decided by the `staff_sessions` row the token names
(services.staff_sessions): logout, a new password, a disabled account or an admin end that row,
and a cookie copied before is refused after. The password fingerprint (`pwv`) is checked too,
so a password replaced by any means ends older sessions even without the row being revoked.

CSRF: every session (anonymous ones too, for the login form) has a random token; every form
posts it back and `valid_csrf` compares it in constant time. The token changes at login so a
token seen before login is useless after it.

Device cookie: after a successful sign-in the browser keeps a long-lived signed cookie naming
the account and a random device id; services.login_throttle lets such a browser sign in to
that account even while the account is locked for other browsers (see there).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from bot.proxy import TrustedProxies

COOKIE_NAME = "tlas_staff"
DEVICE_COOKIE = "tlas_device"
MAX_AGE = 12 * 3600
DEVICE_MAX_AGE = 90 * 24 * 3600
CSRF_FIELD = "csrf_token"


@dataclass
class SessionData:
    csrf: str
    token: str | None = None  # names the server-side session row
    password_version: str = ""
    flashes: list[tuple[str, str]] = field(default_factory=list)
    modified: bool = False

    @classmethod
    def fresh(cls) -> SessionData:
        return cls(csrf=secrets.token_urlsafe(32), modified=True)

    def sign_in(self, token: str, password_version: str) -> None:
        """A new CSRF token at login: one from before login must not work after it."""
        self.csrf = secrets.token_urlsafe(32)
        self.token = token
        self.password_version = password_version
        self.modified = True

    def sign_out(self) -> None:
        self.csrf = secrets.token_urlsafe(32)
        self.token = None
        self.password_version = ""
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
    def __init__(self, secret: str, proxies: TrustedProxies | None = None) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="tro-ly-an-sinh.dashboard")
        self._devices = URLSafeTimedSerializer(secret, salt="tro-ly-an-sinh.device")
        self._proxies = proxies or TrustedProxies()

    def load(self, request: Request) -> SessionData:
        raw = request.cookies.get(COOKIE_NAME)
        if not raw:
            return SessionData.fresh()
        try:
            data = self._serializer.loads(raw, max_age=MAX_AGE)
            token = data.get("s")
            return SessionData(
                csrf=str(data["c"]),
                token=token if isinstance(token, str) else None,
                password_version=str(data.get("p", "")),
                flashes=[(str(k), str(m)) for k, m in data.get("f", [])],
            )
        except (BadSignature, KeyError, TypeError, ValueError, AttributeError):
            return SessionData.fresh()

    def _cookie(
        self, request: Request, response: Response, name: str, value: str, age: int
    ) -> None:
        response.set_cookie(
            name,
            value,
            max_age=age,
            path=request.scope.get("root_path") or "/",
            httponly=True,
            samesite="lax",
            secure=self._proxies.is_https(request.scope),
        )

    def save(self, request: Request, response: Response, session: SessionData) -> None:
        value = self._serializer.dumps(
            {
                "c": session.csrf,
                "s": session.token,
                "p": session.password_version,
                "f": session.flashes,
            }
        )
        self._cookie(request, response, COOKIE_NAME, value, MAX_AGE)

    def trusted_device(self, request: Request, login: str) -> str | None:
        """The device id of a valid device cookie issued to `login`, else None."""
        raw = request.cookies.get(DEVICE_COOKIE)
        if not raw:
            return None
        try:
            data = self._devices.loads(raw, max_age=DEVICE_MAX_AGE)
            if data.get("l") == login and isinstance(data.get("d"), str):
                return str(data["d"])
        except (BadSignature, TypeError, ValueError, AttributeError):
            return None
        return None

    def remember_device(
        self, request: Request, response: Response, login: str, device: str | None
    ) -> None:
        """Issue (or renew) the device cookie for `login` after a successful sign-in."""
        value = self._devices.dumps({"l": login, "d": device or secrets.token_urlsafe(16)})
        self._cookie(request, response, DEVICE_COOKIE, value, DEVICE_MAX_AGE)
