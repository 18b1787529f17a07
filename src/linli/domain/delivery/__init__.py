"""Deliveries behind sealed gates: orders carried from a compound's gate to the door.

``solve(problem)`` routes the day's packed orders for the volunteers who may enter each
compound (OR-Tools' vehicle-routing solver: capacity in kg and bags, time windows, walking
distances), and says of every order it cannot carry which rule stops it and why.
``nearest_neighbour(problem)`` is the peer rule most delivery tools use, for comparison.
"""

from .check import violations
from .layout import walking_metres
from .model import Carrier, DeliveryError, Params, Problem, Route, Solution, Stop, Unmet, Visit
from .nearest import nearest_neighbour
from .solve import solve

__all__ = [
    "Carrier",
    "DeliveryError",
    "Params",
    "Problem",
    "Route",
    "Solution",
    "Stop",
    "Unmet",
    "Visit",
    "nearest_neighbour",
    "solve",
    "violations",
    "walking_metres",
]
