"""Issue 18, item 7: MEDIA_ROOT was unset, so a contact's photo was written into the directory
Linli was started from (the code's). Uploads now live under LINLI_DATA_DIR."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def test_media_root_follows_the_data_directory(tmp_path):
    env = {
        **os.environ,
        "LINLI_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "linli.settings",
    }
    env.pop("MEDIA_ROOT", None)
    code = "from django.conf import settings; print(settings.MEDIA_ROOT)"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == tmp_path / "media"


@pytest.mark.django_db
def test_a_contact_photo_is_written_under_the_data_directory(secretary, inside):
    from linli.guardianship.models import Contact

    client = Client()
    client.force_login(secretary)
    photo = SimpleUploadedFile("door.png", PNG, content_type="image/png")
    response = client.post(
        reverse("guardianship:log_contact", kwargs={"pk": inside.ward.pk}),
        {"method": "visit", "photo": photo},
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    stored = Path(contact.photo.path).resolve()
    try:
        assert stored.is_file() and stored.read_bytes() == PNG
        assert stored.is_relative_to(Path(settings.DATA_DIR).resolve() / "media")
        assert not (Path.cwd() / "contacts").exists()  # where it landed before
    finally:
        contact.photo.delete(save=False)
