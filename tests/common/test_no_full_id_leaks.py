"""The masking rule's guarantee, checked over a generated population: for every role that
may not reveal ID numbers, no page, API answer, form or export contains a full ID number
or lets a reader rebuild one. Every output is searched for every 18-character window
(a full number) and every masked value in it is combined with all a record can tell
about the person it could be — area, birth date and sex, the most any other field of a
record gives (an age or a year gives less) — and the numbers still possible counted.

Pages are found by following every link from each role's start pages (all of the
register's pages, the resident, household, dedupe and import pages, the back office with
the audit trail, reports, guardianship…), capped per kind of page; the API is paged
through; every form the role may use (the built-in ones and a hostile uploaded template
reading the raw ``id_number`` every way it can) is downloaded in every format."""

from __future__ import annotations

import re
import time
from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from linli.accounts.roles import ROLE_CAN, Can, Role
from tests.common.id_attack import leak_report, texts_of
from tests.common.synthetic import load_population
from tests.conftest import IN_COMMUNITY, ROLE_PLACES

pytestmark = pytest.mark.django_db

NO_REVEAL = [r.value for r in Role if Can.REVEAL_ID_NUMBER not in ROLE_CAN[r]]
START = [
    "/",
    "/register/",
    "/register/?risk=high",
    "/register/import/",
    "/dedupe/",
    "/reports/",
    "/reports/log/",
    "/guardianship/my-wards/",
    "/admin/",
    "/admin/register/resident/",
    "/admin/auditlog/logentry/",
    "/admin/register/sourcerecord/",
]
SKIP = re.compile(
    r"logout|/i18n/|/static/|reveal|delete|/accept/|/merge|/reject|/undo|/run/|/history/"
    r"|^/admin/(?!$|register/|auditlog/|dedupe/|reports/)"  # the back office's personal data
)
PER_KIND = 12  # pages of one kind (path with its numbers taken out) visited per role
HOSTILE = """
name: 身份核对（恶意模板）
title: "{place}身份核对"
dataset: people
columns:
  - {header: 序号, value: serial}
  - {header: 姓名, value: name}
  - {header: 号码, value: id_number}
  - {header: 再写, value: join(id_number)}
  - {header: 标签, value: label(id_number)}
  - {header: 掩码, value: mask_id(id_number)}
  - {header: 出生, value: date(birth_date)}
  - {header: 年龄, value: age(birth_date)}
  - {header: 性别, value: sex}
  - {header: 电话, value: phone}
"""


@pytest.fixture
def population(db, make_user, settings, django_capture_on_commit_callbacks):
    """150 generated residents with categories, an audit trail of personal changes, a
    duplicate pair to review, an import with rejected rows, and hostile uploaded forms."""
    from auditlog.context import set_actor
    from django.core.files.uploadedfile import SimpleUploadedFile

    from linli.dedupe.services import do_find_duplicates
    from linli.domain import idcard
    from linli.places.models import Place
    from linli.register.models import Resident, Vulnerability
    from tests.register import messy

    settings.LINLI_JOBS = "eager"
    people = load_population(IN_COMMUNITY, population=120, seed=18)
    Vulnerability.objects.bulk_create(
        Vulnerability(resident=r, category="subsistence", source="civil_affairs")
        for r in people[::2]
    )
    secretary = make_user("community_secretary")
    with set_actor(secretary):  # audit entries carrying the ID with the birth date and phone
        for person in [p for p in people if p.id_number][:12]:
            # The same person registered again with a typo in the sequence (a duplicate).
            typo = person.id_number[:15] + str((int(person.id_number[15]) + 1) % 10)
            first17 = typo + person.id_number[16]
            copy = Resident.objects.create(
                place=person.place,
                name=person.name,
                id_number=first17 + idcard.check_char(first17),
                sex=person.sex,
                birth_date=person.birth_date,
                phone=person.phone,
            )
            copy.phone = "13912345678"
            copy.save()
            people.append(copy)
    do_find_duplicates(actor=None, community=Place.objects.get(code=IN_COMMUNITY))
    client = Client()
    client.force_login(secretary)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("register:import_upload"),
            {"file": SimpleUploadedFile("台账.xlsx", messy.workbook(people[0].id_number))},
        )
    for source in (HOSTILE, "full_id: true\n" + HOSTILE):
        client.post(reverse("reports:upload"), {"source": source, "place": IN_COMMUNITY, "save": 1})
    return list(Resident.objects.filter(pk__in=[p.pk for p in people]))


