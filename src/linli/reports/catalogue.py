"""Which forms exist: the built-in template files, and the templates uploaded for places."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import Q
from django.http import Http404

from linli.common.scope import scope_prefix
from linli.domain.forms import FormTemplate, parse_template

from .models import FormDefinition

BUILT_IN_DIR = Path(__file__).parent / "forms"


@dataclass(frozen=True)
class Form:
    key: str  # the file's stem for built-in forms, upload-<id> for uploaded ones
    template: FormTemplate
    built_in: bool


@cache
def built_in_forms() -> dict[str, Form]:
    """Every template file shipped in ``linli/reports/forms`` (parsed once)."""
    return {
        path.stem: Form(path.stem, parse_template(path.read_text(encoding="utf-8")), True)
        for path in sorted(BUILT_IN_DIR.glob("*.yaml"))
    }


def uploaded_for(actor: Any):
    """Uploaded templates the actor may use: those for places in the actor's subtree, and
    those for the places the actor's own place lies in."""
    prefix = scope_prefix(actor)
    if prefix is None:
        return FormDefinition.objects.none()
    ancestors = [prefix[:n] for n in range(1, len(prefix) + 1)]
    return FormDefinition.objects.filter(
        Q(place__code__startswith=prefix) | Q(place__code__in=ancestors)
    ).select_related("place")


def forms_for(actor: Any) -> list[Form]:
    forms = list(built_in_forms().values())
    forms += [Form(d.key, parse_template(d.source), False) for d in uploaded_for(actor)]
    return forms


def access_form(actor: Any, key: str) -> Form:
    """A form the actor may use, or 404."""
    if key in built_in_forms():
        return built_in_forms()[key]
    if key.startswith("upload-") and key[7:].isdigit():
        definition = uploaded_for(actor).filter(pk=int(key[7:])).first()
        if definition is not None:
            return Form(key, parse_template(definition.source), False)
    raise Http404


def form_from_file(path: str) -> Form:
    """A built-in form by key, or any template file by path (for the command line)."""
    if path in built_in_forms():
        return built_in_forms()[path]
    file = Path(path)
    return Form(file.stem, parse_template(file.read_bytes()), False)
