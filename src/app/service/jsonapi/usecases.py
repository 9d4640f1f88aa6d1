"""Domain actions as their own endpoints, beside resource CRUD: each calls its interactor.

A plain resource write stores what it is given; these apply the studio's rules. Onboarding
creates a production with its shoot plan atomically; advancing moves a production one legal
phase step (cancelling frees its shoot days).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import Response

from app.service.jsonapi import bodies, media, openapi
from app.service.jsonapi.context import authorise, endpoint, interactors
from app.service.jsonapi.documents import Linkage, base_path, resource_object, respond
from app.service.jsonapi.errors import (
    JsonApiError,
    Problem,
    bad_request,
    field_pointer,
    from_domain,
    pointer_token,
)
from app.service.jsonapi.preconditions import etag
from app.service.jsonapi.resources import resource_types
from domain import (
    STUDIO,
    DomainError,
    Movie,
    NotFound,
    Production,
    ShootDay,
    ShootingLocation,
)

BY_ENTITY = resource_types(STUDIO).by_entity


class PlannedDay(BaseModel):
    """One entry of a shoot plan."""

    model_config = ConfigDict(extra="forbid")

    location_id: UUID
    date: dt.date


class BudgetIn(BaseModel):
    """A budget as sent: the amount as a string or number, and an ISO 4217 code."""

    model_config = ConfigDict(extra="forbid")

    amount: Decimal | int | float | str
    currency: str


class Onboarding(BaseModel):
    """The attributes of an ``onboardings`` resource object (and its movie relationship)."""

    model_config = ConfigDict(extra="forbid")

    movie_id: UUID
    budget: BudgetIn
    starts_on: dt.date
    wraps_on: dt.date
    shoot_plan: Annotated[list[PlannedDay], Field(max_length=500)] = []
    id: UUID | None = None


class PhaseChange(BaseModel):
    """The attributes of a ``phase-changes`` resource object."""

    model_config = ConfigDict(extra="forbid")

    to_phase: str
    version: int


async def _data(request: Request, type_name: str) -> dict[str, Any]:
    authorise(request, write=True)
    media.require_content_type(request)
    media.require_acceptable(request)
    body = await bodies.read_json(request)
    data = bodies.member(body, "data", "/data", dict)
    if bodies.member(data, "type", "/data/type", str) != type_name:
        raise JsonApiError(
            Problem(
                409, "conflict.type_mismatch", f"expected type {type_name!r}", pointer="/data/type"
            )
        )
    unknown = set(data) - {"type", "id", "attributes", "relationships", "meta"}
    if unknown:
        name = sorted(unknown)[0]
        raise bad_request(f"unknown member {name!r}", pointer=f"/data/{pointer_token(name)}")
    result: dict[str, Any] = data
    return result


def _pointer(error: DomainError) -> str:
    if isinstance(error, NotFound):
        return (
            "/data/relationships/movie"
            if error.message.startswith("Movie")
            else "/data/attributes/shoot_plan"
        )
    return field_pointer(error.field)


@endpoint
async def onboard(request: Request) -> Response:
    """POST /api/onboardings: onboard a production with its shoot plan; 201 + the overview."""
    data = await _data(request, "onboardings")
    fields: dict[str, Any] = dict(bodies.member(data, "attributes", "/data/attributes", dict))
    relationship = bodies.member(
        bodies.member(data, "relationships", "/data/relationships", dict),
        "movie",
        "/data/relationships/movie",
        dict,
    )
    linkage = bodies.member(relationship, "data", "/data/relationships/movie/data", dict)
    fields["movie_id"] = bodies.parse_uuid(
        bodies.member(linkage, "id", "/data/relationships/movie/data/id", str),
        "/data/relationships/movie/data/id",
    )
    if "id" in data:
        fields["id"] = bodies.parse_uuid(bodies.member(data, "id", "/data/id", str), "/data/id")
    plan: Onboarding = bodies.validate(Onboarding, fields)
    try:
        overview = await interactors(request).onboard_production(
            id=plan.id,
            movie_id=plan.movie_id,
            budget={"amount": str(plan.budget.amount), "currency": plan.budget.currency},
            starts_on=plan.starts_on,
            wraps_on=plan.wraps_on,
            shoot_plan=[(day.location_id, day.date) for day in plan.shoot_plan],
        )
    except DomainError as exc:
        raise from_domain(exc, pointer=_pointer(exc)) from None
    prefix = base_path(request)
    production = overview.production
    links = Linkage({(production.id, "shoot_days"): [d.id for d in overview.shoot_days]})
    doc = {
        "jsonapi": {"version": "1.1"},
        "data": resource_object(BY_ENTITY[Production], production, prefix, linkage=links),
        "included": [
            resource_object(BY_ENTITY[Movie], overview.movie, prefix),
            *(resource_object(BY_ENTITY[ShootDay], d, prefix) for d in overview.shoot_days),
            *(
                resource_object(BY_ENTITY[ShootingLocation], loc, prefix)
                for loc in overview.locations.values()
            ),
        ],
    }
    location = f"{prefix}/productions/{production.id}"
    return respond(doc, 201, headers={"Location": location, "ETag": etag(production.version)})


@endpoint
async def advance(request: Request, id: str) -> Response:
    """POST /api/productions/<id>/advance: move to ``to_phase`` at ``meta.version``."""
    from app.service.jsonapi.routes import path_id

    production_id = path_id(BY_ENTITY[Production], id)
    data = await _data(request, "phase-changes")
    attributes = bodies.member(data, "attributes", "/data/attributes", dict)
    meta = bodies.member(data, "meta", "/data/meta", dict)
    change: PhaseChange = bodies.validate(
        PhaseChange,
        {**attributes, "version": bodies.member(meta, "version", "/data/meta/version", int)},
    )
    try:
        production = await interactors(request).advance_production(
            production_id=production_id, to_phase=change.to_phase, expected_version=change.version
        )
    except DomainError as exc:
        pointer = (
            "/data/attributes/to_phase"
            if exc.field in ("phase", "to_phase")
            else field_pointer(exc.field)
        )
        raise from_domain(exc, pointer=None if isinstance(exc, NotFound) else pointer) from None
    doc = {
        "jsonapi": {"version": "1.1"},
        "data": resource_object(BY_ENTITY[Production], production, base_path(request)),
    }
    return respond(doc, headers={"ETag": etag(production.version)})


_OBJECT = {"type": "object"}
_BODY = {"type": "object", "required": ["data"], "properties": {"data": _OBJECT}}


def add_routes(api: APIRouter) -> None:
    """The studio's use-case routes: onboarding a production and advancing its phase."""
    api.add_api_route(
        "/onboardings",
        onboard,
        methods=["POST"],
        **openapi.use_case_route("onboard", "Onboard a production with its shoot plan", _BODY, 201),
    )
    api.add_api_route(
        "/productions/{id}/advance",
        advance,
        methods=["POST"],
        **openapi.use_case_route("advance", "Advance a production's phase", _BODY),
    )
