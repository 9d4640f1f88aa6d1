"""The only exceptions allowed to cross a port.

Every adapter maps its own failures (SQL, HTTP, parsing) onto these, so that callers handle one
vocabulary whatever the data source. Each class has a stable ``code`` that the HTTP edges use.
"""

from __future__ import annotations

from typing import ClassVar


class DomainError(Exception):
    """Base of every error the domain and its adapters raise."""

    code: ClassVar[str] = "domain_error"

    def __init__(
        self,
        message: str,
        *,
        entity: str | None = None,
        field: str | None = None,
        reason: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.entity = entity
        self.field = field
        self.reason = reason

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class NotFound(DomainError):
    """The entity asked for does not exist."""

    code = "not_found"

    @classmethod
    def of(cls, entity: str, id: object) -> NotFound:
        """Build the error for ``entity`` with ``id``, naming both."""
        return cls(f"{entity} {id} not found", entity=entity, field="id")


class Conflict(DomainError):
    """The write lost a race: a stale version, a duplicate id or a taken slot."""

    code = "conflict"


class RuleViolation(DomainError):
    """A business rule refused the request; ``reason`` names the rule."""

    code = "rule_violation"


class InvalidInput(DomainError):
    """A value is malformed or out of range; ``field`` names it."""

    code = "invalid_input"


class DataSourceUnavailable(DomainError):
    """The data source could not be reached or answered a transient failure; safe to retry."""

    code = "data_source_unavailable"


class DataSourceError(DomainError):
    """The data source answered something we cannot understand or were not allowed to ask."""

    code = "data_source_error"


ERRORS_BY_CODE: dict[str, type[DomainError]] = {
    cls.code: cls
    for cls in (
        NotFound,
        Conflict,
        RuleViolation,
        InvalidInput,
        DataSourceUnavailable,
        DataSourceError,
    )
}
"""Error classes by their stable code, for adapters that rebuild errors from a wire format."""
