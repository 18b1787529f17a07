import csv
import shutil

import pytest

from linli.domain.divisions import DivisionDataError
from linli.places.models import Place
from linli.places.services import DIVISIONS_DIR, do_load_divisions


def csv_rows(name: str) -> int:
    with (DIVISIONS_DIR / name).open(encoding="utf-8") as handle:
        return sum(1 for _ in csv.DictReader(handle))


@pytest.mark.django_db
def test_loaded_places_match_the_csv_row_counts():
    assert Place.objects.filter(level="district").count() == csv_rows("districts.csv") == 20
    assert Place.objects.filter(level="street").count() == csv_rows("streets.csv") == 261
    assert Place.objects.filter(level="community").count() == csv_rows("communities.csv") == 3047
    yulin = Place.objects.get(code="510107005002")
    assert (yulin.name, yulin.parent.code, yulin.parent.parent.code) == (
        "玉林东路社区居委会",
        "510107005",
        "510107",
    )


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    before = list(Place.objects.order_by("code").values_list("code", "name", "parent_id"))
    summary = do_load_divisions()
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3329)
    assert list(Place.objects.order_by("code").values_list("code", "name", "parent_id")) == before


@pytest.mark.django_db
def test_a_corrupt_file_loads_nothing(tmp_path):
    for name in ("districts.csv", "streets.csv", "communities.csv"):
        shutil.copy(DIVISIONS_DIR / name, tmp_path / name)
    text = (tmp_path / "communities.csv").read_text(encoding="utf-8")
    (tmp_path / "communities.csv").write_text(
        text.replace("510107005002,玉林东路社区居委会", "510107005002,玉林东路新名字")
        + "bad,row,here\n",
        encoding="utf-8",
    )
    with pytest.raises(DivisionDataError):
        do_load_divisions(directory=tmp_path)
    assert Place.objects.get(code="510107005002").name == "玉林东路社区居委会"
