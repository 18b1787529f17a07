"""Robot URLs follow the outbound rule (linli.common.outbound); failures recorded before it
may quote what a server answered, so robot deliveries keep only the status of their failure."""

import re

from django.db import migrations, models

import linli.common.outbound

KEPT = re.compile(r"^(HTTP \d{3}|robot refused: errcode -?\d+)$")


def forget_answers(apps, schema_editor):
    Delivery = apps.get_model("notifications", "Delivery")
    robots = Delivery.objects.exclude(channel="email").exclude(last_error="")
    for pk, error in robots.values_list("pk", "last_error").iterator():
        if not KEPT.match(error):
            kept = "robot refused" if error.startswith("robot refused") else error.split(":")[0]
            Delivery.objects.filter(pk=pk).update(last_error=kept[:60])


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_unread_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="robot",
            name="url",
            field=models.URLField(
                max_length=500,
                validators=[linli.common.outbound.validate_outbound_url],
                verbose_name="webhook URL",
            ),
        ),
        migrations.RunPython(forget_answers, migrations.RunPython.noop),
    ]
