"""``POST /_pact/provider_states``: Pact's state endpoint, only with service.provider_states.

Issue 13 item 7: a third party verifies our pacts with a standard Pact verifier and no code
of ours, so the service itself must set the provider states the interactions ask for.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.contracts import states_graphql, states_json_api
from app.service.provider_states import PATH
from app.settings import load_settings
from domain import MOVIES
from tests.support.jsonapi import MEDIA, TOKEN, error_of, in_process

BEARER = {"Authorization": f"Bearer {TOKEN}"}
FIRST = states_json_api.EXAMPLES[MOVIES].first


def _change(state: str, action: str = "setup", **params: Any) -> dict[str, Any]:
    return {"state": state, "params": params, "action": action}


@pytest.fixture
async def service() -> AsyncIterator[httpx.AsyncClient]:
    async with in_process(provider_states=True) as (client, _):
        yield client


def test_happy_path_the_environment_turns_provider_states_on(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # no hexstudio.toml of the caller's
    monkeypatch.delenv("HEXSTUDIO_CONFIG", raising=False)
    monkeypatch.delenv("HEXSTUDIO_SERVICE__PROVIDER_STATES", raising=False)
    assert load_settings().service.provider_states is False
    monkeypatch.setenv("HEXSTUDIO_SERVICE__PROVIDER_STATES", "true")
    assert load_settings().service.provider_states is True


async def test_unhappy_path_without_the_setting_the_route_does_not_exist() -> None:
    async with in_process() as (client, _):
        response = await client.post(PATH, json=_change(states_json_api.NOTHING), headers=BEARER)
    assert response.status_code == 404


async def test_happy_path_a_setup_stores_the_state_s_entities_through_the_service(
    service: httpx.AsyncClient,
) -> None:
    assert (await service.get(f"/api/movies/{FIRST.id}")).status_code == 404
    state = states_json_api.EXAMPLES.exist_state(MOVIES)
    response = await service.post(PATH, json=_change(state), headers=BEARER)
    assert response.status_code == 200, response.text
    assert response.json() == {}  # no values for the verifier to inject
    found = await service.get(f"/api/movies/{FIRST.id}", headers={"Accept": MEDIA})
    assert found.status_code == 200
    assert found.json()["data"]["attributes"]["title"] == FIRST.model_dump()["title"]


async def test_happy_path_a_setup_is_repeatable(service: httpx.AsyncClient) -> None:
    # Every interaction of a state sets it up again, after others changed the data.
    state = states_json_api.EXAMPLES.change_state(MOVIES)
    for _ in range(2):
        response = await service.post(PATH, json=_change(state), headers=BEARER)
        assert response.status_code == 200, response.text


async def test_unhappy_path_a_state_change_needs_the_write_token(
    service: httpx.AsyncClient,
) -> None:
    body = _change(states_json_api.EXAMPLES.exist_state(MOVIES))
    missing = await service.post(PATH, json=body)
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    wrong = await service.post(PATH, json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403
    assert (await service.get(f"/api/movies/{FIRST.id}")).status_code == 404


async def test_unhappy_path_an_unknown_state_is_refused_by_name(
    service: httpx.AsyncClient,
) -> None:
    response = await service.post(PATH, json=_change("the moon is full"), headers=BEARER)
    assert response.status_code == 400
    assert "the moon is full" in response.json()["detail"]


async def test_unhappy_path_a_body_that_is_not_pact_s_is_refused(
    service: httpx.AsyncClient,
) -> None:
    body = {"state": states_json_api.NOTHING, "action": "rewind"}
    assert (await service.post(PATH, json=body, headers=BEARER)).status_code == 422


async def test_happy_path_an_overload_state_answers_503_until_its_teardown(
    service: httpx.AsyncClient,
) -> None:
    state = states_json_api.OVERLOADED
    assert (await service.post(PATH, json=_change(state), headers=BEARER)).status_code == 200
    refused = await service.get(f"/api/movies/{FIRST.id}")
    assert error_of(refused, 503)["code"] == "overloaded"
    assert refused.headers["retry-after"] == "1"
    graphql = await service.post("/graphql", json={"query": "{ __typename }"})
    assert graphql.status_code == 503
    assert graphql.json()["errors"][0]["extensions"]["code"] == "overloaded"
    # The endpoint itself stays reachable, or the verifier could never tear the state down.
    teardown = await service.post(PATH, json=_change(state, "teardown"), headers=BEARER)
    assert teardown.status_code == 200
    assert (await service.get(f"/api/movies/{FIRST.id}")).status_code == 404


async def test_happy_path_the_next_setup_ends_an_overload_left_without_teardown(
    service: httpx.AsyncClient,
) -> None:
    # A verifier run without --state-change-teardown must not leave the service refusing.
    overloaded = _change(states_graphql.OVERLOADED)
    assert (await service.post(PATH, json=overloaded, headers=BEARER)).status_code == 200
    up = _change(states_graphql.UP)
    assert (await service.post(PATH, json=up, headers=BEARER)).status_code == 200
    assert (await service.post("/graphql", json={"query": "{ __typename }"})).status_code == 200
