"""domain/ imports no Django: ruff's banned-imports rule (TID251, configured in pyproject.toml
for src/linli/domain/ only) holds over the whole package, and it does catch one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def tid251(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "TID251", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )


def test_domain_imports_no_django():
    result = tid251("src/linli/domain")
    assert result.returncode == 0, result.stdout


def test_the_rule_catches_django_in_domain_and_nowhere_else():
    probe = "from django.db import models\n\nprint(models)\n"
    inside = tid251("--stdin-filename", "src/linli/domain/matching/probe.py", "-", stdin=probe)
    assert inside.returncode == 1 and "TID251" in inside.stdout
    outside = tid251("--stdin-filename", "src/linli/guardianship/probe.py", "-", stdin=probe)
    assert outside.returncode == 0, outside.stdout
