"""Django forms of the reports pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.common.scope import scoped
from linli.domain.forms.render import FORMATS
from linli.places.models import Place

REPORT_LEVELS = ["city", "district", "street", "community", "grid"]


def place_choices(actor: Any) -> list[tuple[str, str]]:
    """The actor's place and the places up to two levels below it (community at most)."""
    depth = len(actor.place.code) + 6
    places = (
        scoped(Place, actor)
        .filter(level__in=REPORT_LEVELS)
        .annotate(n=Length("code"))
        .filter(n__lte=depth)
        .order_by("code")
    )
    return [(p.code, f"{p.name} ({p.code})") for p in places]


class PlaceCodeField(forms.CharField):
    """A place code typed or picked from the list of nearby places (any code in scope)."""

    widget = forms.TextInput(attrs={"list": "place-codes", "inputmode": "numeric"})


def clean_place_code(actor: Any, code: str) -> str:
    if not scoped(Place, actor).filter(code=code, level__in=REPORT_LEVELS).exists():
        raise forms.ValidationError(
            _("No district, street, community or grid %(code)s in your area."),
            params={"code": code},
        )
    return code


class ReportForm(forms.Form):
    form = forms.ChoiceField(label=_("Form"))
    place = PlaceCodeField(label=_("Place code"))
    day = forms.DateField(
        label=_("Report date"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, actor: Any, forms_available: list, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["form"].choices = [
            (f.key, f"{f.template.department} · {f.template.name}".lstrip(" ·"))
            for f in forms_available
        ]
        self.actor = actor
        self.fields["place"].initial = actor.place.code
        self.fields["day"].initial = timezone.localdate()

    def clean_place(self) -> str:
        return clean_place_code(self.actor, self.cleaned_data["place"])


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Template file (YAML)"), required=False)
    source = forms.CharField(
        label=_("Template"), required=False, widget=forms.Textarea(attrs={"rows": 12})
    )
    place = PlaceCodeField(
        label=_("Available to"), help_text=_("The place whose subtree may use the form")
    )
    save = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["place"].initial = actor.place.code

    def clean_place(self) -> str:
        return clean_place_code(self.actor, self.cleaned_data["place"])

    def clean(self) -> dict:
        data = super().clean()
        upload = data.get("file")
        if upload:
            try:
                data["source"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from None
        if not data.get("source", "").strip():
            raise forms.ValidationError(_("Choose a template file or paste a template."))
        return data


class ScheduleForm(forms.Form):
    form = forms.CharField()
    place = PlaceCodeField()
    at = forms.TimeField(label=_("Every day at"), widget=forms.TimeInput(attrs={"type": "time"}))
    fmt = forms.ChoiceField(choices=[(f, f) for f in FORMATS], initial="xlsx")

    def __init__(self, *args: Any, actor: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean_place(self) -> str:
        return clean_place_code(self.actor, self.cleaned_data["place"])
