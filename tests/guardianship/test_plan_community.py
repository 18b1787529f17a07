import pytest
from django.utils.translation import override

from linli.guardianship.models import Assignment, CoverageSnapshot, Gap, StatusChange, Trigger
from linli.guardianship.replan import do_replan_community, do_seal_compound, do_unseal_compound
from linli.guardianship.services import do_pin_guardian, do_set_volunteer_status


def roles(ward):
    return {a.role: a.volunteer_id for a in Assignment.objects.filter(ward=ward)}


@pytest.mark.django_db
def test_a_plan_gives_primary_and_backup_and_lists_the_gap_with_a_reason(secretary, inside):
    result = do_replan_community(
        community=inside.community, trigger=Trigger.BY_HAND, actor=secretary
    )
    assert roles(inside.ward) == {"primary": inside.volunteer.pk}
    assert (result.wards, result.primary_filled, result.backup_filled, result.gaps) == (1, 1, 0, 1)
    gap = Gap.objects.get(ward=inside.ward)
    assert gap.role == "backup" and gap.reason
    snapshot = CoverageSnapshot.objects.get(community=inside.community)
    assert (snapshot.wards, snapshot.both_filled) == (1, 0)


@pytest.mark.django_db
def test_a_sick_primary_is_replaced_by_the_backup_at_once(secretary, inside, add_volunteer):
    second = add_volunteer("甲二号")
    do_replan_community(community=inside.community, trigger=Trigger.BY_HAND, actor=secretary)
    before = roles(inside.ward)
    assert set(before.values()) == {inside.volunteer.pk, second.pk}
    primary = inside.volunteer if before["primary"] == inside.volunteer.pk else second
    other = second if primary is inside.volunteer else inside.volunteer
    result = do_set_volunteer_status(
        actor=secretary, volunteer=primary, status="sick", reason="fever"
    )
    assert roles(inside.ward) == {"primary": other.pk}
    assert result.gaps == 1
    assert StatusChange.objects.get(volunteer=primary).previous == "active"


@pytest.mark.django_db
def test_sealing_a_compound_cuts_off_volunteers_outside_it_without_a_pass(
    secretary, inside, add_volunteer, second_compound
):
    outsider = add_volunteer("甲外面", compound=second_compound)
    passholder = add_volunteer("甲通行证", compound=second_compound)
    passholder.passes.add(inside.compound)
    inside.volunteer.status = "withdrawn"
    inside.volunteer.save()
    do_replan_community(community=inside.community, trigger=Trigger.BY_HAND, actor=secretary)
    assert set(roles(inside.ward).values()) == {outsider.pk, passholder.pk}
    do_seal_compound(
        actor=secretary, place=inside.compound
    )  # the plan is repaired in the same transaction
    assert roles(inside.ward) == {"primary": passholder.pk}
    with override("en"):
        assert Gap.objects.get(ward=inside.ward).role == "backup"
    do_unseal_compound(actor=secretary, place=inside.compound)
    assert set(roles(inside.ward).values()) == {outsider.pk, passholder.pk}


@pytest.mark.django_db
def test_a_pinned_guardian_is_kept(secretary, inside, add_volunteer):
    near = add_volunteer("甲近")
    far = add_volunteer("甲远")
    do_replan_community(community=inside.community, trigger=Trigger.BY_HAND, actor=secretary)
    do_pin_guardian(actor=secretary, ward=inside.ward, role="primary", volunteer=far)
    assert roles(inside.ward)["primary"] == far.pk
    assert Assignment.objects.get(ward=inside.ward, role="primary").pinned
    do_replan_community(community=inside.community, trigger=Trigger.BY_HAND, actor=secretary)
    assert roles(inside.ward)["primary"] == far.pk
    # Volunteers without coordinates of their own stand at their compound: a tie, either is right.
    assert roles(inside.ward)["backup"] in {near.pk, inside.volunteer.pk}


@pytest.mark.django_db
def test_everyone_whose_wards_changed_is_notified(
    secretary, inside, add_volunteer, django_capture_on_commit_callbacks
):
    from linli.accounts.models import User
    from linli.notifications.models import Notification

    second = add_volunteer("甲二号")
    for n, volunteer in enumerate((inside.volunteer, second)):
        volunteer.account = User.objects.create_user(
            username=f"v{n}", password="pw-for-tests-1", role="volunteer", place=inside.community
        )
        volunteer.save()
    with django_capture_on_commit_callbacks(execute=True):
        do_replan_community(community=inside.community, trigger=Trigger.BY_HAND, actor=secretary)
    accounts = {inside.volunteer.pk: inside.volunteer.account_id, second.pk: second.account_id}
    assert set(Notification.objects.values_list("recipient", flat=True)) == set(accounts.values())
    before = roles(inside.ward)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        do_set_volunteer_status(actor=secretary, volunteer=second, status="sick")
    after = roles(inside.ward)
    changed = {
        v
        for role in ("primary", "backup")
        for v in (before.get(role), after.get(role))
        if before.get(role) != after.get(role) and v is not None
    }
    assert second.pk in changed
    assert set(Notification.objects.values_list("recipient", flat=True)) == {
        accounts[v] for v in changed
    }


@pytest.mark.django_db
def test_every_change_of_a_plan_is_audited_with_its_actor(secretary, inside, add_volunteer):
    from auditlog.models import LogEntry

    second = add_volunteer("甲二号")
    do_replan_community(community=inside.community, trigger=Trigger.BY_HAND, actor=secretary)
    primary = Assignment.objects.get(ward=inside.ward, role="primary")
    backup = Assignment.objects.get(ward=inside.ward, role="backup")
    created = LogEntry.objects.get_for_object(primary).get()
    assert created.action == LogEntry.Action.CREATE
    assert created.changes_dict["volunteer"] == ["None", str(primary.volunteer_id)]
    assert created.changes_dict["role"] == ["None", "primary"]
    assert created.additional_data == {"plan": inside.community.code}
    assert created.actor == secretary
    sick = inside.volunteer if primary.volunteer_id == inside.volunteer.pk else second
    other = second if sick is inside.volunteer else inside.volunteer
    do_set_volunteer_status(actor=secretary, volunteer=sick, status="sick", reason="fever")
    # The backup became the primary (the row's volunteer changed), the backup row went.
    moved = LogEntry.objects.get_for_object(primary).latest("timestamp")
    assert moved.action == LogEntry.Action.UPDATE
    assert moved.changes_dict["volunteer"] == [str(sick.pk), str(other.pk)]
    assert moved.actor == secretary
    removed = LogEntry.objects.get_for_object(backup).latest("timestamp")
    assert removed.action == LogEntry.Action.DELETE
    assert removed.changes_dict["volunteer"] == [str(other.pk), "None"]
    assert not Assignment.objects.filter(pk=backup.pk).exists()
