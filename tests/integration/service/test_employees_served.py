"""Employee, declared once, is served on both APIs with relationships both ways."""

import json

from app.scenario import run_scenario, scenario_id
from tests.support.jsonapi import WRITE, assert_jsonapi, in_process

PRODUCTION = str(scenario_id("production"))


async def test_happy_path_employees_on_jsonapi_and_graphql_with_their_production() -> None:
    async with in_process() as (api, container):
        await run_scenario(container.interactors)
        body = {
            "data": {
                "type": "employees",
                "attributes": {"name": "Ada", "role": "gaffer"},
                "relationships": {
                    "production": {"data": {"type": "productions", "id": PRODUCTION}}
                },
            }
        }
        created = await api.post("/api/employees", content=json.dumps(body), headers=WRITE)
        employee = assert_jsonapi(created)["data"]
        assert employee["relationships"]["production"]["data"]["id"] == PRODUCTION
        crew = await api.get(f"/api/productions/{PRODUCTION}", params={"include": "employees"})
        assert [r["id"] for r in assert_jsonapi(crew)["included"]] == [employee["id"]]
        query = """query($p: ID!) { production(id: $p) { employees { edges { node {
            name role production { id } } } } }
            employees(filter: {roles: [GAFFER]}) { edges { node { id } } } }"""
        answer = await api.post("/graphql", json={"query": query, "variables": {"p": PRODUCTION}})
        data = answer.json()["data"]
        node = data["production"]["employees"]["edges"][0]["node"]
        assert node == {"name": "Ada", "role": "GAFFER", "production": {"id": PRODUCTION}}
        assert [e["node"]["id"] for e in data["employees"]["edges"]] == [employee["id"]]


async def test_happy_path_the_openapi_document_describes_employees() -> None:
    async with in_process() as (api, _):
        spec = (await api.get("/api/openapi.json")).json()
    assert {"/api/employees", "/api/employees/{id}"} <= set(spec["paths"])
