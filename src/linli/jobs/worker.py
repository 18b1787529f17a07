"""``linli worker``: Celery worker processes for ``LINLI_JOBS=celery``."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    from .celery import app

    app.worker_main(["worker", "--loglevel=INFO", *(argv or [])])
    return 0
