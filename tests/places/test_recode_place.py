"""do_recode_place: the one audited way a place's code, parent or level changes."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.utils.translation import override

from linli.common.scope import scoped
from linli.places.models import Place, PlaceRecode
from linli.places.services import PlaceError, do_recode_place
from linli.register.models import Resident


@pytest.fixture
def sysadmin(make_user):
    return make_user("system_admin")


def reach(user) -> set[int]:
    return set(scoped(Place, user).values_list("pk", flat=True))


@pytest.mark.django_db
def test_moving_a_grid_keeps_every_bound_account_s_places_and_records_it(
    make_user, sysadmin, inside, outside
):
    grid_worker = make_user("grid_worker")
    secretary = make_user("community_secretary")
    other_secretary = make_user("community_secretary", outside.community.code)
    before = reach(grid_worker)
    summary = do_recode_place(
        actor=sysadmin,
        place=inside.grid,
        code=outside.community.code + "07",
        parent=outside.community,
        reason="划片调整",
    )
    grid_worker.refresh_from_db()
    assert reach(grid_worker) == before  # the same rows, under their new codes
    assert inside.building.pk in reach(grid_worker)
    assert Place.objects.get(pk=inside.building.pk).code == outside.community.code + "0701001"
    # Those above the old position lose the grid, those above the new one gain it.
    assert inside.building.pk not in reach(secretary)
    assert inside.building.pk in reach(other_secretary)
    assert (summary.places, summary.accounts_checked) == (3, 1)
    assert (summary.accounts_losing, summary.accounts_gaining) == (1, 1)  # the secretaries
    recode = PlaceRecode.objects.get()
    assert (recode.old_code, recode.new_code, recode.actor, recode.open) == (
        inside.community.code + "01",
        outside.community.code + "07",
        sysadmin,
        False,
    )
    entry = LogEntry.objects.get_for_object(inside.grid).get(actor=sysadmin)
    assert entry.changes_dict["code"] == [recode.old_code, recode.new_code]


@pytest.mark.django_db
@override("en")
@pytest.mark.parametrize(
    "code, why",
    [
        ("510", "digits"),  # the reported exploit
        ("5101", "digits"),
        ("510107005002", "digits"),
        ("51010700500201", "already has"),
        ("5101070050020", "digits"),
        ("51010400000101", "extend"),  # not below the parent kept
    ],
)
def test_a_code_that_would_widen_anyone_is_refused_and_nothing_is_written(
    code, why, make_user, sysadmin, inside, outside
):
    grid_worker = make_user("grid_worker")
    with pytest.raises(PlaceError, match=why):
        do_recode_place(actor=sysadmin, place=inside.grid, code=code, reason="试")
    inside.grid.refresh_from_db()
    assert inside.grid.code == inside.community.code + "01"
    assert not PlaceRecode.objects.exists()
    assert not scoped(Resident, grid_worker).filter(pk=outside.resident.pk).exists()


@pytest.mark.django_db
@override("en")
def test_a_code_taken_below_is_refused(sysadmin, inside, outside):
    with pytest.raises(PlaceError, match="exist already"):
        do_recode_place(
            actor=sysadmin,
            place=inside.grid,
            code=outside.grid.code,
            parent=outside.community,
            reason="试",
        )
    assert Place.objects.get(pk=inside.grid.pk).code == inside.community.code + "01"


@pytest.mark.django_db
@override("en")
def test_a_code_below_another_place_of_the_line_is_refused(sysadmin, inside):
    # A compound straight under the community whose code says "grid 01" would be reached by
    # that grid's workers too.
    loose = Place.objects.create(
        code=inside.community.code + "0301", name="丙苑", level="compound", parent=inside.community
    )
    with pytest.raises(PlaceError, match="below"):
        do_recode_place(actor=sysadmin, place=loose, code=inside.grid.code + "09", reason="试")


@pytest.mark.django_db
@override("en")
def test_only_a_system_administrator_recodes_and_never_their_own_place(make_user, inside):
    secretary = make_user("community_secretary")
    with pytest.raises(PermissionDenied):
        do_recode_place(
            actor=secretary, place=inside.grid, code=inside.community.code + "08", reason="x"
        )
    admin_here = make_user("system_admin", inside.community.code)
    with pytest.raises(PlaceError, match="own place"):
        do_recode_place(actor=admin_here, place=inside.community, code="510107005099", reason="x")
    with pytest.raises(PlaceError, match="why"):
        do_recode_place(actor=make_user("system_admin"), place=inside.grid, code="1", reason=" ")
    assert not PlaceRecode.objects.exists()


@pytest.mark.django_db
@override("en")
def test_level_changes_only_for_a_place_with_nothing_below(sysadmin, inside):
    with pytest.raises(PlaceError, match="nothing below"):
        do_recode_place(
            actor=sysadmin,
            place=inside.compound,
            code=inside.grid.code + "02009",
            level="building",
            reason="x",
        )
    summary = do_recode_place(
        actor=sysadmin,
        place=inside.building,
        code=inside.grid.code + "09",
        level="compound",
        parent=inside.grid,
        reason="楼改小区",
    )
    assert summary.places == 1
    inside.building.refresh_from_db()
    assert (inside.building.level, inside.building.parent_id) == ("compound", inside.grid.pk)
    inside.building.name = "新名"
    inside.building.save()  # the recoded place saves normally afterwards


@pytest.mark.django_db
def test_the_database_permit_closes_with_the_recode(sysadmin, inside):
    do_recode_place(
        actor=sysadmin, place=inside.grid, code=inside.community.code + "05", reason="x"
    )
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic():
        Place.objects.filter(pk=inside.grid.pk).update(code=inside.community.code + "01")


@pytest.mark.django_db
@override("en")
def test_the_command_recodes_and_names_what_it_refuses(make_user, inside):
    from django.core.management import CommandError, call_command

    make_user("system_admin")
    secretary = make_user("community_secretary")
    old = inside.grid.code
    with pytest.raises(CommandError, match="digits"):
        call_command("recode_place", old, "510", actor="system_admin-5101", reason="x")
    with pytest.raises(CommandError, match="system administrator"):
        call_command("recode_place", old, old[:-2] + "06", actor=secretary.username, reason="x")
    call_command("recode_place", old, old[:-2] + "06", actor="system_admin-5101", reason="调整")
    assert Place.objects.get(pk=inside.building.pk).code.startswith(old[:-2] + "06")
