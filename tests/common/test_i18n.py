from pathlib import Path

import polib
import pytest
from django.test import Client

import linli

PO = Path(linli.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_the_chinese_catalogue_is_complete():
    po = polib.pofile(str(PO))
    assert len(po) > 100
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    # GNU gettext (makemessages' msgmerge) refuses a "previous plural" comment without a
    # "previous msgid"; polib writes one when only the msgid's previous value is cleared.
    text = PO.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(text):
        if line.startswith("#| msgid_plural"):
            assert text[i - 1].startswith("#| msgid "), f"django.po line {i + 1}: {line}"


@pytest.mark.django_db
def test_pages_are_chinese_by_default_and_english_on_request(make_user, inside):
    client = Client()
    client.force_login(make_user("community_secretary"))
    assert "您的工作范围" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert "What you can reach" in body and "您的工作范围" not in body
