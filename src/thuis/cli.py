"""The `thuis` command: one entry point that wraps the management commands.

`thuis seed`, `thuis rekenhulp FILE.json`, `thuis import ...` etc. are Django management
commands; `thuis` sets the settings module (default: the embedded dev settings) and runs them.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuis.conf.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["thuis", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
