"""Suite-wide hooks.

After the whole run, every captured application log line is scanned for elfproef-valid 9-digit
numbers (SECURITY.md G4). A hit fails the run even when every test passed.
"""

from __future__ import annotations

from typing import Any

pytest_plugins = ["thuis.tests.fixtures"]


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    from thuis.core.bsn import find_bsns
    from thuis.core.logging import CaptureHandler

    leaks = [line for line in CaptureHandler.lines if find_bsns(line)]
    if leaks:
        session.config.pluginmanager.get_plugin("terminalreporter").write_line(
            f"BSN found in {len(leaks)} application log line(s); first: {leaks[0][:200]}", red=True
        )
        session.exitstatus = 1
