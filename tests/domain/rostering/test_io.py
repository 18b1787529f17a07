"""Instance files and the solution grid: round trips and errors that say what and where."""

import pytest

from linli.domain.rostering.io import (
    FormatError,
    format_roster,
    parse_instance,
    parse_roster,
    read_instance,
    read_roster,
    write_roster,
)

from .conftest import DATA, SMALL, grid


def test_reads_instance1_as_described_in_format_md():
    instance = read_instance(DATA / "Instance1.txt")
    assert instance.horizon == 14
    assert instance.shift_ids == ("D",)
    assert instance.staff_ids == tuple("ABCDEFGH")
    assert len(instance.on_requests) == 21
    assert len(instance.off_requests) == 5
    assert len(instance.cover) == 14
    a = instance.staff[0]
    assert (a.max_minutes, a.min_minutes, a.max_consecutive) == (4320, 3360, 5)
    assert (a.min_consecutive, a.min_days_off, a.max_weekends) == (2, 2, 1)
    assert a.days_off == frozenset({0})


@pytest.mark.parametrize(
    ("number", "days", "staff", "shifts", "on", "off", "cover"),
    [(8, 28, 30, 4, 139, 86, 112), (12, 28, 60, 10, 294, 128, 280)],
)
def test_sizes_match_the_published_table(number, days, staff, shifts, on, off, cover):
    instance = read_instance(DATA / f"Instance{number}.txt")
    assert instance.horizon == days
    assert len(instance.staff) == staff
    assert len(instance.shifts) == shifts
    assert (len(instance.on_requests), len(instance.off_requests)) == (on, off)
    assert len(instance.cover) == cover
    assert sum(len(e.days_off) for e in instance.staff) == 2 * staff


def test_shift_lines_with_a_trailing_comma_have_no_forbidden_successor(small):
    assert small.shift("D").forbidden_next == frozenset()
    assert small.shift("N").forbidden_next == frozenset({"D"})


def test_file_cut_short_names_the_missing_sections():
    text = SMALL.split("SECTION_SHIFT_OFF_REQUESTS")[0]
    with pytest.raises(FormatError) as error:
        parse_instance(text, "cut.txt")
    assert "cut.txt" in str(error.value)
    assert "cut short" in str(error.value)
    assert "SECTION_SHIFT_OFF_REQUESTS" in str(error.value)
    assert "SECTION_COVER" in str(error.value)


def test_unknown_shift_id_names_file_line_and_value():
    text = SMALL.replace("13,N,0,100,1", "13,X,0,100,1")
    line = text.splitlines().index("13,X,0,100,1") + 1
    with pytest.raises(FormatError, match=rf"bad.txt, line {line} \(SECTION_COVER\).*'X'"):
        parse_instance(text, "bad.txt")


def test_day_outside_the_horizon_is_rejected():
    with pytest.raises(
        FormatError, match=r"SECTION_DAYS_OFF.*day must be between 0 and 13, not 14"
    ):
        parse_instance(SMALL.replace("A,0\n", "A,14\n"), "bad.txt")


def test_staff_line_with_missing_fields_is_rejected():
    with pytest.raises(FormatError, match=r"SECTION_STAFF.*expected 8 comma-separated fields"):
        parse_instance(SMALL.replace("3600,3360,3,2,2,1", "3600,3360,3,2,2"), "bad.txt")


def test_non_numeric_value_is_named():
    with pytest.raises(FormatError, match=r"MaxWeekends must be a whole number, not 'one'"):
        parse_instance(SMALL.replace("3600,3360,3,2,2,1", "3600,3360,3,2,2,one"), "bad.txt")


def test_missing_file_is_a_format_error(tmp_path):
    with pytest.raises(FormatError, match="nothing.txt"):
        read_instance(tmp_path / "nothing.txt")


def test_roster_round_trips_through_the_grid_file(small, tmp_path):
    roster = grid(small)
    path = tmp_path / "roster.txt"
    write_roster(path, roster)
    text = path.read_text()
    assert text.splitlines()[0] == "\tD\tD\tD\t\t\t\tD\tN\t\t\tD\tD\t"
    assert text.splitlines()[1] == "\t" * 13
    assert read_roster(path, small) == roster
    assert format_roster(roster) == text


def test_roster_with_wrong_day_count_names_the_line_and_employee(small):
    with pytest.raises(
        FormatError, match=r"r.txt, line 2 \(employee B\): expected 14 days, found 13"
    ):
        parse_roster("\t" * 13 + "\n" + "\t" * 12 + "\n", small, "r.txt")


def test_roster_with_unknown_shift_names_the_day(small):
    row = ["", "D", "Q"] + [""] * 11
    with pytest.raises(FormatError, match=r"line 1 \(employee A\), day 2: unknown shift ID 'Q'"):
        parse_roster("\t".join(row) + "\n" + "\t" * 13 + "\n", small, "r.txt")


def test_roster_missing_an_employee(small):
    with pytest.raises(FormatError, match="expected 2 rows"):
        parse_roster("\t" * 13 + "\n", small, "r.txt")


def test_file_cut_inside_the_cover_section_is_detected():
    text = SMALL[: SMALL.index("13,D,1,100,1")]
    with pytest.raises(
        FormatError, match=r"cut.txt, SECTION_COVER: no cover line for day 13 shift D"
    ):
        parse_instance(text, "cut.txt")


def test_every_employee_needs_a_days_off_line():
    with pytest.raises(FormatError, match=r"SECTION_DAYS_OFF: no line for employee\(s\) B"):
        parse_instance(SMALL.replace("B,3\n", ""), "bad.txt")
