"""Background jobs of the register: checking and importing an uploaded file."""

from __future__ import annotations

from typing import Any

from linli.accounts.roles import Can
from linli.guardianship.models import Trigger
from linli.guardianship.replan import do_replan_community
from linli.jobs.runner import JobContext, job

from .importing import ImportRefused, community_of, do_import_residents, read_register_file
from .models import ImportRun, ImportStatus


def _progress(ctx: JobContext):
    from django.utils.translation import gettext as _

    labels = {"check": _("checking rows"), "write": _("writing")}

    def report(done: int, total: int, stage: str) -> None:
        ctx.progress(done, total, labels.get(stage, stage))

    return report


def _import(
    ctx: JobContext,
    run: ImportRun,
    *,
    commit: bool,
    actor: Any = None,
    create_places: list[str] | tuple[str, ...] = (),
) -> dict:
    try:
        parsed = read_register_file(bytes(run.content), run.file_name, progress=_progress(ctx))
        summary = do_import_residents(
            actor=actor,
            place=run.place,
            parsed=parsed,
            source=run.source,
            file_name=run.file_name,
            commit=commit,
            accept_valid=True,
            progress=_progress(ctx),
            create_places=create_places,
        )
    except ImportRefused as error:
        return {"refused": str(error)}
    return summary.as_report()


@job("register.check_import", cancel_capability=Can.EDIT_REGISTER)
def check_import(ctx: JobContext, *, run_id: int) -> dict:
    """Check an upload: every row's problems and what the import would do; stores nothing."""
    run = ImportRun.objects.select_related("place").get(pk=run_id)
    report = _import(ctx, run, commit=False)
    ImportRun.objects.filter(pk=run_id).update(report=report)
    return {key: report.get(key) for key in ("read", "valid", "rejected")}


@job("register.run_import", cancel_capability=Can.EDIT_REGISTER)
def run_import(
    ctx: JobContext, *, run_id: int, actor_id: int | None = None, create_places: list | None = None
) -> dict:
    """Import the valid rows of a checked upload, in one transaction; then re-plan the
    community's guardians, so new and changed wards have guardians when the job ends."""
    from linli.accounts.models import User

    run = ImportRun.objects.select_related("place").get(pk=run_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    try:
        report = _import(ctx, run, commit=True, actor=actor, create_places=create_places or [])
    except Exception:
        ImportRun.objects.filter(pk=run_id).update(status=ImportStatus.FAILED)
        raise
    status = ImportStatus.IMPORTED if report.get("committed") else ImportStatus.FAILED
    ImportRun.objects.filter(pk=run_id).update(report=report, status=status)
    if report.get("committed") and (report.get("new") or report.get("updated")):
        # After the import's own transaction: a re-plan that fails leaves the import stored
        # (and this job failed, saying why); the coverage page's button plans again.
        do_replan_community(
            community=community_of(run.place),
            trigger=Trigger.WARDS_IMPORTED,
            about=run.file_name,
            actor=actor,
        )
    return {key: report.get(key) for key in ("new", "updated", "unchanged")}


@job("register.retention", retries=2)
def retention(ctx: JobContext) -> dict:
    """Daily: anonymise what is past its retention period (see linli.register.retention)."""
    from .retention import apply_retention

    report = apply_retention()
    ctx.progress(1, 1, "")
    return report.as_dict()
