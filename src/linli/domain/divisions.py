"""Read and check the administrative-division CSV files (districts, streets, communities).

Plain data in, plain data out: :func:`read_divisions` returns every row as a
:class:`Division` or raises :class:`DivisionDataError` listing each problem with
its file, row number and value, so nothing is loaded from a broken set.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

CITY_CODE = "5101"
CITY_NAME = "成都市"

# file name, level, code length, parent column (None: the city)
FILES = (
    ("districts.csv", "district", 6, None),
    ("streets.csv", "street", 9, "district_code"),
    ("communities.csv", "community", 12, "street_code"),
)


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str
    parent_code: str


@dataclass(frozen=True)
class Problem:
    file: str
    row: int  # 1-based line number in the file, header = 1
    value: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}, row {self.row}: {self.reason} ({self.value!r})"


class DivisionDataError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        head = "; ".join(str(p) for p in problems[:10])
        more = f" … and {len(problems) - 10} more" if len(problems) > 10 else ""
        super().__init__(f"{len(problems)} problem(s) in the division data: {head}{more}")


def read_divisions(directory: Path) -> list[Division]:
    """The city, then every district, street and community, in file order, all checked."""
    problems: list[Problem] = []
    rows: list[Division] = [Division(CITY_CODE, CITY_NAME, "city", "")]
    known = {CITY_CODE: "city"}
    for filename, level, length, parent_column in FILES:
        path = directory / filename
        if not path.exists():
            problems.append(Problem(filename, 0, str(path), "file is missing"))
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            expected = ["code", "name"] + ([parent_column] if parent_column else [])
            if header is None or [h.strip().lstrip("\ufeff") for h in header] != expected:
                problems.append(
                    Problem(
                        filename, 1, ",".join(header or []), f"header must be {','.join(expected)}"
                    )
                )
                continue
            for line, record in enumerate(reader, start=2):
                if not record or all(not cell.strip() for cell in record):
                    continue
                if len(record) != len(expected):
                    problems.append(
                        Problem(
                            filename, line, ",".join(record), f"expected {len(expected)} columns"
                        )
                    )
                    continue
                code, name = record[0].strip(), record[1].strip()
                parent = record[2].strip() if parent_column else CITY_CODE
                if not (code.isdigit() and len(code) == length):
                    problems.append(Problem(filename, line, code, f"code must be {length} digits"))
                    continue
                if not name:
                    problems.append(Problem(filename, line, code, "name is empty"))
                    continue
                if code in known:
                    problems.append(Problem(filename, line, code, "duplicate code"))
                    continue
                if parent not in known:
                    problems.append(Problem(filename, line, parent, "unknown parent code"))
                    continue
                if not code.startswith(parent):
                    problems.append(
                        Problem(filename, line, code, f"code does not extend its parent {parent}")
                    )
                    continue
                known[code] = level
                rows.append(Division(code, name, level, parent))
    if problems:
        raise DivisionDataError(problems)
    return rows


def read_population(path: Path) -> dict[str, int]:
    """District code → 2020 census resident population."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["district_code"]: int(row["population"]) for row in csv.DictReader(handle)}
