"""Money: a non-negative amount in whole cents of an ISO 4217 currency."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from domain.model.codes import CURRENCIES

_CENT = Decimal("0.01")


class Money(BaseModel):
    """An amount (Decimal, >= 0, at most two decimal places) and its currency.

    Amounts are normalised to exactly two places so that every data source stores and returns
    the same digits ("1000" and "1000.0" both become "1000.00").
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    amount: Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2, allow_inf_nan=False)]
    currency: Annotated[str, StringConstraints(min_length=3, max_length=3)]

    @field_validator("amount")
    @classmethod
    def _two_places(cls, value: Decimal) -> Decimal:
        return value.quantize(_CENT)

    # Before the length check, so " usd" is normalised first and an unknown code is named.
    @field_validator("currency", mode="before")
    @classmethod
    def _known_currency(cls, value: object) -> object:
        if not isinstance(value, str):
            return value  # the str check names the wrong type
        code = value.strip().upper()
        if code not in CURRENCIES:
            raise ValueError(f"{value!r} is not an ISO 4217 currency code")
        return code
