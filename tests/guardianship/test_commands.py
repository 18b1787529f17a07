"""``linli match --community`` / ``--all`` and ``linli coverage`` against the database.

``linli match`` and ``linli coverage`` hand these to the management commands below (a
subprocess would not see the test database, and Django closes it after a command line)."""

import pytest
from django.core.management import CommandError, call_command

from linli.guardianship import cli


@pytest.mark.django_db
def test_match_plans_a_community_and_coverage_lists_its_gap(inside, capsys):
    call_command("plan_guardians", community=inside.community.code)
    out = capsys.readouterr().out
    assert inside.community.code in out and "wards 1, primary 1, backup 0, gaps 1" in out
    call_command("plan_guardians", all=True)
    assert "communities 1, wards 1" in capsys.readouterr().out
    call_command("coverage", community=inside.community.code)
    assert "backup" in capsys.readouterr().out


@pytest.mark.django_db
def test_match_names_an_unknown_community():
    with pytest.raises(CommandError, match="unknown community code '510000000000'"):
        call_command("plan_guardians", community="510000000000")


def test_match_with_a_file_runs_the_pure_planner_without_the_database(tmp_path, capsys):
    scenario = tmp_path / "s.json"
    scenario.write_text('{"wards": [], "volunteers": []}')
    assert cli.main(["--input", str(scenario), "--output", str(tmp_path / "p.json")]) == 0
    assert (tmp_path / "p.json").read_text().startswith("{")


@pytest.mark.django_db
def test_the_escalation_and_planning_jobs_run_through_the_job_interface(
    inside, settings, django_capture_on_commit_callbacks
):
    from linli.guardianship.models import Assignment, Escalation
    from linli.jobs import runner

    settings.LINLI_JOBS = "eager"
    with django_capture_on_commit_callbacks(execute=True):
        plan = runner.enqueue(
            "guardianship.plan_place", actor=None, place=inside.community, params={"code": "510107"}
        )
    plan.refresh_from_db()
    assert plan.status == "succeeded", plan.error
    assert plan.result == {"communities": 1, "wards": 1, "gaps": 1, "changed": 1}
    assert (plan.done, plan.total) == (1, 1)
    Assignment.objects.filter(ward=inside.ward).update(since="2026-01-01T00:00:00Z")
    with django_capture_on_commit_callbacks(execute=True):
        escalate = runner.enqueue("guardianship.escalate", actor=None, place=inside.community)
    escalate.refresh_from_db()
    assert escalate.result == {"escalations": 1}
    assert Escalation.objects.filter(ward=inside.ward).count() == 1
