"""Planner scenarios for every community, built from the synthetic population (no database)."""

from __future__ import annotations

from typing import Any

from linli.domain.synth import CommunityPlan, generate_community

SKILLED = {"sign_language", "child_care", "nursing", "medical", "psychological"}


def scenario_for(
    plan: CommunityPlan, *, seed: int = 1, sealed_share: float = 0.0
) -> dict[str, Any]:
    population = generate_community(plan.code, population=plan.population, seed=seed)
    xy = {p[0]: (p[4], p[5]) for p in population.places if p[4] is not None}
    household_building = {h[0]: h[1] for h in population.households}
    residents = {r[0]: r for r in population.residents}
    wards = []
    for resident_id, _risk, needs in population.wards:
        r = residents[resident_id]
        building = household_building[r[1]]
        x, y = xy[building]
        age = 2026 - int(r[5][:4])
        wards.append(
            {
                "id": resident_id,
                "compound": building[:16],
                "x": x,
                "y": y,
                "sex": r[4],
                "minor": age < 18,
                "needs": sorted(set(needs.split("|")) & SKILLED) if needs else [],
            }
        )
    volunteers = []
    for v in population.volunteers:
        x, y = xy[v[5]]
        volunteers.append(
            {
                "id": v[0],
                "compound": v[5],
                "passes": [p for p in v[6].split("|") if p],
                "x": x,
                "y": y,
                "sex": v[4],
                "vetted": bool(v[8]),
                "skills": [s for s in v[7].split("|") if s],
                "capacity": v[9],
                "backup_capacity": v[10],
                "status": v[12],
            }
        )
    compounds = sorted({p[0] for p in population.places if p[2] == "compound"})
    n_sealed = round(len(compounds) * sealed_share)
    return {"wards": wards, "volunteers": volunteers, "sealed": compounds[:n_sealed]}
