"""SECURITY.md: no BSN or searched name in any log, the access logs included."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from django.conf import settings

import pytest

from thuis.core.logging import RedactBsnFilter, configured_handlers, redact

BSN = "111222333"  # elfproef-valid
REQUEST_LINE = f"GET /personen/?status=aangemeld&naam=Jansen&bsn={BSN} HTTP/1.1"


def _has_filter(handler: logging.Handler) -> bool:
    return any(isinstance(f, RedactBsnFilter) for f in handler.filters)


#: Loggers of libraries that only the tests install (requirements/dev.txt, never in production):
#: pyxform and its parser lark put a StreamHandler on their loggers when the tests import them.
TEST_ONLY_LOGGERS = ("pyxform", "lark")


def _ours(handlers: list[logging.Handler]) -> list[logging.Handler]:
    """Without pytest's own capture handlers (present only while the tests run)."""
    return [h for h in handlers if not type(h).__module__.startswith("_pytest")]


def _production_handlers() -> list[logging.Handler]:
    test_only = {
        id(h)
        for name, lg in logging.root.manager.loggerDict.items()
        if isinstance(lg, logging.Logger) and name.startswith(TEST_ONLY_LOGGERS)
        for h in lg.handlers
    }
    return [h for h in _ours(configured_handlers()) if id(h) not in test_only]


def test_redact_bsn_and_personal_query_values() -> None:
    assert redact(REQUEST_LINE) == ("GET /personen/?status=aangemeld&naam=[...]&bsn=[...] HTTP/1.1")
    assert redact(f"/x/?achternaam=de%20Vries;voornaam=An {BSN}") == (
        "/x/?achternaam=[...];voornaam=[...] [BSN]"
    )
    assert redact("/personen/?pagina=2&status=voldaan 123456789") == (
        "/personen/?pagina=2&status=voldaan 123456789"  # not elfproef-valid: kept
    )


def test_every_configured_handler_has_the_filter() -> None:
    config: dict[str, Any] = settings.LOGGING
    for name, handler in config["handlers"].items():
        assert "no_bsn" in handler.get("filters", []), name
    handlers = _production_handlers()
    assert logging.getLogger("django.server").handlers[0] in handlers
    assert [h for h in handlers if not _has_filter(h)] == []
    # Django's default handlers (console, mail_admins) are gone from its logger.
    assert _ours(logging.getLogger("django").handlers) == []


def test_filter_redacts_a_traceback() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactBsnFilter())
    log = logging.getLogger("thuis.test.traceback")
    log.addHandler(handler)
    try:
        try:
            raise ValueError(f"no person {BSN}")
        except ValueError:
            log.exception("lookup failed")
    finally:
        log.removeHandler(handler)
    assert "lookup failed" in stream.getvalue() and "[BSN]" in stream.getvalue()
    assert BSN not in stream.getvalue()


@pytest.fixture
def server_stream() -> Iterator[io.StringIO]:
    (handler,) = _ours(logging.getLogger("django.server").handlers)
    assert isinstance(handler, logging.StreamHandler)
    stream = io.StringIO()
    # Swapped without setStream: that flushes the old stream, which may be a capture file pytest
    # has closed already.
    old, handler.stream = handler.stream, stream
    yield stream
    handler.stream = old


def test_development_server_access_log_is_redacted(server_stream: io.StringIO) -> None:
    # As django.core.servers.basehttp.WSGIRequestHandler.log_message logs a request.
    logging.getLogger("django.server").info('"%s" %s %s', REQUEST_LINE, "200", "5120")
    line = server_stream.getvalue()
    assert "/personen/?status=aangemeld&naam=[...]&bsn=[...]" in line
    assert BSN not in line and "Jansen" not in line


@pytest.fixture
def gunicorn_logger() -> Iterator[Any]:
    from gunicorn.config import Config

    from thuis.conf import gunicorn as gunicorn_conf

    cfg = Config()
    for key, value in vars(gunicorn_conf).items():  # as gunicorn reads a python: config
        if key in cfg.settings:
            cfg.set(key, value)
    assert cfg.logger_class is gunicorn_conf.RedactingLogger
    logger = cfg.logger_class(cfg)
    yield logger
    for log in (logger.error_log, logger.access_log):
        for handler in _ours(log.handlers):
            log.removeHandler(handler)


def test_gunicorn_access_log_is_redacted(gunicorn_logger: Any) -> None:
    handlers = _ours([*gunicorn_logger.access_log.handlers, *gunicorn_logger.error_log.handlers])
    assert len(handlers) == 2 and all(_has_filter(h) for h in handlers)
    stream = io.StringIO()
    (access,) = _ours(gunicorn_logger.access_log.handlers)
    assert isinstance(access, logging.StreamHandler)
    access.setStream(stream)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/personen/?naam=Jansen&bsn={BSN}",
        "PATH_INFO": "/personen/",
        "QUERY_STRING": f"naam=Jansen&bsn={BSN}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.1",
        "HTTP_REFERER": "https://thuis.example/personen/?naam=Jansen",
    }
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    gunicorn_logger.access(response, SimpleNamespace(headers=[]), environ, timedelta(0, 1))
    line = stream.getvalue()
    assert '"GET /personen/?naam=[...]&bsn=[...] HTTP/1.1" 200 512' in line
    assert BSN not in line and "Jansen" not in line
