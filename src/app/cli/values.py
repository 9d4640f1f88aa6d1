"""Parsers of option values that name the expected form: ``expected YYYY-MM-DD, got '03/01'``.

typer reports a parser's ``BadParameter`` with the flag's name, so every message reads
``Invalid value for '--starts-on': expected YYYY-MM-DD, got '03/01/2027'``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

import typer


def iso_date(value: str | dt.date) -> dt.date:
    """A calendar date written YYYY-MM-DD."""
    if isinstance(value, dt.date):
        return value  # typer passes a default through the parser too
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else _refuse(value)
    except ValueError:
        return _refuse(value)


def _refuse(value: str) -> dt.date:
    raise typer.BadParameter(f"expected YYYY-MM-DD, got {value!r}")


def amount(value: str | Decimal) -> Decimal:
    """A decimal amount such as 2500000.00."""
    if isinstance(value, Decimal):
        return value
    try:
        parsed = Decimal(value)
    except InvalidOperation:
        parsed = Decimal("NaN")
    if not parsed.is_finite():
        raise typer.BadParameter(f"expected a decimal amount such as 2500000.00, got {value!r}")
    return parsed
