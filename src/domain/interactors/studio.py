"""The studio's use cases together, each wired to one unit-of-work factory."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.interactors.advance_production import AdvanceProduction
from domain.interactors.cancel_shoot_day import CancelShootDay
from domain.interactors.get_production_overview import GetProductionOverview
from domain.interactors.hire_employee import HireEmployee
from domain.interactors.list_slate import ListSlate
from domain.interactors.onboard_production import OnboardProduction
from domain.interactors.register_location import RegisterLocation
from domain.interactors.register_movie import RegisterMovie
from domain.interactors.reschedule_shoot_day import RescheduleShootDay
from domain.ports import UnitOfWorkFactory


@dataclass(frozen=True)
class Interactors:
    """Every use case of the studio, wired to one unit-of-work factory."""

    uow: UnitOfWorkFactory
    register_movie: RegisterMovie = field(init=False)
    register_location: RegisterLocation = field(init=False)
    onboard_production: OnboardProduction = field(init=False)
    advance_production: AdvanceProduction = field(init=False)
    reschedule_shoot_day: RescheduleShootDay = field(init=False)
    cancel_shoot_day: CancelShootDay = field(init=False)
    get_production_overview: GetProductionOverview = field(init=False)
    list_slate: ListSlate = field(init=False)
    hire_employee: HireEmployee = field(init=False)

    def __post_init__(self) -> None:
        for name, kind in (
            ("register_movie", RegisterMovie),
            ("register_location", RegisterLocation),
            ("onboard_production", OnboardProduction),
            ("advance_production", AdvanceProduction),
            ("reschedule_shoot_day", RescheduleShootDay),
            ("cancel_shoot_day", CancelShootDay),
            ("get_production_overview", GetProductionOverview),
            ("list_slate", ListSlate),
            ("hire_employee", HireEmployee),
        ):
            object.__setattr__(self, name, kind(self.uow))
