"""Words shown for the codes of linli.domain.services (reasons, queue reasons, questions)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

REASON_LABELS = {
    "self_harm": _("words about self-harm or suicide"),
    "danger_signs": _("medical danger signs"),
    "violence": _("violence or threats"),
    "medical_worry": _("symptoms or medicine running out"),
    "distress": _("severe anxiety or distress"),
    "high_risk": _("high-risk person in the register"),
    "no_carer": _("disabled without a carer"),
    "child_alone": _("child without a parent at home"),
    "pregnant": _("pregnant"),
    "chronic_medicine": _("needs regular medicine"),
}

QUEUE_REASONS = {
    "no_team": _("no service team serves this community"),
    "no_qualified": _("the team has nobody qualified for this kind of request"),
    "language": _("nobody qualified speaks the language asked for"),
    "outside_hours": _("everyone qualified is outside their available hours"),
    "at_load_limit": _("everyone qualified has as many cases as they can take"),
}

# PHQ-2 and GAD-2 (public domain): "Over the last 2 weeks, how often have you been bothered
# by the following problems?" 0 not at all, 1 several days, 2 more than half the days,
# 3 nearly every day.
WELLBEING_QUESTIONS = [
    ("phq1", _("Little interest or pleasure in doing things")),
    ("phq2", _("Feeling down, depressed, or hopeless")),
    ("gad1", _("Feeling nervous, anxious, or on edge")),
    ("gad2", _("Not being able to stop or control worrying")),
]
ANSWERS = [
    (0, _("Not at all")),
    (1, _("Several days")),
    (2, _("More than half the days")),
    (3, _("Nearly every day")),
]
