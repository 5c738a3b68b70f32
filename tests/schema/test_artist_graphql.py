"""The Artist type over /graphql: batching across artists, laziness, limits, agreement with REST."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import orjson
import pytest
from starlette.applications import Starlette

from fleet.faults import FleetFaults
from fleet.store import FleetStore
from gateway.app import create_app
from gateway.settings import Settings
from rest_compat.dossier import selection
from rest_compat.table import snake_keys
from schema.registry import ARTIST_FACETS
from schema.root import build_schema
from tests.conftest import running

IDENTITY_TABLES = {"clusters", "discogs_bind"}


@pytest.fixture
async def fresh(make_settings: Callable[..., Settings]) -> AsyncIterator[tuple[Starlette, httpx.AsyncClient, str]]:
    """A gateway with its cache off, so fleet stats count every call."""
    app = create_app(make_settings(cache_max_bytes=0))
    async with running(app) as client:
        yield app, client, app.state.services.keys.create("test")[1]


async def graphql(client: httpx.AsyncClient, key: str, query: str, **variables: Any) -> httpx.Response:
    return await client.post("/graphql", json={"query": query, "variables": variables}, headers={"X-API-Key": key})


async def stats(app: Starlette) -> dict[str, Any]:
    transport = httpx.ASGITransport(app=app.state.services.fleet_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://fleet") as fleet:
        return (await fleet.get("/fleet/stats")).json()


def every_facet(app: Starlette) -> str:
    schema = app.state.schema._schema
    artist = schema.type_map["Artist"]
    return selection(artist)


async def test_100_artists_with_every_facet_make_one_batch_per_table(
    fresh: tuple[Starlette, httpx.AsyncClient, str], fleet_store: FleetStore
) -> None:
    app, client, key = fresh
    slugs = [row["slug"] for _, row in zip(range(100), (r for _, r in fleet_store.scan("clusters")), strict=False)]
    query = "query($keys: [String!]!) { artists(keys: $keys) " + every_facet(app) + " }"
    response = await graphql(client, key, query, keys=slugs)
    body = response.json()
    assert response.status_code == 200 and "errors" not in body
    assert [a["identity"]["slug"] for a in body["data"]["artists"]] == slugs
    calls = {(p, t): v["calls"] for p, tables in (await stats(app))["producers"].items() for t, v in tables.items()}
    touched = {spec.table for spec in ARTIST_FACETS} | IDENTITY_TABLES
    assert {t for _, t in calls} == touched
    assert set(calls.values()) == {1}


async def test_identity_alone_touches_only_identity_tables(fresh: tuple[Starlette, httpx.AsyncClient, str]) -> None:
    app, client, key = fresh
    response = await graphql(client, key, '{ artists(keys: ["bjork", "burial"]) { clusterId identity { name } } }')
    assert response.json()["data"]["artists"][0]["identity"]["name"] == "Björk"
    producers = (await stats(app))["producers"]
    assert producers == {
        "identity-graph": {"clusters": {"calls": 1, "keys": 2}, "discogs_bind": {"calls": 1, "keys": 2}}
    }


async def test_a_degraded_facet_is_data_not_an_error(make_settings: Callable[..., Settings]) -> None:
    app = create_app(make_settings(fleet_faults=FleetFaults(fail=frozenset({"mb-works"}))))
    async with running(app) as client:
        key = app.state.services.keys.create("test")[1]
        body = (
            await graphql(
                client, key, '{ artist(key: "bjork") { compositions { state reason data { works { title } } } } }'
            )
        ).json()
    assert body == {
        "data": {"artist": {"compositions": {"state": "DEGRADED", "reason": "mb-works http error", "data": None}}}
    }


async def test_a_foreign_locator_is_an_error_with_a_code_and_next(
    fresh: tuple[Starlette, httpx.AsyncClient, str],
) -> None:
    _app, client, key = fresh
    body = (await graphql(client, key, '{ artist(key: "discogs:45") { key } }')).json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {
        "code": "foreign_locator",
        "field": "key",
        "next": "/api/v2/resolve?q=discogs%3A45",
    }


async def test_more_than_100_keys_is_refused(fresh: tuple[Starlette, httpx.AsyncClient, str]) -> None:
    app, client, key = fresh
    body = (await graphql(client, key, "query($k: [String!]!) { artists(keys: $k) { key } }", k=["a"] * 101)).json()
    assert body["errors"][0]["message"] == "at most 100 keys per call (got 101)"
    assert body["errors"][0]["extensions"]["code"] == "invalid_request"
    assert (await stats(app))["batch_calls"] == 0


HOSTILE = {
    "circular fragments": ("query { ...A } fragment A on Query { ...B } fragment B on Query { ...A artist(key: \"bjork\") { key } }",
                           "graphql_validation_failed"),
    "alias bomb": ("{ " + " ".join(f'a{i}: artist(key: "bjork") {{ live {{ state }} }}' for i in range(200)) + " }",
                   "too_many_aliases"),
    "50-deep nesting": ('{ artist(key: "bjork") ' + "{ discography " * 50 + "}" * 51, "query_too_deep"),
    "cost": ("query($k: [String!]!) { artists(keys: $k) " + "{ " + " ".join(
        f"{s.graphql_name} {{ state reason asOf stale present data {{ __typename }} }}" for s in ARTIST_FACETS) * 4
             + " } }", "query_too_costly"),
}  # fmt: skip


@pytest.mark.parametrize("name", list(HOSTILE))
async def test_hostile_operations_are_rejected_before_any_producer_call(
    fresh: tuple[Starlette, httpx.AsyncClient, str], name: str
) -> None:
    app, client, key = fresh
    document, code = HOSTILE[name]
    response = await graphql(client, key, document, k=["bjork"] * 100)
    assert response.status_code == 200
    codes = [e["extensions"]["code"] for e in response.json()["errors"]]
    assert code in codes
    assert response.json()["data"] is None
    assert (await stats(app))["batch_calls"] == 0


async def test_a_100_kb_query_is_refused_without_a_5xx(fresh: tuple[Starlette, httpx.AsyncClient, str]) -> None:
    app, client, key = fresh
    document = "{ " + 'artist(key: "bjork") { key } ' * 4000 + "}"
    assert len(document) > 100_000
    response = await client.post("/graphql", content=orjson.dumps({"query": document}),
                                 headers={"X-API-Key": key, "content-type": "application/json"})  # fmt: skip
    assert response.status_code == 413
    small_but_many_tokens = "{ " + "__typename " * 5000 + "}"
    tokens = (await graphql(client, key, small_but_many_tokens)).json()
    assert tokens["errors"][0]["extensions"]["code"] == "too_many_tokens"
    assert (await stats(app))["batch_calls"] == 0


@pytest.mark.http
async def test_rest_and_graphql_agree_facet_by_facet(served_gateway: tuple[str, str], fleet_store: FleetStore) -> None:
    base, key = served_gateway
    headers = {"X-API-Key": key}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
        schema_doc = (await client.post("/graphql", json={"query": '{ __type(name: "Artist") { name } }'})).json()
        assert schema_doc["data"]["__type"]["name"] == "Artist"
        query = "query($k: String!) { artist(key: $k) " + selection(build_schema()._schema.type_map["Artist"]) + " }"  # type: ignore[arg-type]
        for artist in fleet_store.samples("artist", 40):
            rest = (await client.get(f"/api/v2/artist/{artist['cluster_id']}")).json()
            gql = (
                await client.post("/graphql", json={"query": query, "variables": {"k": artist["cluster_id"]}})
            ).json()
            data = gql["data"]["artist"]
            assert rest["cluster_id"] == data["clusterId"] and rest["resolved_via"] == data["resolvedVia"].lower()
            for spec in ARTIST_FACETS:
                facet_rest, facet_gql = rest[spec.name], data[spec.graphql_name]
                assert facet_rest["state"] == facet_gql["state"].lower()
                assert facet_rest["as_of"] == facet_gql["asOf"] and facet_rest["reason"] == facet_gql["reason"]
                assert (facet_rest["data"] is None) == (facet_gql["data"] is None)
                if facet_rest["data"] is not None:
                    assert facet_rest["data"] == snake_keys(facet_gql["data"])
            assert rest["identity"]["name"] == data["identity"]["name"]