def crawl(client: Client, seen: Counter) -> list[tuple[str, str]]:
    """(url, text) of every page reached from the start pages by GET links."""
    queue, visited, pages = list(START), set(), []
    while queue:
        url = queue.pop(0)
        if url in visited or SKIP.search(url):
            continue
        visited.add(url)
        kind = re.sub(r"\d+", "N", url.split("?")[0])
        if seen[kind] >= PER_KIND:
            continue
        seen[kind] += 1
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        text = response.content.decode()
        pages.append((url, text))
        for link in re.findall(r'href="(/[^"#]*)"', text):
            link = link.replace("&amp;", "&")
            if link not in visited:
                queue.append(link)
    return pages


def api_answers(client: Client) -> list[tuple[str, str]]:
    out, offset = [], 0
    while True:
        answer = client.get("/api/register/residents", {"limit": 50, "offset": offset})
        if answer.status_code != 200:
            return out
        out.append((f"/api/register/residents?offset={offset}", answer.content.decode()))
        page = answer.json()
        for item in page["items"][:5]:
            one = f"/api/register/residents/{item['id']}"
            out.append((one, client.get(one).content.decode()))
            if item["household"]:
                household = f"/api/register/households/{item['household']}"
                out.append((household, client.get(household).content.decode()))
        offset += 50
        if offset >= page["count"]:
            return out


def form_files(client: Client, user) -> list[tuple[str, str]]:
    """Every form the user may use, previewed and downloaded (with a reason) in every
    format for the user's own place."""
    from linli.reports.catalogue import forms_for

    out = []
    if not user.can(Can.VIEW_REGISTER):
        return out
    day = timezone.localdate().isoformat()
    for form in forms_for(user):
        preview = client.get(
            reverse("reports:index"), {"form": form.key, "place": user.place.code, "day": day}
        )
        out.append((f"preview {form.key}", preview.content.decode()))
        for fmt in ("xlsx", "csv", "hxl"):
            url = reverse("reports:download", args=[form.key, user.place.code, day, fmt])
            response = client.post(url, {"reason": "泄露检查"})
            if response.status_code == 200 and "attachment" in response.get(
                "Content-Disposition", ""
            ):
                out.append((url, texts_of(response.content, "xlsx" if fmt == "xlsx" else "csv")))
    return out


def test_no_role_without_the_reveal_capability_gets_or_can_rebuild_a_full_id(population, make_user):
    started = time.monotonic()
    totals: Counter = Counter()
    fewest = {}
    for role in NO_REVEAL:
        user = make_user(role, ROLE_PLACES[role])
        client = Client()
        client.force_login(user)
        outputs = crawl(client, Counter()) + api_answers(client) + form_files(client, user)
        for where, text in outputs:
            found = leak_report(text, population)
            assert found["full"] == 0, f"{role}: a full ID number in {where}"
            assert found["rebuilt"] == 0, f"{role}: an ID number rebuilt from {where}"
            assert found["narrowed"] == 0, f"{role}: fewer than 100 numbers left by {where}"
            totals.update({k: found[k] for k in ("masked",)})
            if found["masked"]:
                fewest[role] = min(fewest.get(role, 10**9), found["fewest"])
        totals["outputs"] += len(outputs)
        totals[f"outputs:{role}"] = len(outputs)
    elapsed = time.monotonic() - started
    print(f"\nleak check: {dict(totals)}, fewest numbers left per role {fewest}, {elapsed:.1f}s")
    # Something was looked at: masked numbers of people were found by the roles that see
    # the register, each leaving 500 possible numbers (one per sequence of their sex).
    assert totals["masked"] > 1000
    assert set(fewest) >= {"city_officer", "district_officer", "taskforce_lead", "system_admin"}
    assert set(fewest.values()) == {500}
