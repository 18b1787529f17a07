"""``linli backup`` and ``linli restore`` round-trip every table, on SQLite and PostgreSQL."""

import json

import pytest

from linli.common.backup import backup, fingerprints, restore


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_brings_back_every_row(tmp_path, live_places, make_user):
    from linli.register.models import Resident
    from tests.conftest import IN_COMMUNITY, build_neighbourhood

    n = build_neighbourhood(IN_COMMUNITY, "甲")
    make_user("community_secretary")
    before = fingerprints()
    path = tmp_path / "linli.backup"
    manifest = backup(path)
    assert manifest == before
    assert json.loads((tmp_path / "linli.backup.manifest.json").read_text()) == before
    assert oct(path.stat().st_mode)[-3:] == "600"

    Resident.objects.filter(pk=n.resident.pk).update(name="被改掉的名字")
    Resident.objects.exclude(pk=n.resident.pk).delete()
    assert fingerprints() != before

    assert restore(path) == before
    assert Resident.objects.get(pk=n.resident.pk).name == n.resident.name


@pytest.mark.django_db(transaction=True)
def test_a_restore_that_does_not_match_its_manifest_fails(tmp_path, live_places):
    path = tmp_path / "linli.backup"
    backup(path)
    manifest = json.loads((tmp_path / "linli.backup.manifest.json").read_text())
    manifest["places_place"][0] += 1  # as if a row went missing on the way
    (tmp_path / "linli.backup.manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(SystemExit, match="differ from the backup: places_place"):
        restore(path)
