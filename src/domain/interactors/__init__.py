"""Interactors: one class per domain action, built with a unit-of-work factory."""

from domain.interactors.advance_production import AdvanceProduction
from domain.interactors.cancel_shoot_day import CancelShootDay
from domain.interactors.get_production_overview import OVERVIEW, GetProductionOverview
from domain.interactors.list_slate import SLATE, ListSlate
from domain.interactors.onboard_production import OnboardProduction, ShootPlan
from domain.interactors.register_location import RegisterLocation
from domain.interactors.register_movie import RegisterMovie
from domain.interactors.reschedule_shoot_day import RescheduleShootDay
from domain.interactors.studio import Interactors

PLANS = (OVERVIEW, SLATE)
"""The read plans the studio's interactors pass: adapters pre-build what each needs (the
GraphQL adapter commits a document per plan)."""

__all__ = [
    "OVERVIEW",
    "PLANS",
    "SLATE",
    "AdvanceProduction",
    "CancelShootDay",
    "GetProductionOverview",
    "Interactors",
    "ListSlate",
    "OnboardProduction",
    "RegisterLocation",
    "RegisterMovie",
    "RescheduleShootDay",
    "ShootPlan",
]
