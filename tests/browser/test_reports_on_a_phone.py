"""A secretary previews and downloads her community's street summary on a phone."""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.conftest import IN_COMMUNITY, OUT_COMMUNITY, build_neighbourhood


@pytest.fixture
def secretary_account(live_places):
    from linli.accounts.models import User
    from linli.places.models import Place

    build_neighbourhood(IN_COMMUNITY, "甲")
    build_neighbourhood(OUT_COMMUNITY, "乙")
    return User.objects.create_user(
        username="community_secretary",
        password="linli-demo",
        role="community_secretary",
        place=Place.objects.get(code=IN_COMMUNITY),
    )


def test_secretary_previews_and_downloads_a_form_on_a_phone(phone, live_server, secretary_account):
    from linli.common.audit import exports_of
    from linli.reports.models import Generation

    phone.goto(f"{live_server.url}/accounts/login/?next=/reports/")
    phone.fill("#id_username", "community_secretary")
    phone.fill("#id_password", "linli-demo")
    phone.get_by_role("button", name="登录").click()
    expect(phone.locator("h1")).to_have_text("部门报表")
    phone.select_option("#id_form", "street_daily")
    phone.get_by_role("button", name="预览").click()
    expect(phone.locator("#preview")).to_contain_text("合计")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375  # table scrolls, page not
    downloads = phone.locator("#downloads")
    downloads.get_by_label("为什么需要这个文件？").fill("街道日报")
    with phone.expect_download() as download:
        downloads.get_by_role("button", name="XLSX").click()
    with open(download.value.path(), "rb") as file:
        content = file.read()
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet["A1"].value.startswith("玉林东路社区")
    generation = Generation.objects.get()
    assert generation.rows == 1
    assert exports_of(generation).get().additional_data["reason"] == "街道日报"
    assert "乙老人" not in phone.content()
