"""Every importer reads through the one tabular reader: a zip bomb is refused by each, fast."""

from __future__ import annotations

import time
from typing import Any

import pytest

from thuis.core.tabular import ImportFailed
from thuis.finance.importing import parse_cost_file
from thuis.migration import services
from thuis.partners import imports
from thuis.tests.uploads import bomb

pytestmark = pytest.mark.django_db

REFUSED = "Het bestand is uitgepakt te groot (meer dan 200 MB)"


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    return bomb(300 * 2**20)


def _errors(read: Any) -> list[str]:
    started = time.perf_counter()
    try:
        errors = read()
    except ImportFailed as exc:
        errors = exc.errors
    assert time.perf_counter() - started < 2
    return list(errors)


def test_every_importer_refuses_a_zip_bomb_within_two_seconds(zip_bomb: bytes) -> None:
    readers = [
        lambda: imports.read_rows(filename="r.xlsx", content=zip_bomb),
        lambda: parse_cost_file(content=zip_bomb, filename="k.xlsx").errors,
        lambda: services.import_file(
            kind="personen", content=zip_bomb, filename="p.xlsx", gemeente="0999", by="test"
        ),
    ]
    for read in readers:
        assert _errors(read)[0].startswith(REFUSED)
