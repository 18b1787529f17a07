"""Service-request rules (pure Python): triage, routing to professionals, response and
resolution limits with their escalation ladder, and the frontline wellbeing check-in."""
