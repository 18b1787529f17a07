import pytest
from django.test import Client

from linli.accounts.models import User
from linli.accounts.roles import Role
from linli.demo.accounts import DEMO_PASSWORD, do_create_demo_accounts


@pytest.mark.django_db
def test_one_demo_account_per_role_each_bound_to_its_level_and_able_to_sign_in():
    accounts = do_create_demo_accounts()
    assert sorted(a.username for a in accounts) == sorted(r.value for r in Role)
    for account in accounts:
        user = User.objects.get(username=account.username)
        assert user.place.level == user.expected_level or user.place.level == "community"
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": account.username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, account.username
    assert do_create_demo_accounts() == accounts  # idempotent


@pytest.mark.django_db
def test_login_page_and_wrong_password():
    do_create_demo_accounts()
    client = Client()
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"username": "volunteer", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
