"""Guardianship planner: every ward gets a primary and a backup guardian who can reach them.

Plain dicts in the ``linli match --input`` format in, the plan dict out; no Django.
"""

from .model import ScenarioError, can_serve, parse_scenario
from .solve import solve, solve_dict

__all__ = ["ScenarioError", "can_serve", "parse_scenario", "solve", "solve_dict"]
