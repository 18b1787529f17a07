"""Officers' coverage pages: one row per place one level down, summed from the latest plan
of every community below, with the total above."""

import pytest
from django.test import Client

from linli.guardianship.models import Trigger
from linli.guardianship.replan import do_replan_community
from linli.guardianship.selectors import coverage_rollup


@pytest.mark.django_db
def test_each_level_shows_its_children_summed_from_the_communities(
    secretary, inside, outside, make_user, add_volunteer
):
    add_volunteer("甲二号")
    do_replan_community(
        community=inside.community, trigger=Trigger.BY_HAND, actor=secretary
    )  # 1 ward, both roles
    do_replan_community(
        community=outside.community, trigger=Trigger.BY_HAND, actor=secretary
    )  # 1 ward, 1 volunteer
    city_officer = make_user("city_officer")

    total, rows = coverage_rollup(city_officer, inside.community.parent.parent.parent)
    by_code = {row.place.code: row for row in rows}
    assert set(by_code) == {"510107", "510104"}  # 武侯区, 锦江区: districts, not communities
    assert (by_code["510107"].wards, by_code["510107"].both_filled) == (1, 1)
    assert (by_code["510104"].both_filled, by_code["510104"].gaps) == (0, 1)  # no backup
    assert (total.communities, total.wards, total.both_filled) == (2, 2, 1)
    assert total.gaps == sum(row.gaps for row in rows) == 1

    street_officer = make_user("street_officer")
    _total, rows = coverage_rollup(street_officer, inside.community.parent)
    assert [row.place.code for row in rows] == [inside.community.code]

    client = Client()
    client.force_login(make_user("district_officer"))
    page = client.get("/guardianship/coverage/510107/").content.decode()
    assert inside.community.parent.short_name in page  # the street's row links down
    assert "/guardianship/coverage/510107005/" in page
    assert outside.community.short_name not in page  # another district: not in scope
