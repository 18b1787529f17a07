"""Issue 18, item 7: DEBUG was on whenever the profile was not production, so any error showed
Django's debug page (settings, paths, the request's data). It is on only with DEBUG=1."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def debug_with(tmp_path, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "LINLI_PROFILE"}}
    clean |= {"LINLI_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "linli.settings", **env}
    code = "from django.conf import settings; print(settings.DEBUG)"
    result = subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "False"),
        ({"LINLI_PROFILE": "embedded"}, "False"),
        ({"DEBUG": ""}, "False"),
        ({"DEBUG": "0"}, "False"),
        ({"DEBUG": "1"}, "True"),
    ],
)
def test_debug_is_on_only_when_asked_for(tmp_path, env, expected):
    assert debug_with(tmp_path, **env) == expected
