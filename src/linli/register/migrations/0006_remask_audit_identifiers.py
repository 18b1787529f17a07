"""Audit entries written before the one masking rule (linli.domain.disclosure): their ID
numbers were masked as ``510107********002X`` (the sequence and check kept, which with the
birth date in the same entry give the whole number) and their phones were kept in clear.
Both are masked again as the rule says; an old ID mask keeps only its area code, since
the birth date it hid is not in it."""

import re

from django.db import migrations

OLD_ID_MASK = re.compile(r"^(\d{6})\*{8}[0-9X]{4}$")
FIELDS = ("id_number", "phone", "phone2")


def _remask(value):
    from linli.domain.disclosure import mask_id_number, mask_phone

    if not isinstance(value, str) or not value or value == "None":
        return value
    old = OLD_ID_MASK.match(value)
    if old:
        return old.group(1) + "*" * 12
    if "*" in value and not any(ch.isdigit() for ch in value[-4:]):
        return value  # already masked by the rule
    if len(value) in (15, 18) and value[:15].isdigit():
        return mask_id_number(value)
    return mask_phone(value)


def remask(apps, schema_editor):
    LogEntry = apps.get_model("auditlog", "LogEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    kinds = ContentType.objects.filter(app_label="register", model="resident")
    batch = []
    for entry in LogEntry.objects.filter(content_type__in=kinds).only("id", "changes").iterator():
        changes = entry.changes
        if not isinstance(changes, dict) or not any(f in changes for f in FIELDS):
            continue
        for field in FIELDS:
            if isinstance(changes.get(field), list):
                changes[field] = [_remask(v) for v in changes[field]]
        batch.append(entry)
        if len(batch) == 2000:
            LogEntry.objects.bulk_update(batch, ["changes"])
            batch = []
    LogEntry.objects.bulk_update(batch, ["changes"])


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0005_resident_anonymised_at"),
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(remask, migrations.RunPython.noop)]
