"""No template syntax reaches a page: Django's `{# #}` comment is single-line only.

A `{#` without `#}` on the same line is printed as text (issue 14: `/monitor/` showed an English
comment). Multi-line comments use `{% comment %}...{% endcomment %}`.
"""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "thuis"
OPEN_COMMENT = re.compile(r"\{#(?!.*#\})")


def unclosed_comments(text: str, name: str = "<template>") -> list[str]:
    return [
        f"{name}:{number}: {line.strip()}"
        for number, line in enumerate(text.splitlines(), start=1)
        if OPEN_COMMENT.search(line)
    ]


def _templates() -> list[Path]:
    return [
        p
        for folder in SRC.rglob("templates")
        if folder.is_dir()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix in {".html", ".txt", ".xml", ".svg", ".md", ".css", ".js"}
    ]


def test_no_template_has_a_multi_line_hash_comment() -> None:
    assert _templates(), "the scan finds the templates"
    found = [f for p in _templates() for f in unclosed_comments(p.read_text(), str(p))]
    assert found == [], "use {% comment %} for multi-line comments:\n" + "\n".join(found)


def test_the_scan_catches_a_multi_line_comment() -> None:
    assert unclosed_comments("a\n{# one line #} b\n{# starts here\n   ends here #}\n") == [
        "<template>:3: {# starts here"
    ]
