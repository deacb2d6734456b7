import pytest

from thuis.core.bsn import bsn_hash, find_bsns, is_valid_bsn, normalise_bsn
from thuis.core.logging import redact


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("111222333", True),
        ("123456782", True),
        ("012345672", True),  # leading zero is kept: BSN is 9 characters
        ("123456789", False),
        ("000000000", False),
        ("12345678", False),
        ("1234567890", False),
        ("12345678a", False),
        ("", False),
    ],
)
def test_elfproef(value: str, valid: bool) -> None:
    assert is_valid_bsn(value) is valid


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("111 222 333", "111222333"), ("12345672", "012345672"), ("111.222.333", "111222333")],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise_bsn(raw) == expected


def test_hash_is_keyed_and_stable() -> None:
    assert bsn_hash("111222333", key="a") == bsn_hash("111222333", key="a")
    assert bsn_hash("111222333", key="a") != bsn_hash("111222333", key="b")
    assert "111222333" not in bsn_hash("111222333", key="a")


def test_find_and_redact() -> None:
    text = "person 111222333 called from 0612345678 about 123456789"
    assert find_bsns(text) == ["111222333"]
    assert redact(text) == "person [BSN] called from 0612345678 about 123456789"
