"""The one place that says which address a request comes from (login lockout, rate limits,
the origin of every processing-log record).

Behind a reverse proxy every request arrives from the proxy's address. The proxy's
`X-Forwarded-For` header names the client, but any client can send that header itself, so it is
read only when the direct peer (`REMOTE_ADDR`) is one of `THUIS_TRUSTED_PROXIES`. It is then read
right to left: each proxy appends the address it received the request from, so the first
address from the right that is not a trusted proxy is the client. An empty setting trusts no
forwarded header at all (docs/configuration.md).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"THUIS_TRUSTED_PROXIES: {entry!r} is no IP address or network (CIDR)."
            ) from exc
    return tuple(networks)


def trusted_proxies() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "THUIS_TRUSTED_PROXIES", ())))


def _parse(value: str) -> Address | None:
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, networks: Iterable[Network]) -> bool:
    return any(address in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The client's address: `REMOTE_ADDR`, or from `X-Forwarded-For` when a trusted proxy sent
    the request. Never an address that an untrusted peer chose; "" when there is none."""
    peer = _parse(request.META.get("REMOTE_ADDR", "") or "")
    if peer is None:
        return ""
    networks = trusted_proxies()
    if not networks or not _trusted(peer, networks):
        return str(peer)
    client = peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _parse(hop)
        if address is None:
            # Garbage in the header: the last trusted hop is the best address we know.
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)
