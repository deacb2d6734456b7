"""Logging helpers: never let a BSN or a searched name reach a log line.

`RedactBsnFilter` sits on every handler of the LOGGING setting (conf/base.py), the development
server's access log (`django.server`) and gunicorn's error and access logs (conf/gunicorn.py).
"""

from __future__ import annotations

import logging
import re
from typing import ClassVar

from .bsn import CANDIDATE as _CANDIDATE
from .bsn import is_valid_bsn

# The value of a query parameter that carries personal data (`naam`, `achternaam`, `bsn`, ...) in
# a logged request line. The screens never put one in a URL; a hand-typed URL still may.
_PERSONAL_QUERY = re.compile(r"([?&;](?:[\w-]*naam|[\w-]*bsn)=)[^&;\s\"']*", re.IGNORECASE)


def redact(text: str) -> str:
    """`text` with each elfproef-valid 9-digit number as [BSN], personal query values as [...]."""
    text = _PERSONAL_QUERY.sub(r"\1[...]", text)
    return _CANDIDATE.sub(lambda m: "[BSN]" if is_valid_bsn(m.group(0)) else m.group(0), text)


class RedactBsnFilter(logging.Filter):
    """Redact (`redact`) a record's message and its traceback before any handler writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def configured_handlers() -> list[logging.Handler]:
    """Every handler that writes, of the root logger and of every named logger (a library's
    `NullHandler` writes nothing)."""
    loggers = [logging.getLogger(), *logging.root.manager.loggerDict.values()]
    return [
        h
        for lg in loggers
        if isinstance(lg, logging.Logger)
        for h in lg.handlers
        if not isinstance(h, logging.NullHandler)
    ]


def redact_all_handlers() -> None:
    """Put a `RedactBsnFilter` on every handler that has none yet (e.g. one a library added)."""
    for handler in configured_handlers():
        if not any(isinstance(f, RedactBsnFilter) for f in handler.filters):
            handler.addFilter(RedactBsnFilter())


class CaptureHandler(logging.Handler):
    """Keeps formatted log lines in memory so the test suite can scan them for BSNs."""

    lines: ClassVar[list[str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:
            self.handleError(record)
