"""The demo community gets shift types, needs and a published roster."""

import pytest

from linli.demo.population import LoadCounts, load_community
from linli.demo.rosters import do_set_up_demo_roster
from linli.domain.synth import generate_community
from linli.rostering.models import Notice, RosterShift

pytestmark = pytest.mark.django_db


def test_the_demo_community_has_a_published_roster_with_every_minimum_covered():
    load_community(generate_community("510107005002", population=4000, seed=1), LoadCounts())
    roster = do_set_up_demo_roster("510107005002", time_limit=2.0)
    assert roster is not None and roster.status == "published"
    assert roster.start.weekday() == 0 and roster.days == 14
    assert roster.terms["below_minimum"] == 0
    shifts = RosterShift.objects.filter(roster=roster)
    assert shifts.count() == roster.terms["shifts"] > 0
    assert Notice.objects.count() == shifts.values("volunteer").distinct().count()
    assert do_set_up_demo_roster("510107005002") is None  # loading twice adds nothing
