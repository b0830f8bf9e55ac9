"""Who is the client, and did they use HTTPS? Answered with the trusted reverse proxies only.

Behind nginx or HAProxy every request comes from the proxy's address; the real client is in
`X-Forwarded-For` and the original scheme in `X-Forwarded-Proto`. Those headers are believed
only when the request comes from an address in TRUSTED_PROXIES (anyone else could write them
and pick any address, defeating the login throttle). `X-Forwarded-For` is read right to left,
skipping trusted proxies, so a client cannot prepend a fake address either. Without trusted
proxies the socket's peer address is the client, as before.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from starlette.types import Scope

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(text: str | Iterable[str]) -> tuple[Network, ...]:
    """`"127.0.0.1, 10.0.0.0/8"` → networks; raises ValueError naming a bad entry."""
    items = text.replace(";", ",").split(",") if isinstance(text, str) else list(text)
    networks = []
    for item in (entry.strip() for entry in items):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as error:
            raise ValueError(
                f"TRUSTED_PROXIES: {item!r} is not an IP address or network"
            ) from error
    return tuple(networks)


def _header(scope: Scope, name: bytes) -> str | None:
    values = [v for k, v in scope.get("headers", []) if k.lower() == name]
    if not values:
        return None
    return ",".join(v.decode("latin-1") for v in values)


@dataclass(frozen=True)
class TrustedProxies:
    networks: tuple[Network, ...] = ()

    @classmethod
    def parse(cls, text: str | Iterable[str]) -> TrustedProxies:
        return cls(parse_networks(text))

    def trusts(self, address: str | None) -> bool:
        if not address or not self.networks:
            return False
        try:
            ip = ipaddress.ip_address(address.strip())
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def _peer(self, scope: Scope) -> str | None:
        client = scope.get("client")
        return str(client[0]) if client else None

    def client_address(self, scope: Scope) -> str:
        """The client's IP address as far as trusted proxies vouch for it."""
        peer = self._peer(scope)
        if not self.trusts(peer):
            return peer or "unknown"
        forwarded = _header(scope, b"x-forwarded-for")
        if not forwarded:
            return peer or "unknown"
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        for hop in reversed(hops):
            if not self.trusts(hop):
                try:
                    return str(ipaddress.ip_address(hop))
                except ValueError:
                    return "invalid"  # garbage from the far side: one shared, throttled bucket
        return hops[0] if hops else (peer or "unknown")

    def is_https(self, scope: Scope) -> bool:
        """True when the browser's connection is HTTPS (directly, or via a trusted proxy)."""
        if scope.get("scheme") == "https":
            return True
        if not self.trusts(self._peer(scope)):
            return False
        proto = _header(scope, b"x-forwarded-proto")
        return proto is not None and proto.split(",")[0].strip().lower() == "https"
