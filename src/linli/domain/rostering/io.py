"""Read benchmark instance files and read/write the benchmark's solution grid.

Every error is a :class:`FormatError` naming the file, the line (or section) and the value.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .model import Cover, Instance, Request, Roster, Shift, Staff

SECTIONS = (
    "SECTION_HORIZON",
    "SECTION_SHIFTS",
    "SECTION_STAFF",
    "SECTION_DAYS_OFF",
    "SECTION_SHIFT_ON_REQUESTS",
    "SECTION_SHIFT_OFF_REQUESTS",
    "SECTION_COVER",
)


class FormatError(ValueError):
    """A file that cannot be read as an instance or a roster; says which file, where and what."""

    def __init__(self, source: str, where: str, message: str) -> None:
        super().__init__(f"{source}, {where}: {message}")
        self.source = source
        self.where = where
        self.message = message


class _Line:
    def __init__(self, source: str, number: int, section: str, text: str) -> None:
        self.source, self.number, self.section, self.text = source, number, section, text

    def error(self, message: str) -> FormatError:
        return FormatError(self.source, f"line {self.number} ({self.section})", message)

    def fields(self, count: int | None = None, minimum: int | None = None) -> list[str]:
        parts = [p.strip() for p in self.text.split(",")]
        if count is not None and len(parts) != count:
            raise self.error(
                f"expected {count} comma-separated fields, found {len(parts)}: {self.text!r}"
            )
        if minimum is not None and len(parts) < minimum:
            raise self.error(
                f"expected at least {minimum} fields, found {len(parts)}: {self.text!r}"
            )
        return parts

    def integer(self, value: str, what: str, low: int = 0, high: int | None = None) -> int:
        try:
            number = int(value)
        except ValueError:
            raise self.error(f"{what} must be a whole number, not {value!r}") from None
        if number < low or (high is not None and number > high):
            bound = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise self.error(f"{what} must be {bound}, not {number}")
        return number


def _sections(text: str, source: str) -> dict[str, list[_Line]]:
    sections: dict[str, list[_Line]] = {}
    current: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            if line not in SECTIONS:
                raise FormatError(source, f"line {number}", f"unknown section {line!r}")
            if line in sections:
                raise FormatError(source, f"line {number}", f"section {line} appears twice")
            current = line
            sections[current] = []
            continue
        if current is None:
            raise FormatError(source, f"line {number}", f"data before the first section: {line!r}")
        sections[current].append(_Line(source, number, current, line))
    missing = [name for name in SECTIONS if name not in sections]
    if missing:
        raise FormatError(
            source, "end of file", f"file cut short: missing section(s) {', '.join(missing)}"
        )
    return sections


def parse_instance(text: str, source: str = "<instance>") -> Instance:
    """Parse the text of an instance file; ``source`` names it in errors."""
    sections = _sections(text, source)

    horizon_lines = sections["SECTION_HORIZON"]
    if len(horizon_lines) != 1:
        raise FormatError(
            source, "SECTION_HORIZON", f"expected one line, found {len(horizon_lines)}"
        )
    horizon_line = horizon_lines[0]
    horizon = horizon_line.integer(horizon_line.text, "the horizon", low=1)
    if horizon % 7:
        raise horizon_line.error(f"the horizon must be a whole number of weeks, not {horizon} days")

    shifts: list[Shift] = []
    for line in sections["SECTION_SHIFTS"]:
        shift_id, minutes, forbidden = line.fields(3)
        if not shift_id:
            raise line.error("empty shift ID")
        if any(s.id == shift_id for s in shifts):
            raise line.error(f"shift ID {shift_id!r} appears twice")
        names = frozenset(n.strip() for n in forbidden.split("|") if n.strip())
        shifts.append(
            Shift(shift_id, line.integer(minutes, f"length of shift {shift_id}", 1), names)
        )
    if not shifts:
        raise FormatError(source, "SECTION_SHIFTS", "no shift types")
    shift_ids = {s.id for s in shifts}
    for line, shift in zip(sections["SECTION_SHIFTS"], shifts, strict=True):
        for name in sorted(shift.forbidden_next - shift_ids):
            raise line.error(
                f"unknown shift ID {name!r} in the shifts that cannot follow {shift.id}"
            )

    def known_shift(line: _Line, shift_id: str) -> str:
        if shift_id not in shift_ids:
            raise line.error(
                f"unknown shift ID {shift_id!r} (known: {', '.join(sorted(shift_ids))})"
            )
        return shift_id

    def known_day(line: _Line, value: str) -> int:
        return line.integer(value, "day", 0, horizon - 1)

    staff_rows: list[tuple[_Line, list[str]]] = []
    staff_ids: list[str] = []
    for line in sections["SECTION_STAFF"]:
        parts = line.fields(8)
        if not parts[0]:
            raise line.error("empty employee ID")
        if parts[0] in staff_ids:
            raise line.error(f"employee ID {parts[0]!r} appears twice")
        staff_ids.append(parts[0])
        staff_rows.append((line, parts))
    if not staff_rows:
        raise FormatError(source, "SECTION_STAFF", "no employees")

    def known_staff(line: _Line, staff_id: str) -> str:
        if staff_id not in staff_ids:
            raise line.error(f"unknown employee ID {staff_id!r}")
        return staff_id

    days_off: dict[str, set[int]] = {}
    for line in sections["SECTION_DAYS_OFF"]:
        parts = line.fields(minimum=1)
        staff_id = known_staff(line, parts[0])
        days_off.setdefault(staff_id, set()).update(known_day(line, p) for p in parts[1:] if p)

    staff: list[Staff] = []
    for line, parts in staff_rows:
        staff_id, limits = parts[0], {}
        for pair in (p for p in parts[1].split("|") if p.strip()):
            name, equals, value = pair.partition("=")
            if not equals:
                raise line.error(f"expected ShiftID=limit in MaxShifts, found {pair!r}")
            limits[known_shift(line, name.strip())] = line.integer(
                value.strip(), f"MaxShifts {name}"
            )
        numbers = [
            line.integer(value, what)
            for value, what in zip(
                parts[2:],
                (
                    "MaxTotalMinutes",
                    "MinTotalMinutes",
                    "MaxConsecutiveShifts",
                    "MinConsecutiveShifts",
                    "MinConsecutiveDaysOff",
                    "MaxWeekends",
                ),
                strict=True,
            )
        ]
        staff.append(
            Staff(
                staff_id,
                limits,
                max_minutes=numbers[0],
                min_minutes=numbers[1],
                max_consecutive=numbers[2],
                min_consecutive=numbers[3],
                min_days_off=numbers[4],
                max_weekends=numbers[5],
                days_off=frozenset(days_off.get(staff_id, ())),
            )
        )

    def requests(section: str) -> tuple[Request, ...]:
        result = []
        for line in sections[section]:
            staff_id, day, shift_id, weight = line.fields(4)
            result.append(
                Request(
                    known_staff(line, staff_id),
                    known_day(line, day),
                    known_shift(line, shift_id),
                    line.integer(weight, "weight"),
                )
            )
        return tuple(result)

    cover: list[Cover] = []
    seen: set[tuple[int, str]] = set()
    for line in sections["SECTION_COVER"]:
        day, shift_id, requirement, under, over = line.fields(5)
        item = Cover(
            known_day(line, day),
            known_shift(line, shift_id),
            line.integer(requirement, "requirement"),
            line.integer(under, "WeightUnder"),
            line.integer(over, "WeightOver"),
        )
        if (item.day, item.shift) in seen:
            raise line.error(f"a second cover line for day {item.day} shift {item.shift}")
        seen.add((item.day, item.shift))
        cover.append(item)

    missing = [(d, s.id) for d in range(horizon) for s in shifts if (d, s.id) not in seen]
    if missing:
        day, shift_id = missing[0]
        raise FormatError(
            source,
            "SECTION_COVER",
            f"no cover line for day {day} shift {shift_id} ({len(missing)} of "
            f"{horizon * len(shifts)} (day, shift) lines missing; file cut short?)",
        )
    without = [staff_id for staff_id in staff_ids if staff_id not in days_off]
    if without:
        raise FormatError(
            source,
            "SECTION_DAYS_OFF",
            f"no line for employee(s) {', '.join(without)} (file cut short?)",
        )

    return Instance(
        horizon=horizon,
        shifts=tuple(shifts),
        staff=tuple(staff),
        on_requests=requests("SECTION_SHIFT_ON_REQUESTS"),
        off_requests=requests("SECTION_SHIFT_OFF_REQUESTS"),
        cover=tuple(cover),
        name=Path(source).stem if source != "<instance>" else "",
    )


def read_instance(path: str | Path) -> Instance:
    path = Path(path)
    try:
        text = path.read_text(encoding="ascii")
    except UnicodeDecodeError as error:
        raise FormatError(str(path), f"byte {error.start}", "not a plain ASCII text file") from None
    except OSError as error:
        raise FormatError(str(path), "opening", error.strerror or "cannot read") from None
    return parse_instance(text, str(path))


def parse_roster(text: str, instance: Instance, source: str = "<roster>") -> Roster:
    """Parse a solution grid: one tab-separated row per employee in file order, a cell per day."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) != len(instance.staff):
        raise FormatError(
            source,
            f"line {min(len(lines), len(instance.staff)) + 1}",
            f"expected {len(instance.staff)} rows (one per employee), found {len(lines)}",
        )
    known = set(instance.shift_ids)
    rows = []
    for number, (line, staff) in enumerate(zip(lines, instance.staff, strict=True), start=1):
        cells = [cell.strip() for cell in line.rstrip("\r").split("\t")]
        where = f"line {number} (employee {staff.id})"
        if len(cells) != instance.horizon:
            raise FormatError(
                source, where, f"expected {instance.horizon} days, found {len(cells)} cells"
            )
        for day, cell in enumerate(cells):
            if cell and cell not in known:
                raise FormatError(
                    source,
                    f"{where}, day {day}",
                    f"unknown shift ID {cell!r} (known: {', '.join(sorted(known))})",
                )
        rows.append(tuple(cell or None for cell in cells))
    return Roster(instance.staff_ids, tuple(rows))


def read_roster(path: str | Path, instance: Instance) -> Roster:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise FormatError(str(path), "opening", str(error)) from None
    return parse_roster(text, instance, str(path))


def format_roster(roster: Roster) -> str:
    return "".join("\t".join(cell or "" for cell in row) + "\n" for row in roster.rows)


def write_roster(path: str | Path, roster: Roster) -> None:
    Path(path).write_text(format_roster(roster), encoding="utf-8")


def iter_instances(folder: str | Path) -> Iterator[Path]:
    """``Instance1.txt`` … in numeric order."""
    paths = Path(folder).glob("Instance*.txt")
    yield from sorted(paths, key=lambda p: int("".join(c for c in p.stem if c.isdigit()) or 0))
