"""``linli worker``: Celery worker processes for ``LINLI_JOBS=celery``.

``linli worker --districts 510107,510104`` consumes those districts' queues only (add
``city`` for the city-wide jobs); without ``--districts`` a worker consumes every
district's queue and the city's.
"""

from __future__ import annotations


def worker_queues(argv: list[str]) -> tuple[list[str], list[str]]:
    """The queues to consume, and the rest of the arguments for Celery."""
    rest, districts, args = [], None, iter(argv)
    for arg in args:
        if arg == "--districts":
            districts = next(args, "")
        elif arg.startswith("--districts="):
            districts = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    from .celery import CITY, queues_for

    if districts is None:
        import django

        django.setup()
        from linli.places.models import Level, Place

        codes = sorted(Place.objects.filter(level=Level.DISTRICT).values_list("code", flat=True))
        return queues_for([*codes, CITY]), rest
    chosen = [d.strip() for d in districts.split(",") if d.strip()]
    bad = [d for d in chosen if d != CITY and not (len(d) == 6 and d.isdigit())]
    if not chosen or bad:
        raise SystemExit(
            f"--districts: give 6-digit district codes or 'city', comma-separated (got {districts!r})"
        )
    return queues_for(chosen), rest


def main(argv: list[str] | None = None) -> int:
    from .celery import app

    queues, rest = worker_queues(list(argv or []))
    app.worker_main(["worker", "--loglevel=INFO", "-Q", ",".join(queues), *rest])
    return 0
