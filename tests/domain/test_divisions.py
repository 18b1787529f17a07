import shutil
from pathlib import Path

import pytest

from linli.domain.divisions import DivisionDataError, read_divisions
from linli.places.services import DIVISIONS_DIR


def test_real_chengdu_divisions_have_the_official_counts():
    rows = read_divisions(DIVISIONS_DIR)
    levels = [r.level for r in rows]
    assert levels.count("city") == 1
    assert levels.count("district") == 20
    assert levels.count("street") == 261
    assert levels.count("community") == 3047
    assert all(r.code.startswith(r.parent_code) for r in rows if r.parent_code)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    for name in ("districts.csv", "streets.csv", "communities.csv"):
        shutil.copy(DIVISIONS_DIR / name, tmp_path / name)
    return tmp_path


def append(path: Path, line: str) -> int:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    return len(path.read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize(
    ("line", "reason", "value"),
    [
        ("510107005999,某社区居委会,510199999", "unknown parent code", "510199999"),
        ("510107005002,重复社区居委会,510107005", "duplicate code", "510107005002"),
        ("5101070059,短码社区,510107005", "code must be 12 digits", "5101070059"),
        ("510104017999,错挂社区,510107005", "does not extend its parent", "510104017999"),
        ("510107005998,缺列社区", "expected 3 columns", "510107005998,缺列社区"),
    ],
)
def test_a_bad_row_is_named_with_file_row_and_value(data_copy, line, reason, value):
    row = append(data_copy / "communities.csv", line)
    with pytest.raises(DivisionDataError) as caught:
        read_divisions(data_copy)
    (problem,) = caught.value.problems
    assert (problem.file, problem.row, problem.value) == ("communities.csv", row, value)
    assert reason in problem.reason
    assert f"communities.csv, row {row}" in str(caught.value)


def test_a_missing_file_is_reported(data_copy):
    (data_copy / "streets.csv").unlink()
    with pytest.raises(DivisionDataError, match="streets.csv"):
        read_divisions(data_copy)
