"""The upload page: check (a job), row errors, accept (a job), rejected rows download."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from linli.register.models import ImportRun, ImportStatus, Resident, SourceRecord
from tests.register import messy

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager(settings):
    settings.LINLI_JOBS = "eager"
    settings.LANGUAGE_CODE = "en"


def upload(client, content, name="台账.xlsx", source="民政台账"):
    return client.post(
        reverse("register:import_upload"),
        {"file": SimpleUploadedFile(name, content), "source": source},
    )


def test_upload_check_accept_and_download(
    eager, secretary, inside, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(secretary)
    before = Resident.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, messy.workbook(inside.resident.id_number))
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("register:import", args=[run.pk])
    assert (run.source, run.file_name, run.place) == ("民政台账", "台账.xlsx", inside.community)
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'class="n-rejected">13<' in page and 'class="n-valid">3<' in page
    assert "check character is" in page and messy.BAD_CHECK in page
    assert "no compound of this name in" in page
    assert Resident.objects.count() == before  # checked, nothing stored

    rejected = client.post(reverse("register:import_rejected", args=[run.pk]), {"reason": "改错"})
    sheet = load_workbook(io.BytesIO(rejected.content)).active
    assert sheet.max_row == 14 and sheet.cell(1, sheet.max_column).value == "错误说明"

    with django_capture_on_commit_callbacks(execute=True):
        accepted = client.post(reverse("register:import_accept", args=[run.pk]))
    assert accepted.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportStatus.IMPORTED and run.report["committed"]
    assert Resident.objects.count() == before + 2
    assert SourceRecord.objects.filter(source="民政台账").count() == 3
    # Accepting twice imports once.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("register:import_accept", args=[run.pk]))
    assert Resident.objects.count() == before + 2


def test_unreadable_and_headerless_files_say_why(
    eager, secretary, inside, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(secretary)
    # A file the reader refuses as a whole is refused at once, on the upload page.
    response = upload(client, b"\xd0\xcf\x11\xe0" + b"\0" * 64, name="old.xls")
    assert response.status_code == 400
    assert "old .xls files are not read" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, "电话,地址\n1,2\n".encode(), name="x.csv")
    assert "no column for the name" in client.get(response.url).content.decode()


def test_accounts_above_a_community_cannot_upload(make_user, inside):
    client = Client()
    client.force_login(make_user("system_admin"))
    response = upload(client, "姓名\n某人\n".encode(), name="x.csv")
    assert response.status_code == 400
    assert ImportRun.objects.count() == 0
