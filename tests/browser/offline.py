"""Helpers for the offline browser tests."""

from __future__ import annotations

import time

# report() keeps the outbox's size on #outbox[data-total] (wait_for_function does not await)
OUTBOX_EMPTY = "() => document.getElementById('outbox').dataset.total === '0'"


def until(page, condition, *, timeout: float = 30.0) -> None:
    """Wait (letting the page run) until ``condition()`` holds, or fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the condition did not hold in time")
        page.wait_for_timeout(200)


def sign_in(page, base: str, username: str, next_url: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", "linli-demo")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**{next_url}*")


def wait_for_service_worker(page) -> None:
    page.wait_for_function(
        "async () => !!(await navigator.serviceWorker.ready) && !!navigator.serviceWorker.controller",
        timeout=20_000,
    )
