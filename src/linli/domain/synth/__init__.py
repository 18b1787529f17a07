"""Synthetic population: real Chengdu communities filled with fake people that look real."""

from .generate import TABLES, CommunityPopulation, generate_community
from .plan import SCALES, CommunityPlan, city_plan, communities_for_scale

__all__ = [
    "SCALES",
    "TABLES",
    "CommunityPlan",
    "CommunityPopulation",
    "city_plan",
    "communities_for_scale",
    "generate_community",
]
