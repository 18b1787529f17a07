"""Why a role could not be filled, in words a secretary can act on."""

from __future__ import annotations

from collections.abc import Sequence

from .model import Scenario, Ward, can_serve


def gap_reason(
    scenario: Scenario,
    ward: Ward,
    role: str,
    load: dict[str, Sequence[int]],
    reachable: Sequence[int] | None = None,
) -> str:
    """``load``: roles held per volunteer index; ``reachable``: indices of the volunteers the
    hard rules allow for this ward, when the caller has them (else worked out here)."""
    active = [v for v in scenario.volunteers if v.status == "active"]
    where = f"compound {ward.compound}"
    sealed = ward.compound in scenario.sealed
    if not active:
        return "no active volunteer in the community"
    for need in sorted(ward.needs):
        if not any(need in v.skills for v in active):
            return f"needs {need}: no active volunteer has this skill"
    skilled = [v for v in active if ward.needs <= v.skills]
    if ward.minor and not any(v.vetted for v in skilled):
        return "a minor: no active vetted volunteer" + (
            f" with {', '.join(sorted(ward.needs))}" if ward.needs else ""
        )
    if reachable is None:
        reachable = [
            i for i, v in enumerate(scenario.volunteers) if can_serve(ward, v, scenario.sealed)
        ]
    if not reachable:
        if sealed:
            return f"{where} is sealed: no suitable active volunteer lives there or holds a pass"
        return f"no suitable active volunteer can reach {where}"
    word = "vetted " if ward.minor else ""
    kind = "primary" if role == "primary" else "backup"
    volunteers = scenario.volunteers
    at_capacity = [i for i in reachable if load[role][i] >= volunteers[i].capacity_for(role)]
    if len(at_capacity) == len(reachable):
        return f"all {len(reachable)} suitable {word}volunteers who can reach {where} are at their {kind} capacity"
    return f"the only suitable {word}volunteers who can reach {where} already guard this ward in the other role"
