"""The client address comes from the configured trusted proxy only (issue 15, finding 2)."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings

import pytest

from thuis.core.client_ip import client_ip

PROXY = "10.0.0.5"


def _request(remote: str, forwarded: str | None = None) -> object:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        # No trusted proxy configured: the header is ignored, whoever sends it.
        ([], "203.0.113.7", "198.51.100.1", "203.0.113.7"),
        # An untrusted peer forges the header: still its own address.
        ([PROXY], "203.0.113.7", "198.51.100.1", "203.0.113.7"),
        # The trusted proxy appended the client's address.
        ([PROXY], PROXY, "198.51.100.1", "198.51.100.1"),
        # The client forged a first entry; the proxy appended the real one: right to left.
        ([PROXY], PROXY, "192.0.2.66, 198.51.100.1", "198.51.100.1"),
        # Two trusted proxies in a row (a CIDR network), then the client.
        (["10.0.0.0/8"], PROXY, "192.0.2.66, 198.51.100.1, 10.1.2.3", "198.51.100.1"),
        # A trusted proxy without the header: the proxy's address.
        ([PROXY], PROXY, None, PROXY),
        # Garbage in the header: the last trusted hop, never the garbage.
        ([PROXY], PROXY, "198.51.100.1, nonsense", PROXY),
        # IPv6 and IPv4-mapped addresses.
        (["2001:db8::/32"], "2001:db8::1", "2001:db8:ffff::9, 2a00:1450::1", "2a00:1450::1"),
        ([], "::ffff:192.0.2.1", None, "192.0.2.1"),
    ],
)
def test_client_ip(trusted: list[str], remote: str, forwarded: str | None, expected: str) -> None:
    with override_settings(THUIS_TRUSTED_PROXIES=trusted):
        assert client_ip(_request(remote, forwarded)) == expected  # type: ignore[arg-type]


def test_a_bad_trusted_proxy_setting_stops_with_a_clear_message() -> None:
    with (
        override_settings(THUIS_TRUSTED_PROXIES=["10.0.0.300"]),
        pytest.raises(ImproperlyConfigured, match="THUIS_TRUSTED_PROXIES"),
    ):
        client_ip(_request("10.0.0.1"))  # type: ignore[arg-type]
