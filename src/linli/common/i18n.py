"""Compile the gettext catalogues with polib, so no system gettext is needed."""

from __future__ import annotations

import argparse
from pathlib import Path

import polib

LOCALE_DIRS = [Path(__file__).resolve().parent.parent / "locale"]


def compile_catalogues(*, force: bool = False) -> list[Path]:
    """Write a .mo next to every .po that is newer than it; returns the files written."""
    written = []
    for root in LOCALE_DIRS:
        for po_path in sorted(root.glob("*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if force or not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                written.append(mo_path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="linli i18n", description="Compile translation catalogues."
    )
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    for path in compile_catalogues(force=args.force):
        print(f"compiled {path}")
    return 0
