"""A shooting location: a named place on the map."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, field_validator

from domain.model.base import Entity
from domain.model.codes import COUNTRIES

_PRINTABLE = r"^[^\x00-\x1f\x7f]*$"  # no control characters (PostgreSQL cannot store NUL)
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=_PRINTABLE)
]
City = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=_PRINTABLE)
]


class ShootingLocation(Entity):
    """A place where shoot days happen, with its city, country and coordinates."""

    name: Name
    city: City
    country: Annotated[str, StringConstraints(min_length=2, max_length=2)]
    latitude: Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
    longitude: Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]

    @field_validator("latitude", "longitude")
    @classmethod
    def _no_negative_zero(cls, value: float) -> float:
        # -0.0 == 0.0, but databases store them alike while Python prints them apart.
        return value + 0.0

    # Before the length check, so " pt" is normalised first and an unknown code is named.
    @field_validator("country", mode="before")
    @classmethod
    def _known_country(cls, value: object) -> object:
        if not isinstance(value, str):
            return value  # the str check names the wrong type
        code = value.strip().upper()
        if code not in COUNTRIES:
            raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
        return code
