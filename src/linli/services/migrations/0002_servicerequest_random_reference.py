"""Service requests get a random reference (shown to the person instead of the row number)."""

from django.db import migrations, models

import linli.services.models


def fill(apps, schema_editor):
    ServiceRequest = apps.get_model("services", "ServiceRequest")
    taken = set()
    for request in ServiceRequest.objects.filter(reference__isnull=True).only("pk").iterator():
        reference = linli.services.models.new_reference()
        while reference in taken:
            reference = linli.services.models.new_reference()
        taken.add(reference)
        ServiceRequest.objects.filter(pk=request.pk).update(reference=reference)


class Migration(migrations.Migration):
    dependencies = [("services", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="servicerequest",
            name="reference",
            field=models.CharField(
                editable=False, max_length=11, null=True, verbose_name="reference"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="servicerequest",
            name="reference",
            field=models.CharField(
                default=linli.services.models.new_reference,
                editable=False,
                max_length=11,
                unique=True,
                verbose_name="reference",
            ),
        ),
    ]
