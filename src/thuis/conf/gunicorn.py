"""Gunicorn settings: `gunicorn -c python:thuis.conf.gunicorn thuis.wsgi` (docs/getting-started.md).

Gunicorn writes its own error and access logs, outside Django's LOGGING. Its access log line
holds the request's path and query string, so `RedactingLogger` puts the BSN filter
(`thuis.core.logging.RedactBsnFilter`) on every one of its handlers: stream, file, syslog or a
`logconfig_dict`. Other settings (bind, workers) come from the command line or `GUNICORN_CMD_ARGS`.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from thuis.core.logging import redact_all_handlers


class RedactingLogger(Logger):  # type: ignore[misc]  # gunicorn has no type hints
    """Gunicorn's logger with the BSN filter on all handlers, also after a reload (HUP)."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        redact_all_handlers()


logger_class = RedactingLogger
accesslog = "-"  # the access log on stdout, through the filter
