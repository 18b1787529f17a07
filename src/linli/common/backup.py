"""``linli backup`` and ``linli restore``: the whole database to one file and back, verified.

SQLite is copied with SQLite's online backup API (consistent while the server runs);
PostgreSQL is dumped with ``pg_dump`` in its custom format and restored with
``pg_restore``. Next to the file, a manifest records every table's row count and a
checksum of its rows; ``linli restore`` recomputes them on the restored database and
fails loudly if any table differs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.db import connection


def fingerprints(conn: Any = None) -> dict[str, list]:
    """{table: [rows, sha256 of the rows in primary-key order]} for every table."""
    conn = conn or connection
    result = {}
    with conn.cursor() as cursor:
        for table in sorted(conn.introspection.table_names(cursor)):
            quoted = conn.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY 1")
            digest = hashlib.sha256()
            rows = 0
            for row in cursor.fetchall():
                digest.update(repr(tuple(_plain(v) for v in row)).encode())
                rows += 1
            result[table] = [rows, digest.hexdigest()]
    return result


def _plain(value: Any) -> Any:
    """The same value read from SQLite or PostgreSQL, or before and after a restore."""
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value) if value is not None else None


def _settings() -> dict:
    return connection.settings_dict


def backup(path: Path) -> dict[str, list]:
    """Write the database to ``path`` and its manifest to ``path.manifest.json``."""
    settings = _settings()
    path.parent.mkdir(parents=True, exist_ok=True)
    previous = os.umask(0o077)  # the file holds personal data
    try:
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(str(path) + ".partial")
            with target:
                connection.connection.backup(target)
            target.close()
        elif connection.vendor == "postgresql":
            _run(["pg_dump", "--format=custom", "--no-owner", f"--file={path}.partial"], settings)
        else:
            raise SystemExit(f"linli backup: {connection.vendor} is not supported")
        os.replace(str(path) + ".partial", path)
        manifest = fingerprints()
        Path(f"{path}.manifest.json").write_text(json.dumps(manifest, indent=1))
    finally:
        os.umask(previous)
    return manifest


def restore(path: Path) -> dict[str, list]:
    """Replace the configured database with the backup at ``path``, then verify it."""
    if not path.exists():
        raise SystemExit(f"linli restore: {path} does not exist")
    manifest_path = Path(f"{path}.manifest.json")
    expected = json.loads(manifest_path.read_text()) if manifest_path.exists() else None
    settings = _settings()
    if connection.vendor == "sqlite":
        connection.close()
        source = sqlite3.connect(str(path))
        target = sqlite3.connect(settings["NAME"])
        with target:
            source.backup(target)
        source.close()
        target.close()
    elif connection.vendor == "postgresql":
        connection.close()
        # Not ``pg_restore --clean``: it drops constraints one by one, which PostgreSQL
        # refuses on the partitions of a partitioned table (screenings by day). Instead the
        # schema is emptied and the backup's script replayed in ONE transaction, so a restore
        # that fails leaves the database as it was.
        script = Path(f"{path}.restore.sql")
        try:
            done = subprocess.run(
                ["pg_restore", "--no-owner", f"--file={script}", str(path)],
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                raise SystemExit(f"linli: pg_restore failed: {done.stderr.strip()[-500:]}")
            _run(
                [
                    "psql",
                    "--quiet",
                    "--single-transaction",
                    "--set=ON_ERROR_STOP=1",
                    "--command=DROP SCHEMA public CASCADE",
                    "--command=CREATE SCHEMA public",
                    f"--file={script}",
                ],
                settings,
            )
        finally:
            script.unlink(missing_ok=True)
    else:
        raise SystemExit(f"linli restore: {connection.vendor} is not supported")
    actual = fingerprints()
    if expected is not None and actual != expected:
        differ = sorted(t for t in set(expected) | set(actual) if expected.get(t) != actual.get(t))
        raise SystemExit(
            f"linli restore: restored tables differ from the backup: {', '.join(differ)}"
        )
    return actual


def _run(command: list[str], settings: dict) -> None:
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    target = [
        f"--host={settings.get('HOST') or 'localhost'}",
        f"--port={settings.get('PORT') or 5432}",
        f"--username={settings.get('USER') or 'postgres'}",
        f"--dbname={settings['NAME']}",
    ]
    result = subprocess.run([*command, *target], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"linli: {command[0]} failed: {result.stderr.strip()[-500:]}")


def backup_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="linli backup", description="Back up the database to one file."
    )
    parser.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    manifest = backup(args.file)
    print(f"{args.file}: {len(manifest)} tables, {sum(r for r, _ in manifest.values())} rows")
    return 0


def restore_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="linli restore",
        description="Replace the database with a backup and verify every table.",
    )
    parser.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    tables = restore(args.file)
    print(f"restored {len(tables)} tables from {args.file}; every count and checksum matches")
    return 0


if __name__ == "__main__":
    sys.exit(backup_main())
