"""GraphQL over HTTP (the spec draft): media types, and the status of request errors by type."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.graphql_service import TOKEN, GraphQLService, graphql_service_fixture  # noqa: F401

pytestmark = pytest.mark.asyncio(loop_scope="session")

GRAPHQL_RESPONSE = "application/graphql-response+json"

# Each GraphQL request error the spec names: nothing runs, so the answer has no data.
REQUEST_ERRORS = {
    "parse": {"query": "{ movies(first: 1 { edges }"},
    "validation": {"query": "{ movies { edges { nope } } }"},
    "variable coercion": {
        "query": "query($first: Int!) { movies(first: $first) { edges { cursor } } }",
        "variables": {"first": "many"},
    },
    "too costly": {
        "query": "{ productions(first: 500) { edges { node { shootDays(first: 500) "
        "{ edges { node { id } } } } } } }"
    },
}


async def _post(
    service: GraphQLService, body: dict[str, Any], accept: str | None, **headers: str
) -> httpx.Response:
    sent = {"Authorization": f"Bearer {TOKEN}", **headers}
    if accept is not None:
        sent["Accept"] = accept
    return await service.client.post("/graphql", json=body, headers=sent)


async def test_happy_path_graphql_response_json_is_answered_in_kind(
    graphql_service: GraphQLService,
) -> None:
    response = await _post(graphql_service, {"query": "{ __typename }"}, GRAPHQL_RESPONSE)
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{GRAPHQL_RESPONSE}; charset=utf-8"
    assert response.headers["vary"] == "Accept"
    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        (None, "application/json"),
        ("*/*", "application/json"),
        ("application/*", "application/json"),
        ("application/json", "application/json"),
        (f"{GRAPHQL_RESPONSE}, application/json;q=0.9", GRAPHQL_RESPONSE),  # the spec's advice
        (f"application/json, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),  # a tie: the spec's type
        (f"application/json, {GRAPHQL_RESPONSE};q=0.5", "application/json"),
        (f"{GRAPHQL_RESPONSE};q=0, */*", "application/json"),
        (f"text/html, {GRAPHQL_RESPONSE}; charset=utf-8", GRAPHQL_RESPONSE),
    ],
)
async def test_happy_path_the_media_type_follows_the_accept_header(
    graphql_service: GraphQLService, accept: str | None, media: str
) -> None:
    response = await _post(graphql_service, {"query": "{ __typename }"}, accept)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize("kind", sorted(REQUEST_ERRORS))
async def test_unhappy_path_request_errors_are_400_without_data_in_graphql_response_json(
    graphql_service: GraphQLService, kind: str
) -> None:
    response = await _post(graphql_service, REQUEST_ERRORS[kind], GRAPHQL_RESPONSE)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    body = response.json()
    assert "data" not in body
    assert [error["extensions"]["code"] for error in body["errors"]] == ["invalid_query"]


@pytest.mark.parametrize("kind", sorted(REQUEST_ERRORS))
async def test_unhappy_path_request_errors_stay_200_with_null_data_in_application_json(
    graphql_service: GraphQLService, kind: str
) -> None:
    response = await _post(graphql_service, REQUEST_ERRORS[kind], "application/json")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "invalid_query"


async def test_unhappy_path_field_errors_keep_200_and_data_in_graphql_response_json(
    graphql_service: GraphQLService,
) -> None:
    # The operation ran: an error of one field is a partial answer, not a request error.
    body = {"query": 'query { a: __typename movie(id: "not-a-uuid") { id } }'}
    response = await _post(graphql_service, body, GRAPHQL_RESPONSE)
    assert response.status_code == 200
    answer = response.json()
    assert answer["data"] == {"a": "Query", "movie": None}
    assert answer["errors"][0]["extensions"]["code"] == "invalid_input"
    assert answer["errors"][0]["path"] == ["movie"]


async def test_unhappy_path_a_mutation_without_the_token_is_401_without_data(
    graphql_service: GraphQLService,
) -> None:
    body = {"query": 'mutation { registerMovie(input: {title: "Nope"}) { id } }'}
    response = await graphql_service.client.post(
        "/graphql", json=body, headers={"Accept": GRAPHQL_RESPONSE}
    )
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    answer = response.json()
    assert "data" not in answer
    assert answer["errors"][0]["extensions"]["code"] == "unauthorized"


async def test_unhappy_path_several_operations_without_a_name_are_a_graphql_request_error(
    graphql_service: GraphQLService,
) -> None:
    body = {"query": "query A { __typename } query B { __typename }"}
    response = await _post(graphql_service, body, GRAPHQL_RESPONSE)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert "operationName" in response.json()["errors"][0]["message"]


async def test_unhappy_path_a_body_that_is_no_graphql_request_is_never_labelled_one(
    graphql_service: GraphQLService,
) -> None:
    # The draft: what prevents a GraphQL response must not use its media type.
    response = await graphql_service.client.post(
        "/graphql",
        content=b'{"query": ',
        headers={"Content-Type": "application/json", "Accept": GRAPHQL_RESPONSE},
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert response.json()["errors"][0]["extensions"]["code"] == "invalid_query"


@pytest.mark.parametrize("name", [{"obj": "ect"}, 0, False, ["array"]])
async def test_unhappy_path_an_operation_name_that_is_no_string_is_400(
    graphql_service: GraphQLService, name: Any
) -> None:
    response = await _post(
        graphql_service, {"query": "{ __typename }", "operationName": name}, None
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["message"].startswith("operationName must be a string or null")
    assert error["extensions"] == {"code": "invalid_query", "pointer": "/operationName"}


async def test_unhappy_path_an_accept_allowing_no_json_is_406(
    graphql_service: GraphQLService,
) -> None:
    response = await _post(graphql_service, {"query": "{ __typename }"}, "text/html, text/plain")
    assert response.status_code == 406
    assert response.headers["vary"] == "Accept"
    assert response.json()["errors"][0]["extensions"]["code"] == "not_acceptable"


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/graphql"])
async def test_unhappy_path_a_post_body_that_is_not_json_is_415(
    graphql_service: GraphQLService, content_type: str | None
) -> None:
    headers = {} if content_type is None else {"Content-Type": content_type}
    response = await graphql_service.client.post(
        "/graphql", content=b'{"query": "{ __typename }"}', headers=headers
    )
    assert response.status_code == 415
    assert response.json()["errors"][0]["extensions"]["code"] == "invalid_query"


async def test_unhappy_path_get_is_405_naming_post_when_queries_over_get_are_off(
    graphql_service: GraphQLService,
) -> None:
    for query in ("{ __typename }", "mutation { __typename }"):
        response = await graphql_service.client.get(
            "/graphql", params={"query": query}, headers={"Accept": GRAPHQL_RESPONSE}
        )
        assert response.status_code == 405, response.text
        assert response.headers["allow"] == "POST"
