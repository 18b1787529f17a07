import pytest

from linli.screening.models import DailyReport, Quarantine, Screening


@pytest.mark.django_db
def test_demo_screening_gives_a_week_of_reports_and_quarantines(inside, more_households):
    from linli.demo.screening import do_set_up_demo_screening

    recorded = do_set_up_demo_screening(inside.community.code)
    assert recorded == Screening.objects.count() > 0
    assert DailyReport.objects.filter(status="submitted").count() == 6
    assert Quarantine.objects.filter(released_on__isnull=True).count() >= 2
    assert do_set_up_demo_screening(inside.community.code) == 0  # once
