import os
import subprocess
import sys


def run_check(env_extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(env_extra)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "linli.cli",
            "manage",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_production_profile_passes_check_deploy(tmp_path):
    result = run_check(
        {
            "LINLI_PROFILE": "production",
            "SECRET_KEY": "x" * 30 + "-production-secret-for-the-check-only",
            "ALLOWED_HOSTS": "linli.example.org",
            "LINLI_DATA_DIR": str(tmp_path),
        }
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_profile_refuses_a_missing_secret_key(tmp_path):
    result = run_check(
        {"LINLI_PROFILE": "production", "SECRET_KEY": "", "LINLI_DATA_DIR": str(tmp_path)}
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_embedded_profile_uses_sqlite_in_wal_mode(tmp_path):
    from django.conf import settings

    assert settings.DATABASES["default"]["ENGINE"] in {
        "django.db.backends.sqlite3",
        "django.db.backends.postgresql",
    }
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert "journal_mode=WAL" in settings.DATABASES["default"]["OPTIONS"]["init_command"]
