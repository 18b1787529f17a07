"""The reports pages: preview, download, log, and a new form uploaded without code."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from linli.common.audit import exports_of
from linli.reports.models import FormDefinition, Generation

from .helpers import read_xlsx
from .test_built_in_forms import people_with

pytestmark = pytest.mark.django_db
NEW_FORM = Path(__file__).parent / "new_form.yaml"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_preview_then_download_is_logged(demo, make_user):
    officer = make_user("street_officer")
    client = client_for(officer)
    page = client.get(
        reverse("reports:index"),
        {"form": "street_daily", "place": demo.street.code, "day": str(demo.day)},
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert "社区疫情防控重点人群日汇总表" in body and 'id="preview"' in body
    assert demo.communities[0].short_name in body
    assert not Generation.objects.exists()  # a preview is not a report sent
    url = reverse("reports:download", args=["street_daily", demo.street.code, demo.day, "xlsx"])
    assert url in body and 'name="reason"' in body
    response = client.post(url, {"reason": "街道日报"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = read_xlsx(response.content)
    assert sheet.total[sheet.column("人数")] == 3500
    logged = Generation.objects.get()
    assert (logged.actor, logged.rows) == (officer, len(sheet.data))
    (audited,) = exports_of(logged)
    assert (audited.actor, audited.additional_data["reason"]) == (officer, "街道日报")
    assert audited.additional_data["rows"] == logged.rows
    log_page = client.get(reverse("reports:log")).content.decode()
    assert logged.form_name in log_page and logged.checksum[:12] in log_page


def test_download_outside_scope_or_of_unknown_form_is_404(demo, make_user):
    client = client_for(make_user("community_secretary"))
    other = demo.communities[1].code  # in the street, not in the secretary's community
    url = reverse("reports:download", args=["street_daily", other, demo.day, "csv"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "想看"}).status_code == 404
    own = demo.communities[0].code
    assert (
        client.get(reverse("reports:download", args=["nope", own, demo.day, "csv"])).status_code
        == 404
    )
    assert (
        client.get(
            reverse("reports:download", args=["street_daily", own, "2026-02-30", "csv"])
        ).status_code
        == 404
    )
    assert not Generation.objects.exists()


def test_a_new_form_uploaded_is_checked_previewed_saved_and_used(demo, make_user):
    admin = make_user("system_admin")
    client = client_for(admin)
    community = demo.communities[0]
    upload = SimpleUploadedFile("elderly.yaml", NEW_FORM.read_bytes())
    page = client.post(reverse("reports:upload"), {"file": upload, "place": community.code})
    assert page.status_code == 200
    body = page.content.decode()
    assert "独居老人走访联系表" in body and 'id="preview"' in body and 'id="save-form"' in body
    assert not FormDefinition.objects.exists()  # previewed, not yet saved
    saved = client.post(
        reverse("reports:upload"),
        {"source": NEW_FORM.read_text(), "place": community.code, "save": "on"},
    )
    assert 'id="saved"' in saved.content.decode()
    definition = FormDefinition.objects.get()
    assert definition.place == community
    # The secretary of that community now finds it and downloads it; the figures agree.
    secretary = client_for(make_user("community_secretary"))
    assert definition.key in secretary.get(reverse("reports:index")).content.decode()
    url = reverse("reports:download", args=[definition.key, community.code, demo.day, "xlsx"])
    sheet = read_xlsx(secretary.post(url, {"reason": "走访"}).content, total_label="总计")
    assert len(sheet.data) == len(people_with(demo.day, community, category="elderly_alone"))
    # A secretary elsewhere does not see it.
    elsewhere = client_for(make_user("community_secretary", "510104017001"))
    assert definition.key not in elsewhere.get(reverse("reports:index")).content.decode()
    other = reverse("reports:download", args=[definition.key, "510104017001", demo.day, "csv"])
    assert elsewhere.post(other, {"reason": "走访"}).status_code == 404


def test_a_wrong_upload_is_refused_with_key_and_line(demo, make_user):
    client = client_for(make_user("system_admin"))
    bad = NEW_FORM.read_text().replace("dataset: people", "dataset: persons")
    page = client.post(
        reverse("reports:upload"),
        {"file": SimpleUploadedFile("bad.yaml", bad.encode()), "place": demo.street.code},
    )
    assert page.status_code == 400
    body = page.content.decode()
    assert "<code>dataset</code>" in body and "第 5 行" in body
    assert not FormDefinition.objects.exists()


def test_a_password_protected_download_opens_only_with_its_password(demo, make_user):
    import io

    import msoffcrypto
    from msoffcrypto.exceptions import InvalidKeyError

    client = client_for(make_user("street_officer"))
    page = client.get(
        reverse("reports:index"),
        {"form": "street_daily", "place": demo.street.code, "day": str(demo.day)},
    ).content.decode()
    assert 'id="downloads"' in page and 'name="password"' in page
    url = reverse("reports:download", args=["street_daily", demo.street.code, demo.day, "xlsx"])
    response = client.post(url, {"reason": "报民政", "password": "玉林东路-2026"})
    assert response.status_code == 200
    encrypted = msoffcrypto.OfficeFile(io.BytesIO(response.content))
    assert encrypted.is_encrypted()
    with pytest.raises(InvalidKeyError):
        wrong = msoffcrypto.OfficeFile(io.BytesIO(response.content))
        wrong.load_key(password="wrong-guess", verify_password=True)
    encrypted.load_key(password="玉林东路-2026")
    plain = io.BytesIO()
    encrypted.decrypt(plain)
    sheet = read_xlsx(plain.getvalue())
    assert sheet.total[sheet.column("人数")] == 3500
    logged = Generation.objects.get()
    assert logged.rows > 0
    assert exports_of(logged).get().additional_data["protected"] is True


def test_a_short_password_or_a_csv_with_a_password_is_refused(demo, make_user):
    client = client_for(make_user("street_officer"))
    args = ["street_daily", demo.street.code, demo.day]
    short = client.post(
        reverse("reports:download", args=[*args, "xlsx"]), {"reason": "报表", "password": "1234"}
    )
    assert short.status_code == 400 and Generation.objects.count() == 0
    assert "8" in short.content.decode()
    as_csv = client.post(
        reverse("reports:download", args=[*args, "csv"]),
        {"reason": "报表", "password": "long-enough-1"},
    )
    assert as_csv.status_code == 400 and Generation.objects.count() == 0
