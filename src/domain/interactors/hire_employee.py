"""Use case: hire a crew member into a production that is still being made."""

from __future__ import annotations

from uuid import UUID

from domain.errors import RuleViolation
from domain.model.employee import Employee, Role
from domain.ports import UnitOfWorkFactory
from domain.studio import EMPLOYEES, PRODUCTIONS
from domain.validation import parse


class HireEmployee:
    """Hire someone into a production; a wrapped or cancelled one hires nobody."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(
        self, *, name: str, role: Role | str, production_id: UUID, id: UUID | None = None
    ) -> Employee:
        """Store the employee; NotFound without the production, RuleViolation if it is over."""
        fields: dict[str, object] = {"name": name, "role": role, "production_id": production_id}
        employee = parse(Employee, fields if id is None else {**fields, "id": id})
        async with self._uow() as uow:
            production = await uow.repository(PRODUCTIONS).get(production_id)
            if not production.is_active:
                raise RuleViolation(
                    f"production {production_id} is {production.phase}: it hires nobody",
                    entity="Employee",
                    field="production_id",
                    reason="production_not_active",
                )
            stored = await uow.repository(EMPLOYEES).add(employee)
            await uow.commit()
        return stored
