"""Sources in reports are public sources (a publication, a law, a URL), never a file of the
repository or of the developers' shared folder."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from thuis.demo.finance import seed_finance_demo
from thuis.demo.policy import seed_policy_demo
from thuis.policy import services
from thuis.policy.sources import LiveSources

pytestmark = pytest.mark.django_db

PEILDATUM = date(2024, 2, 1)
URL = re.compile(r"https?://\S+")
# ../shared/…, /work/…, seed/…, docs/…, src/…, or a file name such as wet-inburgering.md
REPOSITORY_PATH = re.compile(
    r"(\.\./|/work/|\b(?:shared|seed|docs|src)/|\b[\w.-]+\.(?:md|txt|py|rst|yaml|json)\b)"
)


def repository_paths(text: str) -> list[str]:
    """Path-like fragments outside URLs (a URL is a public source, whatever its path)."""
    return [m.group(0) for m in REPOSITORY_PATH.finditer(URL.sub(" ", text))]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Perspectiefnota 2022 (wet-inburgering.md §8.1)", ["wet-inburgering.md"]),
        ("Bron: ../shared/seed/000_f4.txt", ["../", "shared/", "seed/", "000_f4.txt"]),
        ("zie docs/reports.md", ["docs/", "reports.md"]),
        ("/work/x", ["/work/"]),
        ("https://wetten.overheid.nl/jci1.3:c:BWBR0044770&artikel=15", []),
        ("https://example.org/docs/a.md", []),
        ("Wi2021 art. 15; Bi2021 art. 5.3", []),
        ("gemeente Dalfsen, jaarverslag 2019", []),
    ],
)
def test_the_path_check_finds_paths_and_passes_public_sources(text: str, found: list[str]) -> None:
    assert repository_paths(text) == found


def _sources(snapshot: dict[str, Any]) -> Iterator[str]:
    """Every source the snapshot names: indicator sources, references, finance estimates."""
    content = snapshot["inhoud"]
    for item in content["cijfers"]["indicatoren"]:
        yield str(item.get("bron", ""))
        for ref in item.get("referenties", []):
            yield f"{ref.get('bron', '')} {ref.get('url', '')} {ref.get('toelichting', '')}"
    fin = content["financien"]
    yield from (str(e) for e in fin.get("schattingen", []))


def test_no_source_in_the_rendered_report_is_a_repository_path(municipality: Any) -> None:
    seed_finance_demo(municipality, today=PEILDATUM)
    seed_policy_demo(municipality, today=PEILDATUM)
    report = municipality.policy_reports.get()
    snapshot, files = services.documents_for(
        report=report, peildatum=PEILDATUM, sources=LiveSources(), formats=["html"]
    )
    sources = list(_sources(snapshot))
    assert any("Perspectiefnota 2022" in s for s in sources)  # the estimates name their source
    assert {s: repository_paths(s) for s in sources if repository_paths(s)} == {}
    # and nowhere else in the snapshot or the documents either
    everything = json.dumps(snapshot, ensure_ascii=False)
    everything += "".join(f.decode("utf-8") for f in files.values())
    assert repository_paths(everything) == []
