"""Sign-in protections: password rules, lock-out, second factor, session expiry and a
password reset that does not tell whether an account exists."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "pw-for-tests-1"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _places(inside):
    """Grids and communities the role accounts are bound to."""


def sign_in(client: Client, username: str, password: str = PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def without_csrf(content: bytes) -> str:
    """The page with its per-request CSRF tokens blanked."""
    import re

    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", content.decode())


# --- password rules -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "password",
    ["short-1a", "password123", "12345678901234", "yulin-secretary"],
    ids=["too-short", "common", "numeric", "like-username"],
)
def test_weak_passwords_are_refused(password, make_user):
    user = make_user("community_secretary")
    user.username = "yulin-secretary"
    with pytest.raises(ValidationError):
        validate_password(password, user)


@pytest.mark.django_db
def test_a_long_uncommon_password_is_accepted(make_user):
    validate_password("Tea-garden-lantern-42", make_user("grid_worker"))


def test_password_minimum_length_is_at_least_ten():
    lengths = [
        v.get("OPTIONS", {}).get("min_length", 8)
        for v in settings.AUTH_PASSWORD_VALIDATORS
        if v["NAME"].endswith("MinimumLengthValidator")
    ]
    assert lengths and lengths[0] >= 10


# --- lock-out ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_wrong_passwords_lock_the_username_from_that_address(make_user):
    user = make_user("grid_worker")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, user.username, "wrong-password")
        assert response.status_code == 200
    response = sign_in(client, user.username, "wrong-password")
    assert response.status_code == 429
    body = response.content.decode()
    assert "Sign-in locked" in body or "登录已暂停" in body
    # Even the right password is refused during the cool-off, with the same message.
    response = sign_in(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # The lock is per username and IP: another address may still sign in as that user,
    # and another account may still sign in from that address.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert sign_in(other, user.username).status_code == 302
    colleague = make_user("volunteer")
    assert sign_in(Client(), colleague.username).status_code == 302


@pytest.mark.django_db
def test_lock_out_is_the_same_for_unknown_usernames():
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, "nobody-here", "wrong-password")
    assert response.status_code == 429


@pytest.mark.django_db
def test_cool_off_ends_the_lock(make_user, settings):
    import datetime as dt

    from axes.models import AccessAttempt

    user = make_user("grid_worker")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, user.username, "wrong-password")
    assert sign_in(client, user.username).status_code == 429
    AccessAttempt.objects.update(attempt_time=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert sign_in(client, user.username).status_code == 302


# --- second factor ----------------------------------------------------------------------


@pytest.fixture
def require_2fa(settings):
    settings.LINLI_REQUIRE_2FA = True


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role",
    ["community_secretary", "street_officer", "district_officer", "city_officer", "system_admin"],
)
def test_roles_that_need_2fa_are_sent_to_enrolment_first(role, make_user, require_2fa):
    user = make_user(role)
    client = Client()
    assert sign_in(client, user.username).status_code == 302
    paths = [reverse("home"), reverse("register:list"), "/admin/", "/api/places/"]
    for path in [*paths, reverse("accounts:api_tokens")]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("accounts:twofactor_enrol"), path


@pytest.mark.django_db
def test_roles_that_cannot_reveal_or_edit_the_register_do_not_need_2fa(make_user, require_2fa):
    for role in ["volunteer", "taskforce_lead", "professional_volunteer"]:
        client = Client()
        sign_in(client, make_user(role).username)
        assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_2fa_is_not_asked_when_the_setting_is_off(make_user, settings):
    settings.LINLI_REQUIRE_2FA = False
    client = Client()
    sign_in(client, make_user("community_secretary").username)
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_enrolment_shows_a_qr_code_and_key_and_confirms_with_a_code(make_user, require_2fa):
    user = make_user("community_secretary")
    client = Client()
    sign_in(client, user.username)
    page = client.get(reverse("accounts:twofactor_enrol"))
    body = page.content.decode()
    assert "<svg" in body and 'id="totp-key"' in body
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    # A wrong code is refused and nothing is confirmed.
    response = client.post(reverse("accounts:twofactor_enrol"), {"token": "000000"})
    assert response.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()  # a wrong code slows the next try down (django-otp throttling)
    assert client.get(reverse("home")).status_code == 302
    response = client.post(
        reverse("accounts:twofactor_enrol"), {"token": code_for(device), "next": "/"}
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_an_enrolled_account_must_give_a_code_after_the_password(make_user, require_2fa):
    user = make_user("street_officer")
    device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    client = Client()
    sign_in(client, user.username)
    response = client.get(reverse("register:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:twofactor_verify"))
    assert client.post(reverse("accounts:twofactor_verify"), {"token": "123456"}).status_code == 200
    assert client.get(reverse("register:list")).status_code == 302
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(
        reverse("accounts:twofactor_verify"),
        {"token": code_for(device), "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"  # no redirect off the site
    assert client.get(reverse("register:list")).status_code == 200


# --- sessions ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_sessions_end_after_eight_hours_and_at_browser_close(make_user):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    client = Client()
    response = sign_in(client, make_user("grid_worker").username)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]  # a browser-session cookie
    assert cookie["httponly"]
    assert client.session.get_expiry_age() <= 8 * 3600
    assert client.session.get_expire_at_browser_close()


@pytest.mark.django_db
def test_an_expired_session_is_signed_out(make_user):
    import datetime as dt

    from django.contrib.sessions.models import Session

    client = Client()
    sign_in(client, make_user("grid_worker").username)
    assert client.get(reverse("home")).status_code == 200
    Session.objects.update(expire_date=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert client.get(reverse("home")).status_code == 302


# --- password reset ---------------------------------------------------------------------


@pytest.mark.django_db
def test_password_reset_answers_the_same_for_known_and_unknown_addresses(make_user, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = make_user("grid_worker")
    user.email = "worker@example.org"
    user.save()
    url = reverse("accounts:password_reset")
    known = Client().post(url, {"email": "worker@example.org"}, follow=True)
    unknown = Client().post(url, {"email": "nobody@example.org"}, follow=True)
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    assert without_csrf(known.content) == without_csrf(unknown.content)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["worker@example.org"]


@pytest.mark.django_db
def test_the_reset_link_sets_a_new_password_that_obeys_the_rules(make_user, settings):
    import re

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = make_user("grid_worker")
    user.email = "worker@example.org"
    user.save()
    Client().post(reverse("accounts:password_reset"), {"email": user.email})
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    client = Client()
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "12345", "new_password2": "12345"})
    assert weak.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    new = "Tea-garden-lantern-42"
    done = client.post(set_url, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


@pytest.mark.django_db
def test_behind_a_proxy_the_lock_follows_the_forwarded_address_not_a_spoofed_one(
    make_user, settings
):
    settings.LINLI_PROXY_COUNT = 1
    user = make_user("grid_worker")
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    attacker = Client(**proxy)
    for n in range(settings.AXES_FAILURE_LIMIT):
        # The attacker varies the part of the header it controls; nginx appends its address.
        attacker.post(
            reverse("accounts:login"),
            {"username": user.username, "password": "wrong-password"},
            HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 203.0.113.5",
        )
    locked = attacker.post(
        reverse("accounts:login"),
        {"username": user.username, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="10.9.9.99, 203.0.113.5",
    )
    assert locked.status_code == 429
    # The same user from another client behind the same proxy is not locked out.
    other = Client(**proxy).post(
        reverse("accounts:login"),
        {"username": user.username, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert other.status_code == 302
