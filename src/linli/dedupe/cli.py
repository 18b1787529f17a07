"""``linli dedupe --community CODE``: the Django command ``dedupe`` under the short name."""

from __future__ import annotations

import sys

from django.core.management import call_command
from django.core.management.base import CommandError


def main(argv: list[str]) -> int:
    try:
        call_command("dedupe", *argv)
    except CommandError as error:
        print(f"linli dedupe: {error}", file=sys.stderr)
        return 2
    return 0
