"""Generating a form (logged, and audited when full ID numbers are shown) and storing
uploaded templates."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from linli.accounts.roles import Can
from linli.common.audit import record_export, record_reveal
from linli.domain.forms import FormTemplate, Table, build_table, parse_template
from linli.domain.forms.batch import render_all
from linli.domain.forms.model import FormContext
from linli.domain.forms.table import row_kept
from linli.places.models import Place
from linli.register.models import Resident

from .catalogue import Form
from .datasets import COMMUNITY_CODE_LENGTH, labels, rows_for
from .models import FormDefinition, Generation

log = logging.getLogger(__name__)


@dataclass
class Report:
    content: bytes
    generation: Generation


def shows_full_id(template: FormTemplate, actor: Any) -> bool:
    """Full ID numbers only when the form's audience needs them and the person may see
    them; the command line (no actor) is the operator and follows the template."""
    if not template.full_id:
        return False
    return actor is None or actor.can(Can.REVEAL_ID_NUMBER)


class ReportRefused(ValueError):
    """A form asked for a place it is not meant for."""


def check_level(template: FormTemplate, place: Place) -> None:
    """Refuse a place whose level the template does not list (when it lists any)."""
    if template.levels and place.level not in template.levels:
        raise ReportRefused(
            f"{template.name} is for {', '.join(template.levels)}, not {place.level} {place.code}"
        )


def build_form_table(
    template: FormTemplate, place: Place, day: dt.date, *, full_id: bool = False
) -> tuple[Table, list[dict]]:
    """The table of a form for a place and a day, and the rows it was drawn from."""
    check_level(template, place)
    records = rows_for(template.dataset, place, day, template.period_days)
    context = FormContext(place=place.name, date=day, labels=labels(), full_id=full_id)
    return build_table(template, records, context), records


def do_generate_report(
    *,
    actor: Any,
    form: Form,
    place: Place,
    day: dt.date,
    fmt: str,
    reason: str,
    protected: bool = False,
    via: str = "web",
) -> Report:
    """Render ``form`` for ``place`` on ``day``; log who, what, when, rows and checksum, record
    the export with its ``reason`` in the audit trail, and record a reveal for each person
    whose full ID number the file carries."""
    records = rows_for(form.template.dataset, place, day, form.template.period_days)
    [report] = _generate(actor, form, [(place, records)], day, fmt, via, reason, protected)
    return report


def do_generate_batch(
    *,
    actor: Any,
    form: Form,
    place: Place,
    day: dt.date,
    fmt: str,
    reason: str,
    via: str = "batch",
) -> list[Report]:
    """``form`` for ``place`` and for each community under it, from one read of the
    register: the rows of the whole place, split by community. Logged and audited like
    single ones."""
    records = rows_for(form.template.dataset, place, day, form.template.period_days)
    by_community: dict[str, list[dict]] = {}
    for record in records:
        code = record.get("community_code") or record.get("code") or ""
        by_community.setdefault(code[:COMMUNITY_CODE_LENGTH], []).append(record)
    parts = [(place, records)]
    if len(place.code) < COMMUNITY_CODE_LENGTH:
        communities = Place.objects.filter(code__startswith=place.code, level="community")
        parts += [(c, by_community.get(c.code, [])) for c in communities]
    return _generate(actor, form, parts, day, fmt, via, reason, False)


def _generate(
    actor: Any,
    form: Form,
    parts: list[tuple[Place, list[dict]]],
    day: dt.date,
    fmt: str,
    via: str,
    reason: str,
    protected: bool,
) -> list[Report]:
    template = form.template
    check_level(template, parts[0][0])
    full_id = shows_full_id(template, actor)
    words = labels()
    items = [
        (records, FormContext(place=place.name, date=day, labels=words, full_id=full_id))
        for place, records in parts
    ]
    reports = []
    for (place, records), (content, rows) in zip(
        parts, render_all(template, items, fmt), strict=True
    ):
        generation = Generation(
            place=place,
            form_key=form.key,
            form_name=template.name,
            day=day,
            format=fmt,
            rows=rows,
            checksum=hashlib.sha256(content).hexdigest(),
            full_id=full_id,
            actor=actor,
            via=via,
        )
        reports.append((Report(content, generation), records))
    with transaction.atomic():
        Generation.objects.bulk_create([r.generation for r, _ in reports])
        for report, _records in reports:
            record_export(
                actor=actor,
                instance=report.generation,
                kind=f"{form.key}.{fmt}",
                rows=report.generation.rows,
                reason=reason,
                protected=protected,
            )
        if full_id and any("mask_id" in c.value for c in template.columns):
            for report, records in reports:
                shown = _shown_people(template, records)
                for resident in Resident.objects.filter(pk__in=shown):
                    record_reveal(
                        actor=actor,
                        instance=resident,
                        field="id_number",
                        reason=f"report {form.key} generation {report.generation.pk}",
                    )
    for report, _records in reports:
        log.info(
            "report generated",
            extra={
                "form": form.key,
                "place": report.generation.place.code,
                "rows": report.generation.rows,
                "format": fmt,
            },
        )
    return [report for report, _ in reports]


def _shown_people(template: FormTemplate, records: list[dict]) -> list[int]:
    return [r["pk"] for r in records if r.get("id_number") and row_kept(r, template.filters)]


def do_upload_form(*, actor: Any, place: Place, source: str, file_name: str = "") -> FormDefinition:
    """Store a template (already checked by :func:`parse_template`, checked again here)."""
    template = parse_template(source)
    with transaction.atomic():
        return FormDefinition.objects.create(
            place=place,
            name=template.name,
            source=source,
            file_name=file_name,
            created_by=actor,
        )
