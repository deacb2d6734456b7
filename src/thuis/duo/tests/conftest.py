"""Fixtures for the DUO tests: OIN settings, a loopback simulator, the specs via openapi-core."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from thuis.duo.client import DuoClient
from thuis.duo.simulator import SimulatorState, serve
from thuis.duo.specs import APIS, spec_dir
from thuis.tests.factories import random_bsn

DUO_OIN = "00000001800000000001"
GEMEENTE_OIN = "00000001001234567148"


@pytest.fixture
def duo_settings(settings: Any, municipality: Any) -> Any:
    settings.THUIS_DUO_OIN = DUO_OIN
    settings.THUIS_GEMEENTE_OIN = GEMEENTE_OIN
    settings.THUIS_DUO_GEMEENTECODE = municipality.code
    settings.THUIS_DUO_BASE_URL = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    return settings


class Recorder:
    """Keeps every request Thuis sends to DUO and the answer, for conformance checks."""

    def __init__(self) -> None:
        self.exchanges: list[requests.Response] = []

    def hook(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self.exchanges.append(response)


@pytest.fixture
def simulator(duo_settings: Any) -> Iterator[SimulatorState]:
    """A DUO simulator on 127.0.0.1 (random port); THUIS_DUO_BASE_URL points at it."""
    state = SimulatorState(duo_oin=DUO_OIN, gemeente_oin=GEMEENTE_OIN, gemeentecode="0148")
    server, thread = serve(state, port=0)
    duo_settings.THUIS_DUO_BASE_URL = f"http://127.0.0.1:{server.server_port}/v1"
    state.base_url = duo_settings.THUIS_DUO_BASE_URL  # type: ignore[attr-defined]
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    """Record every exchange of every DuoClient created during the test."""
    rec = Recorder()
    original = DuoClient.__init__

    def init(self: DuoClient, **kwargs: Any) -> None:
        original(self, **kwargs)
        self.session.hooks["response"].append(rec.hook)

    monkeypatch.setattr(DuoClient, "__init__", init)
    return rec


@pytest.fixture
def new_bsn() -> Callable[[], str]:
    return random_bsn


@pytest.fixture
def sim_person(simulator: SimulatorState) -> Callable[..., str]:
    def make(bsn: str | None = None, *, begindatum: date = date(2025, 3, 3), **kw: Any) -> str:
        value = bsn or random_bsn()
        simulator.add_person(value, begindatum=begindatum, **kw)
        return value

    return make


@pytest.fixture
def specs() -> Path:
    found = spec_dir()
    if found is None:
        pytest.skip(
            "DUO-specificaties niet gevonden: verwacht ../shared/duo-m2m naast de checkout "
            "(of zet THUIS_DUO_SPECS). Conformiteitstests overgeslagen."
        )
    return found


_ECMA_CLASS = re.compile(r"\[(.*)\](\{\d+,\d+\})")


def _python_patterns(node: Any) -> None:
    """DUO's specs use ECMAScript Unicode classes (\\p{L}, \\p{Pd}) that Python's `re` lacks.

    Rewrite them in memory (never on disk) to an equivalent Python pattern: letters become
    [^\\W\\d_], dash punctuation the common dashes.
    """
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str) and "\\p{" in value:
                match = _ECMA_CLASS.fullmatch(value)
                assert match, f"unexpected pattern {value!r}"
                inner = match.group(1).replace("\\p{Pd}", "\\-\u2010-\u2015")
                letters = "\\p{L}" in inner
                inner = inner.replace("\\p{L}", "")
                node[key] = (
                    f"(?:[{inner}]|[^\\W\\d_]){match.group(2)}"
                    if letters
                    else f"[{inner}]{match.group(2)}"
                )
            else:
                _python_patterns(value)
    elif isinstance(node, list):
        for item in node:
            _python_patterns(item)


@pytest.fixture
def openapi(specs: Path) -> Callable[[str, str], Any]:
    """openapi-core OpenAPI object for one DUO API, served at `server` (the base URL)."""
    from openapi_core import OpenAPI

    cache: dict[tuple[str, str], Any] = {}

    def load(api: str, server: str) -> Any:
        if (api, server) not in cache:
            data = yaml.safe_load((specs / APIS[api][0]).read_text(encoding="utf-8"))
            data["servers"] = [{"url": server}]
            _python_patterns(data)
            cache[(api, server)] = OpenAPI.from_dict(data)
        return cache[(api, server)]

    return load
