"""Logging helpers: never let a BSN reach a log line."""

from __future__ import annotations

import logging
from typing import ClassVar

from .bsn import CANDIDATE as _CANDIDATE
from .bsn import is_valid_bsn


def redact(text: str) -> str:
    return _CANDIDATE.sub(lambda m: "[BSN]" if is_valid_bsn(m.group(0)) else m.group(0), text)


class RedactBsnFilter(logging.Filter):
    """Replace every elfproef-valid 9-digit number in a record by [BSN]."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class CaptureHandler(logging.Handler):
    """Keeps formatted log lines in memory so the test suite can scan them for BSNs."""

    lines: ClassVar[list[str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:
            self.handleError(record)
