"""A long job's progress bar moves on the page and its result appears, on a phone."""

import time

from playwright.sync_api import expect

from linli.jobs import runner
from tests.conftest import IN_COMMUNITY, build_neighbourhood


@runner.job("test.steps")
def steps(ctx, *, n: int, pause: float):
    for i in range(n):
        time.sleep(pause)
        ctx.progress(i + 1, n, f"step {i + 1}")
    return {"steps": n}


def test_progress_bar_moves_and_the_result_appears(phone, live_server, live_places, settings):
    from linli.accounts.models import User
    from linli.places.models import Place

    settings.LINLI_JOBS = "thread"
    build_neighbourhood(IN_COMMUNITY, "甲")
    community = Place.objects.get(code=IN_COMMUNITY)
    User.objects.create_user(
        username="community_secretary",
        password="linli-demo",
        role="community_secretary",
        place=community,
    )
    job = runner.enqueue("test.steps", actor=None, place=community, params={"n": 8, "pause": 0.6})

    phone.goto(f"{live_server.url}/jobs/{job.pk}/")
    phone.fill("#id_username", "community_secretary")
    phone.fill("#id_password", "linli-demo")
    phone.get_by_role("button", name="登录").click()

    seen = set()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        value = phone.locator("progress").get_attribute("value")
        seen.add(int(value))
        if value == "100":
            break
        time.sleep(0.2)
    runner.wait_all()
    assert len({v for v in seen if 0 < v < 100}) >= 2, seen  # it moved while we watched
    expect(phone.locator(".job-result")).to_contain_text("'steps': 8")
    expect(phone.locator(".job-status")).to_have_text("已完成")
