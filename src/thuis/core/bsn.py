"""BSN (burgerservicenummer): validation with the elfproef and the keyed hash for logs."""

from __future__ import annotations

import hashlib
import hmac
import re

_NINE_DIGITS = re.compile(r"^\d{9}$")


def normalise_bsn(raw: str) -> str:
    """Strip spaces and dots; left-pad 8-digit input with a zero (BSN is stored as 9 chars)."""
    cleaned = re.sub(r"[\s.\-]", "", raw or "")
    if cleaned.isdigit() and len(cleaned) == 8:
        cleaned = "0" + cleaned
    return cleaned


def is_valid_bsn(value: str) -> bool:
    """The elfproef: 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is divisible by 11 (and not all zeros)."""
    if not _NINE_DIGITS.match(value or "") or value == "000000000":
        return False
    digits = [int(c) for c in value]
    total = sum(weight * digit for weight, digit in zip(range(9, 1, -1), digits[:8], strict=True))
    total -= digits[8]
    return total % 11 == 0


def bsn_hash(bsn: str, *, key: str) -> str:
    """HMAC-SHA256 of the BSN with a secret key: the data subject id in the processing log."""
    return hmac.new(key.encode(), bsn.encode(), hashlib.sha256).hexdigest()


# A 9-digit run that is a token of its own (not part of a longer number or a hex id).
CANDIDATE = re.compile(r"(?<![0-9A-Za-z])\d{9}(?![0-9A-Za-z])")


def find_bsns(text: str) -> list[str]:
    """Every 9-digit run in `text` that passes the elfproef (used to scan logs)."""
    return [m for m in CANDIDATE.findall(text) if is_valid_bsn(m)]
