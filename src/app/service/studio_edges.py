"""The studio's use-case endpoints, registered under ``hexstudio.edges: studio``.

They are what a user's domain would write for its own use cases: each calls an interactor
and answers with the catalog's types. Everything else the service derives from the catalog.
"""

from __future__ import annotations

from app.service.edges import UseCaseEdges
from app.service.graphql.mutations import StudioMutations
from app.service.jsonapi.usecases import add_routes

EDGES = UseCaseEdges(jsonapi=add_routes, graphql_mutations=StudioMutations)
"""Onboarding and advancing on /api; registering, onboarding, advancing and rescheduling on
/graphql."""
