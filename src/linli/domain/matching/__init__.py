"""Guardianship planner: every ward gets a primary and a backup guardian who can reach them.

A :class:`Scenario` of frozen dataclasses in, a :class:`Plan` of frozen dataclasses out; no
Django. ``linli match`` reads and writes the same data as JSON (:mod:`.fileformat`).
"""

from .fileformat import ScenarioError, parse_scenario, solve_dict
from .model import (
    Assignment,
    Gap,
    Plan,
    Scenario,
    Volunteer,
    Ward,
    can_reach,
    can_serve,
    hold_pins,
)
from .solve import solve

__all__ = [
    "Assignment",
    "Gap",
    "Plan",
    "Scenario",
    "ScenarioError",
    "Volunteer",
    "Ward",
    "can_reach",
    "can_serve",
    "hold_pins",
    "parse_scenario",
    "solve",
    "solve_dict",
]
