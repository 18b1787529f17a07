"""A deployment's own register words: added by an administrator on a page, audited, and
understood by the next import; a word that already means something is refused."""

from __future__ import annotations

import io

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from linli.register.importing import read_register_file
from linli.register.models import VocabularyWord

pytestmark = pytest.mark.django_db


def sheet(category: str) -> bytes:
    book = Workbook()
    rows = book.active
    rows.append(["某某社区重点人员台账"])
    rows.append(["姓名", "性别", "人员类别", "需求"])
    rows.append(["王秀英", "女", category, "买菜/送药/代购"])
    rows.append(["填报人：张三", "", "审核人：李四", ""])
    rows.append(["联系电话：028-85551234"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_added_word_is_understood_by_the_next_import(make_user, inside):
    admin = make_user("system_admin")
    client = Client()
    client.force_login(admin)
    before = read_register_file(sheet("三无人员"), "x.xlsx")
    assert [e.code for e in before.errors] == ["category_unknown"]
    assert len(before.rows) == 1  # the footer lines are not residents

    response = client.post(
        reverse("register:vocabulary"),
        {"field": "category", "word": "三无人员", "code": "subsistence"},
    )
    assert response.status_code == 302
    word = VocabularyWord.objects.get()
    assert (word.key, word.code, word.added_by) == ("三无人员", "subsistence", admin)
    assert LogEntry.objects.get_for_object(word).get().actor == admin

    after = read_register_file(sheet("三无人员"), "x.xlsx")
    assert after.errors == []
    record = after.rows[0].record
    assert record.categories == ("subsistence",)
    assert record.needs == ("daily_supplies", "medicine")
    assert "三无人员" in client.get(reverse("register:vocabulary")).content.decode()

    client.post(reverse("register:vocabulary"), {"remove": word.pk})
    assert not VocabularyWord.objects.exists()
    assert [e.code for e in read_register_file(sheet("三无人员"), "x.xlsx").errors] == [
        "category_unknown"
    ]


@pytest.mark.parametrize(
    ("word", "code"),
    [("低保户", "pregnant"), ("低 保", "subsistence"), ("某某", "no_such_code"), ("", "meals")],
)
def test_a_word_that_already_means_something_is_refused(make_user, inside, word, code):
    client = Client()
    client.force_login(make_user("system_admin"))
    response = client.post(
        reverse("register:vocabulary"), {"field": "category", "word": word, "code": code}
    )
    assert response.status_code == 400
    assert 'id="vocabulary-error"' in response.content.decode()
    assert not VocabularyWord.objects.exists()


def test_a_secretary_cannot_change_the_words(secretary):
    client = Client()
    client.force_login(secretary)
    response = client.post(
        reverse("register:vocabulary"),
        {"field": "category", "word": "三无人员", "code": "subsistence"},
    )
    assert response.status_code == 403
    assert not VocabularyWord.objects.exists()
