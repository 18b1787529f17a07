from django.db import migrations


def fill_pinyin(apps, schema_editor):
    """Residents registered before the pinyin key existed get theirs."""
    from linli.domain.pinyin import search_key

    Resident = apps.get_model("register", "Resident")
    batch = []
    for resident in Resident.objects.filter(name_pinyin="").only("id", "name").iterator():
        resident.name_pinyin = search_key(resident.name)
        batch.append(resident)
        if len(batch) == 2000:
            Resident.objects.bulk_update(batch, ["name_pinyin"])
            batch = []
    Resident.objects.bulk_update(batch, ["name_pinyin"])


class Migration(migrations.Migration):
    dependencies = [("register", "0003_resident_name_pinyin")]

    operations = [migrations.RunPython(fill_pinyin, migrations.RunPython.noop)]
