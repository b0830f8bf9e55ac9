"""Security headers on every response of the web app: pages, files, JSON, errors, 500s.

Applied as the outermost ASGI layer (outside Starlette's error middleware), so static files,
/healthz, the webhook, 404s and even the "Internal Server Error" page carry them:
- a Content-Security-Policy (the dashboard's own is stricter about what a page may load; for
  everything else nothing may be loaded or framed);
- X-Content-Type-Options: nosniff, Referrer-Policy, X-Frame-Options: DENY (and CSP
  frame-ancestors 'none', its modern form);
- Strict-Transport-Security when the site is served over HTTPS: the configured public URL is
  https, or this request came over https (directly or per X-Forwarded-Proto from a trusted
  proxy). Browsers ignore HSTS over plain http, and sending it to a developer's
  http://127.0.0.1 would be wrong, hence the condition.
A header the application already set (the dashboard's CSP, its Cache-Control) is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.proxy import TrustedProxies

DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
HSTS = "max-age=31536000"
BASE_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", DEFAULT_CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
)


@dataclass(frozen=True)
class SecurityPolicy:
    """`https_only`: the public address is https (HSTS on every response)."""

    https_only: bool = False
    proxies: TrustedProxies = field(default_factory=TrustedProxies)


class SecurityHeaders:
    def __init__(self, app: ASGIApp, policy: SecurityPolicy | None = None) -> None:
        self.app = app
        self.policy = policy or SecurityPolicy()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = list(BASE_HEADERS)
        if self.policy.https_only or self.policy.proxies.is_https(scope):
            extra.append((b"strict-transport-security", HSTS.encode()))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in extra if name not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
