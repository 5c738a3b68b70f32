"""The artist dossier over REST: addressing, envelope, provenance, states, ?fields=, ETag."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from fleet.faults import FleetFaults
from fleet.store import FleetStore
from gateway.app import create_app
from gateway.settings import Settings
from producers.catalog import table
from resolvers.cube import cube_quadrant
from rest_compat.artist import ARTIST_ROUTES
from rest_compat.dossier import document
from rest_compat.table import GraphQLCall, execute
from schema.registry import ARTIST_FACETS
from tests.conftest import running

Gateway = tuple[Starlette, httpx.AsyncClient]
FACETS = [spec.name for spec in ARTIST_FACETS]
ALL_FIELDS = ["identity", *FACETS]
PROVENANCE_KEYS = ["field", "producer", "sourceTable", "refreshCadence", "tier", "honestGapState", "as_of"]


async def get(gateway: Gateway, key: str, path: str = "/api/v2/artist/", **headers: str) -> httpx.Response:
    app, client = gateway
    if "X-API-Key" not in headers:
        headers["X-API-Key"] = app.state.services.keys.create("test")[1]
    return await client.get(path + key, headers=headers)


def provenance(field: str) -> dict[str, Any]:
    if field == "identity":
        spec_producer, spec_table = "identity-graph", "clusters"
    else:
        spec = next(s for s in ARTIST_FACETS if s.name == field)
        spec_producer, spec_table = spec.producer, spec.table
    source = table(spec_producer, spec_table)
    return {"field": field, "producer": spec_producer, "sourceTable": spec_table,
            "refreshCadence": source.cadence.value, "tier": source.tier, "honestGapState": source.no_row.value}  # fmt: skip


async def test_the_full_dossier_envelope(gateway: Gateway, fleet_store: FleetStore) -> None:
    artist = fleet_store.samples("artist", 1)[0]
    response = await get(gateway, artist["slug"])
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["key", "grain", "cluster_id", "resolved_via", "generated_at", "provenance", *ALL_FIELDS]
    assert (body["key"], body["grain"], body["cluster_id"], body["resolved_via"]) == (
        "chemical-brothers", "artist", artist["cluster_id"], "discogs",
    )  # fmt: skip
    assert [list(entry) for entry in body["provenance"]] == [PROVENANCE_KEYS] * len(ALL_FIELDS)
    for entry, field in zip(body["provenance"], ALL_FIELDS, strict=True):
        assert {k: v for k, v in entry.items() if k != "as_of"} == provenance(field)
        assert entry["as_of"] is not None
    assert body["identity"] == {
        "cluster_id": artist["cluster_id"], "name": "The Chemical Brothers", "slug": "chemical-brothers",
        "aliases": artist["variants"], "tier": "canonical", "discogs_id": artist["discogs_id"],
        "mbid": artist["mbid"], "bandcamp": artist["bandcamp"], "ambiguous": False,
    }  # fmt: skip
    for name in FACETS:
        assert list(body[name]) == ["state", "present", "as_of", "stale", "reason", "data"]


async def test_states_follow_which_producers_hold_a_row(gateway: Gateway, fleet_store: FleetStore) -> None:
    for artist in fleet_store.samples("artist", 40):
        body = (await get(gateway, artist["cluster_id"])).json()
        for spec in ARTIST_FACETS:
            facet = body[spec.name]
            if spec.name in artist["facets"]:
                assert facet["state"] in ("present", "empty"), (artist["name"], spec.name)
            else:
                assert facet["state"] == spec.source.no_row.value, (artist["name"], spec.name)
                assert facet["data"] is None and facet["present"] is False
            assert facet["present"] == (facet["state"] == "present")
            assert (facet["reason"] is None) == facet["present"]
            assert facet["stale"] is False


async def test_a_hex_address_never_binds_discogs(gateway: Gateway, fleet_store: FleetStore) -> None:
    artist = fleet_store.samples("artist", 1)[0]
    body = (await get(gateway, artist["cluster_id"])).json()
    assert body["resolved_via"] == "cluster"
    assert (body["identity"]["tier"], body["identity"]["discogs_id"], body["identity"]["ambiguous"]) == (
        "observed", None, None,
    )  # fmt: skip


async def test_an_unknown_cluster_is_a_200_with_identity_null(gateway: Gateway) -> None:
    response = await get(gateway, "f" * 64)
    body = response.json()
    assert response.status_code == 200
    assert (body["cluster_id"], body["resolved_via"], body["identity"]) == ("f" * 64, "cluster", None)
    assert body["live"] == {"state": "honest_gap", "present": False, "as_of": body["live"]["as_of"], "stale": False,
                            "reason": "no artist with this key is known to the identity graph", "data": None}  # fmt: skip


async def test_an_unresolved_slug_is_a_200_never_a_404(gateway: Gateway) -> None:
    response = await get(gateway, "nobody-we-know-of")
    body = response.json()
    assert response.status_code == 200
    assert (body["cluster_id"], body["resolved_via"], body["identity"]) == (None, None, None)
    assert {body[name]["state"] for name in FACETS} == {"honest_gap"}


async def test_homonyms_are_ambiguous(gateway: Gateway) -> None:
    body = (await get(gateway, "burial")).json()
    assert body["identity"]["ambiguous"] is True
    assert body["identity"]["aliases"][:2] == ["BURIAL", "Burial"]


@pytest.mark.parametrize(
    "key", ["discogs:45", "mbid:f22942a1-6f70-4f48-866e-238cb2308fbd", "bandcamp:burial", "isrc:x"]
)
async def test_foreign_locators_are_400_with_next(gateway: Gateway, key: str) -> None:
    response = await get(gateway, key)
    scheme = key.split(":")[0]
    message = f"{scheme}: locators are not artist addresses; resolve it first"
    assert response.status_code == 400
    assert response.json() == {
        "error": {"code": "foreign_locator", "message": message,
                  "details": [{"path": "key", "message": message, "code": "foreign_locator"}],
                  "request_id": response.headers["x-request-id"]},
        "next": "/api/v2/resolve?q=" + key.replace(":", "%3A"),
    }  # fmt: skip


async def test_fields_trims_to_named_facets_and_keeps_the_envelope(gateway: Gateway) -> None:
    body = (await get(gateway, "bjork?fields=discography, identity,discography")).json()
    assert list(body) == ["key", "grain", "cluster_id", "resolved_via", "generated_at", "provenance", "identity",
                          "discography"]  # fmt: skip
    assert [entry["field"] for entry in body["provenance"]] == ["identity", "discography"]
    repeated = (await get(gateway, "bjork?fields=discography&fields=identity")).json()
    assert list(repeated) == list(body) and repeated["identity"] == body["identity"]


@pytest.mark.parametrize(
    ("fields", "message", "details"),
    [
        ("identity,nope,Live", "Unknown field(s): nope, Live. Valid fields are listed in valid_fields.",
         [{"path": "fields", "message": "unknown field 'nope'", "code": "unknown_field"},
          {"path": "fields", "message": "unknown field 'Live'", "code": "unknown_field"}]),
        ("", "fields must name at least one facet. Valid fields are listed in valid_fields.",
         [{"path": "fields", "message": "empty", "code": "empty"}]),
    ],
)  # fmt: skip
async def test_unknown_fields_are_400_with_the_valid_set(
    gateway: Gateway, fields: str, message: str, details: list[dict[str, str]]
) -> None:
    response = await get(gateway, f"bjork?fields={fields}")
    assert response.status_code == 400
    assert response.json() == {
        "error": {"code": "invalid_fields", "message": message, "details": details,
                  "request_id": response.headers["x-request-id"]},
        "valid_fields": ALL_FIELDS,
        "example": "/api/v2/artist/bjork?fields=identity,collector",
    }  # fmt: skip


async def test_etag_and_if_none_match(gateway: Gateway) -> None:
    first = await get(gateway, "bjork")
    tag = first.headers["etag"]
    assert tag.startswith('"') and len(tag) == 34
    again = await get(gateway, "bjork", **{"If-None-Match": tag})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", tag)
    assert (await get(gateway, "bjork", **{"If-None-Match": f'"other", W/{tag}'})).status_code == 304
    assert (await get(gateway, "bjork", **{"If-None-Match": '"other"'})).status_code == 200
    trimmed = await get(gateway, "bjork?fields=identity")
    assert trimmed.headers["etag"] != tag


async def test_the_dossier_route_by_slug(gateway: Gateway) -> None:
    a = (await get(gateway, "bjork")).json()
    b = (await get(gateway, "bjork", path="/api/v2/dossier/artist/")).json()
    assert {k: v for k, v in a.items() if k != "generated_at"} == {k: v for k, v in b.items() if k != "generated_at"}


async def test_discography_rows(gateway: Gateway, fleet_store: FleetStore) -> None:
    artist = fleet_store.samples("artist", 1)[0]
    rows = fleet_store.row("release_groups", artist["cluster_id"])
    body = (await get(gateway, artist["cluster_id"] + "?fields=discography")).json()
    data = body["discography"]["data"]
    assert (data["total"], data["truncated"]) == (len(rows), False)
    first, raw = data["release_groups"][0], rows[0]
    assert first == {
        "discogsMasterId": raw["discogsMasterId"], "title": raw["title"], "year": raw["year"],
        "formats": raw["formats"], "labels": raw["labels"],
        "artwork": {"url": raw["artwork_url"], "rehost": False},
        "cube_quadrant": cube_quadrant(raw["owner_count"], raw["dj_count"], raw["critic_count"]),
        "owner_count": raw["owner_count"], "dj_count": raw["dj_count"], "critic_count": raw["critic_count"],
    }  # fmt: skip


async def test_a_failing_producer_degrades_only_its_facets(make_settings: Callable[..., Settings]) -> None:
    app = create_app(make_settings(fleet_faults=FleetFaults(fail=frozenset({"bandcamp-demand"}))))
    async with running(app) as client:
        key = app.state.services.keys.create("test")[1]
        response = await client.get("/api/v2/artist/bjork", headers={"X-API-Key": key})
    body = response.json()
    assert response.status_code == 200
    for name in ("bandcamp_emergence", "bandcamp_tastemaker"):
        assert body[name] == {"state": "degraded", "present": False, "as_of": None, "stale": False,
                              "reason": "bandcamp-demand http error", "data": None}  # fmt: skip
    assert body["identity"]["name"] == "Björk"
    assert body["discography"]["state"] == "present"


async def test_stale_producers_are_flagged(make_settings: Callable[..., Settings]) -> None:
    app = create_app(make_settings(fleet_faults=FleetFaults(stale=frozenset({"booking-graph"}))))
    async with running(app) as client:
        key = app.state.services.keys.create("test")[1]
        body = (await client.get("/api/v2/artist/bjork?fields=live,web", headers={"X-API-Key": key})).json()
    assert (body["live"]["stale"], body["web"]["stale"]) == (True, False)


async def test_the_compiled_plan_equals_executing_the_document(gateway: Gateway, fleet_store: FleetStore) -> None:
    app, _client = gateway
    schema, services = app.state.schema, app.state.services
    route = ARTIST_ROUTES[0]
    assert route.plan is not None
    keys = [a["cluster_id"] for a in fleet_store.samples("artist", 40)] + [
        "chemical-brothers", "burial", "nobody-at-all", "f" * 64, "!!!", "The The",
    ]  # fmt: skip
    selections: list[tuple[str, ...]] = [tuple(ALL_FIELDS), ("discography",), ("identity", "live")]
    for key in keys:
        for facets in selections:
            call = GraphQLCall(document(schema._schema, "artist", facets), {"key": key}, {"facets": facets})
            planned = await route.plan(call, services.context("plan", None))
            executed = await execute(schema, call, services.context("exec", None), "test")
            assert planned == executed, (key, facets)
            assert list(planned["artist"]) == list(executed["artist"])  # the same order, too
