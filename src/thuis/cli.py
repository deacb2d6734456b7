"""The `thuis` command: one entry point that wraps the management commands.

`thuis seed`, `thuis rekenhulp FILE.json`, `thuis import ...` etc. are Django management
commands; `thuis` sets the settings module (default: the embedded dev settings) and runs them.
A dashed name is accepted for a command with underscores: `thuis duo-simulator` runs
`duo_simulator` (a Python module name cannot contain a dash).
"""

from __future__ import annotations

import os
import sys


def command_name(name: str, known: set[str] | dict[str, str]) -> str:
    """`duo-simulator` -> `duo_simulator` when only the underscored command exists."""
    if "-" in name and name not in known:
        underscored = name.replace("-", "_")
        if underscored in known:
            return underscored
    return name


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuis.conf.dev")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args and "-" in args[0] and not args[0].startswith("-"):
        import django
        from django.core.management import get_commands

        django.setup()
        args[0] = command_name(args[0], get_commands())
    execute_from_command_line(["thuis", *args])


if __name__ == "__main__":
    main()
