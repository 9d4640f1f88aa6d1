"""JSON:API links a client can follow as given: absolute, on a host the service trusts.

In process (httpx's ASGI transport: the Host is the base URL's, ``studio``) and against the
real server, where uvicorn's own proxy-header handling must not decide the scheme either.
"""

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any
from uuid import uuid4

import httpx
import pytest

from app.scenario import run_scenario, scenario_id
from app.service.origin import HostPolicy
from app.settings import ServiceSection
from tests.support.jsonapi import WRITE, assert_jsonapi, error_of, in_process
from tests.support.live_service import LiveService

PRODUCTION = scenario_id("production")
EVIL = "attacker.example"


def links_of(value: Any) -> Iterator[str]:
    """Every link of a document: the values of each ``links`` member, at any depth."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "links":
                yield from (v for v in item.values() if v is not None)
            else:
                yield from links_of(item)
    elif isinstance(value, list):
        for item in value:
            yield from links_of(item)


@pytest.fixture
async def api() -> AsyncIterator[httpx.AsyncClient]:
    async with in_process() as (client, container):
        await run_scenario(container.interactors)
        yield client


def movie() -> str:
    return json.dumps({"data": {"type": "movies", "attributes": {"title": "Links"}}})


async def test_happy_path_every_link_and_location_is_absolute_on_the_requests_host(
    api: httpx.AsyncClient,
) -> None:
    pages = await api.get("/api/shoot-days", params={"page[size]": "1", "include": "location"})
    compound = await api.get(
        "/api/productions", params={"include": "movie,shoot_days.location,employees"}
    )
    one = await api.get(f"/api/productions/{PRODUCTION}", params={"include": "movie"})
    created = await api.post("/api/movies", content=movie(), headers=WRITE)
    found = [link for r in (pages, compound, one, created) for link in links_of(assert_jsonapi(r))]
    assert len(found) > 20
    assert all(link.startswith("http://studio/api/") for link in found), found
    assert created.headers["location"] == f"http://studio/api/movies/{created.json()['data']['id']}"
    # The next page is reached by its link as given, with no base URL to join it to.
    next_page = await api.get(pages.json()["links"]["next"])
    assert next_page.status_code == 200
    assert next_page.json()["data"][0]["id"] != pages.json()["data"][0]["id"]


async def test_happy_path_public_url_is_the_origin_of_every_link_and_location() -> None:
    public = "https://studio.example.com/v1"
    async with in_process(public_url=public) as (api, container):
        await run_scenario(container.interactors)
        listing = assert_jsonapi(await api.get("/api/productions", params={"include": "movie"}))
        created = await api.post("/api/movies", content=movie(), headers=WRITE)
        # The public host is trusted: a proxy forwarding it unchanged is served.
        proxied = await api.get("/api/movies", headers={"Host": "studio.example.com"})
    found = [*links_of(listing), *links_of(assert_jsonapi(created))]
    assert all(link.startswith(f"{public}/api/") for link in found), found
    assert listing["links"]["self"] == f"{public}/api/productions?include=movie"
    assert created.headers["location"].startswith(f"{public}/api/movies/")
    assert proxied.status_code == 200


@pytest.mark.parametrize(
    "path", ["/api/movies", f"/api/productions/{PRODUCTION}", "/api/movies/", "/graphql/"]
)
async def test_unhappy_path_an_untrusted_host_is_400_and_never_reflected(
    api: httpx.AsyncClient, path: str
) -> None:
    response = await api.get(path, headers={"Host": EVIL}, follow_redirects=False)
    assert response.status_code == 400
    assert EVIL not in response.text
    assert "location" not in response.headers
    if path.startswith("/api"):
        error = error_of(response, 400)
        assert error["code"] == "untrusted_host"
        assert error["source"] == {"header": "Host"}


@pytest.mark.parametrize("host", ["studio@attacker.example", "studio:80:80", "studio/x", "st udio"])
async def test_unhappy_path_a_host_header_that_is_no_host_is_400(
    api: httpx.AsyncClient, host: str
) -> None:
    response = await api.get("/api/movies", headers={"Host": host})
    assert error_of(response, 400)["source"] == {"header": "Host"}


async def test_happy_path_the_trailing_slash_redirect_goes_to_the_trusted_origin(
    api: httpx.AsyncClient,
) -> None:
    response = await api.get("/api/movies/?page%5Bsize%5D=1", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "http://studio/api/movies?page%5Bsize%5D=1"
    async with in_process(public_url="https://studio.example.com") as (public, _):
        response = await public.get("/api/movies/", follow_redirects=False)
    assert response.headers["location"] == "https://studio.example.com/api/movies"


async def test_happy_path_x_forwarded_headers_count_from_a_trusted_proxy_only() -> None:
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "api.example.com"}
    # httpx's ASGI transport says the peer is 127.0.0.1.
    async with in_process(forwarded_allow_ips=["127.0.0.0/8"], allowed_hosts=["*.example.com"]) as (
        behind_proxy,
        _,
    ):
        trusted = await behind_proxy.get("/api/movies", headers=forwarded)
        spoofed = await behind_proxy.get(
            "/api/movies", headers={**forwarded, "X-Forwarded-Host": EVIL}
        )
        bad_scheme = await behind_proxy.get("/api/movies", headers={"X-Forwarded-Proto": "gopher"})
    async with in_process(allowed_hosts=["*.example.com"]) as (direct, _):
        ignored = await direct.get("/api/movies", headers=forwarded)
    assert trusted.json()["links"]["self"] == "https://api.example.com/api/movies"
    assert error_of(spoofed, 400)["source"] == {"header": "X-Forwarded-Host"}
    assert EVIL not in spoofed.text
    assert error_of(bad_scheme, 400)["source"] == {"header": "X-Forwarded-Proto"}
    assert ignored.json()["links"]["self"] == "http://studio/api/movies"


@pytest.mark.parametrize(
    ("allowed", "host", "trusted"),
    [
        ([], "localhost", True),
        ([], "127.0.0.1", True),
        ([], "::1", True),
        ([], "10.1.2.3", True),  # the address the request arrived at
        ([], "studio.example.com", False),
        (["studio.example.com"], "STUDIO.example.com", True),
        (["*.example.com"], "api.example.com", True),
        (["*.example.com"], "example.com.attacker.example", False),
        (["*"], "anything.example", True),
        (["[fd00::1]"], "fd00::1", True),
    ],
)
def test_happy_path_the_host_policy_trusts_loopback_the_bound_address_and_the_listed_hosts(
    allowed: list[str], host: str, trusted: bool
) -> None:
    policy = HostPolicy(ServiceSection(allowed_hosts=allowed))
    assert policy.trusts_host(host.lower(), ("10.1.2.3", 8000)) is trusted


@pytest.mark.server
def test_happy_path_a_client_without_a_base_url_follows_the_real_servers_links(
    live: LiveService,
) -> None:
    token = {"Authorization": f"Bearer {live.token}", "Content-Type": WRITE["Content-Type"]}
    tag = uuid4().hex
    with httpx.Client() as client:
        for n in range(3):
            body = {"data": {"type": "movies", "attributes": {"title": f"{tag} {n}"}}}
            created = client.post(f"{live.base_url}/api/movies", json=body, headers=token)
            assert created.headers["location"].startswith(f"{live.base_url}/api/movies/")
        url: str | None = f"{live.base_url}/api/movies?page%5Bsize%5D=2"
        seen = 0
        while url is not None:
            page = client.get(url)
            assert page.status_code == 200, page.text
            seen += len(page.json()["data"])
            url = page.json()["links"]["next"]
        assert seen >= 3
        # uvicorn believes X-Forwarded-Proto from 127.0.0.1 unless told not to: the service
        # decides (forwarded_allow_ips is empty here), so the links stay on http.
        spoofed = client.get(f"{live.base_url}/api/movies", headers={"X-Forwarded-Proto": "https"})
        assert spoofed.json()["links"]["self"].startswith(f"{live.base_url}/api/movies")
        untrusted = client.get(f"{live.base_url}/api/movies/", headers={"Host": EVIL})
        assert untrusted.status_code == 400
        assert "location" not in untrusted.headers
