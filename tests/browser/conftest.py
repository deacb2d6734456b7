"""Browser tests: Playwright (Python) with Debian's Chromium, axe-core injected on every page.

Never `playwright install`: the browser is /usr/bin/chromium. Without it the tests skip, except
when THUIS_REQUIRE_BROWSER=1 (CI), where a missing browser is an error.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("THUIS_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parents[2] / "src/thuis/static/vendor/axe/axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
    if not Path(CHROMIUM).exists():
        if os.environ.get("THUIS_REQUIRE_BROWSER") == "1":
            raise pytest.UsageError(f"Chromium not found at {CHROMIUM}; browser tests are required")
        skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}")
        for item in items:
            if "tests/browser/" in str(item.fspath):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_context_args,
        "locale": "nl-NL",
        "bypass_csp": True,
        "viewport": {"width": 1280, "height": 900},
    }


def run_axe(page: Any) -> list[dict[str, Any]]:
    """Inject axe-core and return the WCAG 2.1 A/AA violations of the current page."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"""
    )
    return list(result["violations"])


@pytest.fixture
def axe_check() -> Callable[[Any], None]:
    def check(page: Any) -> None:
        violations = run_axe(page)
        summary = [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]}
            for v in violations
        ]
        assert not violations, f"axe-core on {page.url}: {json.dumps(summary, indent=1)}"

    return check


@pytest.fixture
def visit(
    page: Any, live_server: Any, axe_check: Callable[[Any], None]
) -> Iterator[Callable[[str], Any]]:
    """Go to a path, check the status and run axe-core on the page."""

    def go(path: str, *, status: int = 200) -> Any:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == status, (
            path,
            response and response.status,
        )
        axe_check(page)
        return page

    yield go
