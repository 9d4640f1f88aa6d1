"""Entities, value objects and read models of studio production management."""

from domain.model.base import Entity
from domain.model.genre import Genre
from domain.model.location import ShootingLocation
from domain.model.money import Money
from domain.model.movie import Movie
from domain.model.phase import ACTIVE_PHASES, Phase
from domain.model.production import Production
from domain.model.shoot_day import ShootDay, Slot
from domain.model.views import ProductionOverview, SlateEntry

__all__ = [
    "ACTIVE_PHASES",
    "Entity",
    "Genre",
    "Money",
    "Movie",
    "Phase",
    "Production",
    "ProductionOverview",
    "ShootDay",
    "ShootingLocation",
    "SlateEntry",
    "Slot",
]
