"""Every page carries the browser protections: CSP, no framing, no sniffing, no referrer leaks."""

import pytest
from django.test import Client


@pytest.mark.django_db
def test_pages_carry_the_security_headers(secretary):
    client = Client()
    for response in (client.get("/accounts/login/"), client.get("/healthz")):
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-eval" not in policy
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
    client.force_login(secretary)
    page = client.get("/")
    assert "<script>" not in page.content.decode()  # no inline script for the policy to allow
