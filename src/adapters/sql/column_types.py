"""Column types that store domain values identically on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Dialect, Numeric, TypeDecorator, Uuid
from sqlalchemy.types import TypeEngine


class _Units(TypeDecorator[Decimal]):
    """A Decimal of ``places`` decimal places kept as whole units (cents...) in a 64-bit integer.

    SQLite has no decimal type: SQLAlchemy's Numeric goes through a float there and loses digits
    beyond ~15, while Money allows 18. Integer units keep every digit and still sort and compare.
    """

    impl = BigInteger
    cache_ok = True

    def __init__(self, places: int) -> None:
        super().__init__()
        self.places = places
        self._unit = Decimal(10) ** places

    def process_bind_param(self, value: Decimal | str | None, dialect: Dialect) -> int | None:
        return None if value is None else int(Decimal(value) * self._unit)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        # scaleb is exact for an integer: 12345 -> Decimal("123.45"), already two places.
        return None if value is None else Decimal(int(value)).scaleb(-self.places)


def decimal(digits: int, places: int) -> TypeEngine[Decimal]:
    """NUMERIC(digits, places) where the engine has decimals, integer units on SQLite."""
    return Numeric(digits, places, asdecimal=True).with_variant(_Units(places), "sqlite")


def money_amount() -> TypeEngine[Decimal]:
    """NUMERIC(18, 2): what migration 0001 created for Money amounts."""
    return decimal(18, 2)


def uuid() -> TypeEngine[Any]:
    """A UUID column whose order is the order of the UUIDs' canonical strings.

    PostgreSQL's native uuid compares byte-wise, which is that order. MariaDB's native UUID
    type sorts some UUID versions by swapped segments, so there it is CHAR(32) in a binary
    collation instead (as on SQLite).
    """
    return Uuid().with_variant(Uuid(native_uuid=False), "mysql", "mariadb")
