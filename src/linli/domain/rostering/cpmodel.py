"""The CP-SAT model of an :class:`Instance`: the hard rules of FORMAT.md section 3 as constraints
and the penalty of section 4 as the objective, with its terms kept for reporting.

Variables exist only for cells an employee may work (not a fixed day off, per-type limit > 0),
so impossible assignments are never searched. ``fix``/``release`` pin a set of employee-day cells
to a roster by narrowing variable domains in place; that is how the large-neighbourhood search
re-solves a part of the roster without rebuilding the model.
"""

from __future__ import annotations

from collections.abc import Iterable

from ortools.sat.python import cp_model

from .model import Instance, Roster, weekend_days


class CpRoster:
    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.model = m = cp_model.CpModel()
        horizon = instance.horizon
        shift_index = {s.id: i for i, s in enumerate(instance.shifts)}
        staff_index = {e.id: i for i, e in enumerate(instance.staff)}
        self.x: dict[tuple[int, int, int], cp_model.IntVar] = {}
        self.work: list[list[cp_model.IntVar]] = []
        self.cells: dict[tuple[int, int], list[tuple[int, cp_model.IntVar]]] = {}

        for e, staff in enumerate(instance.staff):
            row = []
            for d in range(horizon):
                choices = []
                if d not in staff.days_off:
                    for s, shift in enumerate(instance.shifts):
                        if staff.limit(shift.id, horizon) > 0:
                            var = m.new_bool_var(f"x[{staff.id},{d},{shift.id}]")
                            self.x[e, d, s] = var
                            choices.append((s, var))
                self.cells[e, d] = choices
                worked = m.new_bool_var(f"w[{staff.id},{d}]")
                m.add(worked == sum(var for _, var in choices))
                row.append(worked)
            self.work.append(row)
            self._staff_rules(e)

        # Objective, by term.
        on_terms, off_terms, on_constant = [], [], 0
        for request in instance.on_requests:
            var = self.x.get((staff_index[request.staff], request.day, shift_index[request.shift]))
            on_constant += request.weight
            if var is not None:
                on_terms.append(-request.weight * var)
        for request in instance.off_requests:
            var = self.x.get((staff_index[request.staff], request.day, shift_index[request.shift]))
            if var is not None:
                off_terms.append(request.weight * var)
        under_terms, over_terms = [], []
        staff_count = len(instance.staff)
        for cover in instance.cover:
            s = shift_index[cover.shift]
            on_duty = [
                self.x[e, cover.day, s] for e in range(staff_count) if (e, cover.day, s) in self.x
            ]
            # under = max(0, requirement - on duty) exactly, so the solver's figure for any
            # roster (not only an optimal one) is the evaluator's.
            under = m.new_int_var(0, cover.requirement, f"under[{cover.day},{cover.shift}]")
            m.add_max_equality(under, [cover.requirement - sum(on_duty), 0])
            under_terms.append(cover.under_weight * under)
            over_terms.append(cover.over_weight * (sum(on_duty) - cover.requirement + under))
        self.terms = {
            "on_requests": on_constant + sum(on_terms),
            "off_requests": sum(off_terms),
            "under_cover": sum(under_terms),
            "over_cover": sum(over_terms),
        }
        self.objective = sum(self.terms.values())
        m.minimize(self.objective)
        self._saved: dict[int, tuple[int, int]] = {}

    def _staff_rules(self, e: int) -> None:
        m, instance = self.model, self.instance
        staff, horizon, w = instance.staff[e], instance.horizon, self.work[e]
        shifts = instance.shifts
        # Rule 3: forbidden successions (nothing across the horizon edges).
        for d in range(horizon - 1):
            for s, first in enumerate(shifts):
                if (e, d, s) not in self.x:
                    continue
                for t, second in enumerate(shifts):
                    if second.id in first.forbidden_next and (e, d + 1, t) in self.x:
                        m.add_bool_or([self.x[e, d, s].Not(), self.x[e, d + 1, t].Not()])
        # Rule 4: at most MaxShifts of each type.
        for s, shift in enumerate(shifts):
            cells = [self.x[e, d, s] for d in range(horizon) if (e, d, s) in self.x]
            limit = staff.limit(shift.id, horizon)
            if len(cells) > limit:
                m.add(sum(cells) <= limit)
        # Rules 5 and 6: total minutes.
        minutes = sum(shifts[s].minutes * var for (ee, _d, s), var in self.x.items() if ee == e)
        m.add(minutes <= staff.max_minutes)
        m.add(minutes >= staff.min_minutes)
        # Rule 7: no run of more than MaxConsecutiveShifts worked days.
        k = staff.max_consecutive
        for d in range(horizon - k):
            m.add(sum(w[d : d + k + 1]) <= k)
        # Rule 8: a work block with an off day on both sides inside the horizon is long enough.
        for length in range(1, staff.min_consecutive):
            for start in range(1, horizon - length):
                block = [w[start + i].Not() for i in range(length)]
                m.add_bool_or([w[start - 1], *block, w[start + length]])
        # Rule 9: likewise for off blocks between two worked days.
        for length in range(1, staff.min_days_off):
            for start in range(1, horizon - length):
                block = [w[start + i] for i in range(length)]
                m.add_bool_or([w[start - 1].Not(), *block, w[start + length].Not()])
        # Rule 10: at most MaxWeekends weekends with a Saturday or Sunday worked.
        if staff.max_weekends < instance.weeks:
            weekends = []
            for week in range(instance.weeks):
                sat, sun = weekend_days(week)
                worked = m.new_bool_var(f"weekend[{staff.id},{week}]")
                m.add_implication(w[sat], worked)
                m.add_implication(w[sun], worked)
                m.add_bool_or([w[sat], w[sun], worked.Not()])
                weekends.append(worked)
            m.add(sum(weekends) <= staff.max_weekends)

    # --- reading and steering -------------------------------------------------------------

    def roster(self, solver: cp_model.CpSolver) -> Roster:
        instance = self.instance
        rows = []
        for e in range(len(instance.staff)):
            row: list[str | None] = []
            for d in range(instance.horizon):
                chosen = [s for s, var in self.cells[e, d] if solver.boolean_value(var)]
                row.append(instance.shifts[chosen[0]].id if chosen else None)
            rows.append(tuple(row))
        return Roster(instance.staff_ids, tuple(rows))

    def hint(self, roster: Roster) -> None:
        """Start the search from ``roster`` (cells of unknown staff or shifts are ignored)."""
        self.model.clear_hints()
        rows = dict(zip(roster.staff, roster.rows, strict=True))
        for e, staff in enumerate(self.instance.staff):
            row = rows.get(staff.id)
            if row is None:
                continue
            for d in range(min(len(row), self.instance.horizon)):
                for s, var in self.cells[e, d]:
                    self.model.add_hint(var, row[d] == self.instance.shifts[s].id)

    def fix(self, roster: Roster, cells: Iterable[tuple[int, int]]) -> None:
        """Pin the given (employee index, day) cells to ``roster`` until :meth:`release`."""
        variables = self.model.proto.variables
        for e, d in cells:
            value = roster.rows[e][d]
            for s, var in self.cells[e, d]:
                index = var.index
                domain = variables[index].domain
                if index not in self._saved:
                    self._saved[index] = (domain[0], domain[1])
                fixed = int(value == self.instance.shifts[s].id)
                domain[0] = fixed
                domain[1] = fixed

    def release(self) -> None:
        variables = self.model.proto.variables
        for index, (low, high) in self._saved.items():
            domain = variables[index].domain
            domain[0], domain[1] = low, high
        self._saved.clear()
