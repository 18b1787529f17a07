"""What only the database can check: compounds and buildings by name under the
target place, and who is already registered (by ID number in the community)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from linli.domain.disclosure import mask_id_number
from linli.domain.register_import import CleanRecord, ParsedTable, RowError, RowResult
from linli.domain.register_import.address import split_address
from linli.domain.register_import.newplaces import NewPlace, near_misses
from linli.places.models import Level, Place

from ..models import Resident
from .summary import ImportRefused

BATCH = 2000
CHUNK = 500  # ID numbers per IN (...) lookup: well under SQLite's variable limit
RESIDENT_FIELDS = [
    "name",
    "name_pinyin",
    "sex",
    "birth_date",
    "phone",
    "phone2",
    "place_id",
    "household_id",
    "relation",
    "address",
    "moved_in",
    "moved_out",
    "notes",
]


def community_of(place: Place) -> Place:
    """The community a place lies in (the place itself for a community)."""
    if place.level in (Level.CITY, Level.DISTRICT, Level.STREET):
        raise ImportRefused(
            gettext("Choose a community (or a grid or compound in it), not %(place)s.")
            % {"place": place.name}
        )
    if place.level == Level.COMMUNITY:
        return place
    return Place.objects.get(level=Level.COMMUNITY, code=place.code[:12])


def _name_key(text: str) -> str:
    return "".join(text.split()).lower()


def _building_key(text: str) -> str:
    """``1栋`` / ``1号楼`` / ``1幢`` / ``1`` → ``1``; other names as written."""
    digits = "".join(ch for ch in text if ch.isdigit())
    return digits.lstrip("0") or _name_key(text)


def chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Resolver:
    """The database side of one import, first part: resolve places and people."""

    def __init__(self, actor, place, community, source, file_name, parsed, progress) -> None:
        self.actor = actor if getattr(actor, "pk", None) else None
        self.place = place
        self.community = community
        self.source = source
        self.file_name = file_name
        self.parsed = parsed
        self.progress = progress
        self.now = timezone.now()
        self.row_place: dict[int, Place] = {}
        self.by_id: dict[str, dict[str, Any]] = {}
        self.dry = False
        self._names: list[str] | None = None
        self._new: dict[tuple[str, str], list[int]] = {}
        self._compound_places: dict[str, Place] = {}
        self.columns = {f: parsed.headers[i] for i, f in parsed.fields.items()}

    # -- resolving -------------------------------------------------------------

    def resolve(self) -> ParsedTable:
        """Add the problems only the database can see; returns the table with them."""
        places = Place.objects.filter(code__startswith=self.place.code)
        compounds = {
            _name_key(p.name): p for p in places.filter(level=Level.COMPOUND).order_by("code")
        }
        if self.place.level == Level.COMPOUND:
            compounds.setdefault(_name_key(self.place.name), self.place)
        buildings = {
            (p.parent_id, _building_key(p.name)): p
            for p in Place.objects.filter(
                code__startswith=self.place.code[:12], level=Level.BUILDING
            ).order_by("code")
        }
        ids = sorted({r.record.id_number for r in self.parsed.valid if r.record.id_number})
        for chunk in chunks(ids, CHUNK):
            # By the indexed ID number alone; the community is checked here, which is far
            # cheaper than a prefix match on the joined place code.
            found = Resident.objects.filter(id_number__in=chunk).order_by("pk")
            for row in found.values("id", "id_number", "place__code", "merged_into_id"):
                if not row["place__code"].startswith(self.community.code):
                    continue
                # A resident merged into another one stands for its survivor.
                row["id"] = row["merged_into_id"] or row["id"]
                self.by_id.setdefault(row["id_number"], row)
        self._compound_places = compounds
        self._new = {}
        self._names = None
        self._near: dict[str, tuple[str, ...]] = {}
        seen_keys: dict[str, int] = {}
        rows = []
        for row in self.parsed.rows:
            if row.valid:
                row = self._resolve_row(row, compounds, buildings, seen_keys)
            rows.append(row)
        self._resolved = replace(self.parsed, rows=rows)
        return self._resolved

    def _resolve_row(self, row: RowResult, compounds, buildings, seen_keys) -> RowResult:
        record = row.record
        assert record is not None
        errors: list[RowError] = []
        column = self.columns
        if not record.compound and record.address:
            given = record
            record = self._split_address(record, compounds)
            if record.compound:  # the parts came from the address: problems are its
                column = {**column, "compound": column["address"]}
                if not given.building:
                    column["building"] = column["address"]
        target = self.place
        if record.compound:
            compound = compounds.get(_name_key(record.compound))
            if compound is None:
                self._new.setdefault((record.compound, ""), []).append(row.row)
                if record.building:
                    self._new.setdefault((record.compound, record.building), []).append(row.row)
                near = self._near.get(record.compound)
                if near is None:
                    near = near_misses(record.compound, self._compound_names(compounds))
                    self._near[record.compound] = near
                errors.append(
                    RowError(
                        row.row,
                        column["compound"],
                        "compound_near" if near else "compound_unknown",
                        record.compound,
                        {"place": self.place.short_name, "near": "、".join(near)},
                    )
                )
            else:
                target = compound
                if record.building:
                    building = buildings.get((compound.pk, _building_key(record.building)))
                    if building is None:
                        self._new.setdefault((compound.name, record.building), []).append(row.row)
                        errors.append(
                            RowError(
                                row.row,
                                column["building"],
                                "building_unknown",
                                record.building,
                                {"compound": compound.name},
                            )
                        )
                    else:
                        target = building
        elif record.building and self.place.level != Level.COMPOUND:
            errors.append(
                RowError(row.row, column["building"], "building_without_compound", record.building)
            )
        elif record.building:
            building = buildings.get((self.place.pk, _building_key(record.building)))
            target = building or target
        existing = self.by_id.get(record.id_number) if record.id_number else None
        if existing and not existing["place__code"].startswith(self.place.code):
            errors.append(
                RowError(
                    row.row, column["id_number"], "outside_area", mask_id_number(record.id_number)
                )
            )
        first = seen_keys.setdefault(record.key, row.row)
        if first != row.row:
            errors.append(
                RowError(row.row, column["name"], "row_duplicate", record.name, {"row": str(first)})
            )
        if errors:
            return RowResult(row.row, row.raw, None, tuple(errors))
        self.row_place[row.row] = target
        return row if record is row.record else RowResult(row.row, row.raw, record)

    @property
    def new_places(self) -> list[NewPlace]:
        """The compounds and buildings the sheet names that are not places yet (after
        :meth:`resolve`), each with its rows and the existing compounds it is close to."""
        names = self._compound_names(self._compound_places)
        out = []
        for (compound, building), rows in self._new.items():
            near = () if building else near_misses(compound, names)
            out.append(NewPlace(compound, building, tuple(dict.fromkeys(rows)), near))
        return out

    def create_places(self, chosen: list[NewPlace]) -> list[Place]:
        """Create the chosen new places (compounds first, in the import's place; buildings
        in their compound), with the one service that gives place codes."""
        from linli.places.services import do_create_place

        made: list[Place] = []
        compounds = dict(self._compound_places)
        for new in sorted(chosen, key=lambda n: bool(n.building)):
            compound = compounds.get(_name_key(new.compound))
            if not new.building:
                if compound is None and self.place.level in (Level.COMMUNITY, Level.GRID):
                    compound = do_create_place(
                        actor=self.actor, parent=self.place, level=Level.COMPOUND, name=new.compound
                    )
                    compounds[_name_key(new.compound)] = compound
                    made.append(compound)
            elif compound is not None:
                made.append(
                    do_create_place(
                        actor=self.actor, parent=compound, level=Level.BUILDING, name=new.building
                    )
                )
        self._names = None
        return made

    def _split_address(self, record: CleanRecord, compounds: dict[str, Place]) -> CleanRecord:
        """A one-cell address starting with a known compound, split into its parts."""
        names = self._compound_names(compounds)
        parts = split_address(record.address, names)
        if parts is None:
            return record
        return replace(
            record,
            compound=parts.compound,
            building=record.building or parts.building,
            unit=record.unit or parts.unit,
            room=record.room or parts.room,
        )

    def _compound_names(self, compounds: dict[str, Place]) -> list[str]:
        if self._names is None:
            self._names = [p.name for p in compounds.values()]
        return self._names

    # -- writing ---------------------------------------------------------------
