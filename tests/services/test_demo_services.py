import pytest

from linli.demo.service_desk import do_set_up_demo_services
from linli.services.models import Professional, ServiceRequest, Team

pytestmark = pytest.mark.django_db


def test_the_demo_community_gets_a_team_and_requests_once(inside):
    made = do_set_up_demo_services(inside.community.code)
    assert made == 1  # the inside neighbourhood has one ward
    team = Team.objects.get()
    assert team.lead.user.username == "professional_volunteer"
    assert Professional.objects.count() == 3
    request = ServiceRequest.objects.get()
    assert "活着没意思" in request.description and request.urgency == "critical"
    assert do_set_up_demo_services(inside.community.code) == 0
