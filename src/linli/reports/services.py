"""Generating a form (logged, and audited when full ID numbers are shown) and storing
uploaded templates.

A template sees a person's identifiers only through the one masking rule
(:mod:`linli.common.disclosure`): the rows it is given carry the ID number masked and the
phones as the reader may see them, whatever the template's expressions do with them.
The full number is given only to a generation (a file, with a reason) by someone who may
reveal, of a template that asks for it (``full_id: true``); the generation log's
``full_id`` and the reveal entries are then computed from what the file holds."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from linli.common.audit import record_export, record_reveal
from linli.common.disclosure import id_number_for, may_reveal, phone_for
from linli.domain.forms import FormTemplate, Table, build_table, parse_template
from linli.domain.forms.batch import render_all
from linli.domain.forms.model import FormContext
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
    return template.full_id and may_reveal(actor)


def disclosed(records: list[dict], actor: Any, *, full_id: bool) -> list[dict]:
    """The rows a template is given: each person's ID number masked unless ``full_id``,
    their phone as ``actor`` may see it. The records themselves are left as they are."""
    out = []
    for record in records:
        if "id_number" not in record:
            out.append(record)  # a dataset without people's identifiers
            continue
        row = dict(record)
        if row["id_number"] and not full_id:
            row["id_number"] = id_number_for(actor, row["id_number"])
        row["phone"] = phone_for(actor, row.get("phone") or "")
        out.append(row)
    return out


class ReportRefused(ValueError):
    """A form asked for a place it is not meant for."""


def check_level(template: FormTemplate, place: Place) -> None:
    """Refuse a place whose level the template does not list (when it lists any)."""
    if template.levels and place.level not in template.levels:
        raise ReportRefused(
            f"{template.name} is for {', '.join(template.levels)}, not {place.level} {place.code}"
        )


def build_form_table(
    template: FormTemplate, place: Place, day: dt.date, *, actor: Any
) -> tuple[Table, list[dict]]:
    """The table of a form for a place and a day as ``actor`` previews it (never a full ID
    number: a preview is no generation, and has no reason), and the rows it was drawn from."""
    check_level(template, place)
    records = rows_for(template.dataset, place, day, template.period_days)
    context = FormContext(place=place.name, date=day, labels=labels(), full_id=False)
    return build_table(template, disclosed(records, actor, full_id=False), context), records


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
        (
            disclosed(records, actor, full_id=full_id),
            FormContext(place=place.name, date=day, labels=words, full_id=full_id),
        )
        for place, records in parts
    ]
    reports = []
    for (place, records), rendered in zip(parts, render_all(template, items, fmt), strict=True):
        shown = _full_ids_shown(records, rendered.full_ids)
        if shown and not full_id:  # cannot happen: the rows carried no full number
            raise RuntimeError(f"{form.key}: full ID numbers in a form that may not hold them")
        generation = Generation(
            place=place,
            form_key=form.key,
            form_name=template.name,
            day=day,
            format=fmt,
            rows=rendered.rows,
            checksum=hashlib.sha256(rendered.content).hexdigest(),
            full_id=bool(shown),  # what the file holds, not what the template asked
            actor=actor,
            via=via,
        )
        reports.append((Report(rendered.content, generation), shown))
    with transaction.atomic():
        Generation.objects.bulk_create([r.generation for r, _ in reports])
        for report, _shown in reports:
            record_export(
                actor=actor,
                instance=report.generation,
                kind=f"{form.key}.{fmt}",
                rows=report.generation.rows,
                reason=reason,
                protected=protected,
            )
        for report, shown in reports:
            for resident in Resident.objects.filter(pk__in=shown):
                record_reveal(
                    actor=actor,
                    instance=resident,
                    field="id_number",
                    reason=f"report {form.key} generation {report.generation.pk}: {reason}",
                )
    for report, _shown in reports:
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


def _full_ids_shown(records: list[dict], found: frozenset[str]) -> list[int]:
    """The people whose full ID number is among the ID-shaped texts of a file."""
    if not found:
        return []
    return [r["pk"] for r in records if r.get("id_number") and r["id_number"].upper() in found]


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
