"""Label and festival dossiers: lineage (cycles and depth cut), collectors, de-fragmented festivals,
editions joined to artist identity, batching, links between grains, REST = GraphQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from fleet.store import FleetStore
from gateway.app import create_app
from gateway.settings import Settings
from producers.outcomes import Found, Missing
from resolvers.identity_norm import cluster_id, pe_norm_v1, slug_for
from resolvers.label import MAX_LINEAGE_DEPTH, walk_lineage
from rest_compat.dossier import document
from rest_compat.table import GraphQLCall, execute, snake_keys
from schema.registry import GRAINS
from tests.conftest import running

Client = tuple[Starlette, httpx.AsyncClient, str]


@pytest.fixture
async def client(make_settings: Callable[..., Settings]) -> AsyncIterator[Client]:
    app = create_app(make_settings(cache_max_bytes=0))
    async with running(app) as http:
        yield app, http, app.state.services.keys.create("test")[1]


async def get(client: Client, path: str) -> httpx.Response:
    _app, http, key = client
    return await http.get(path, headers={"X-API-Key": key})


def expected_chain(store: FleetStore, label_id: str) -> list[dict[str, str]]:
    chain, current = [], label_id
    while current is not None and current not in {step["label_id"] for step in chain}:
        row = store.row("label_lineage", current)
        chain.append({"label_id": current, "name": row["name"], "slug": slug_for(pe_norm_v1(row["name"]) or "")})
        current = row["parent_label_id"]
    return chain


async def test_a_label_dossier(client: Client, fleet_store: FleetStore) -> None:
    sample = fleet_store.samples("label", 5)[4]  # the bottom of the demo's four-deep chain
    response = await get(client, f"/api/v2/label/{sample['slug']}")
    body = response.json()
    assert response.status_code == 200 and response.headers["etag"]
    assert list(body) == [
        "key",
        "grain",
        "label_id",
        "resolved_via",
        "generated_at",
        "provenance",
        "identity",
        "lineage",
        "collector",
    ]
    assert (body["grain"], body["label_id"], body["resolved_via"]) == ("label", sample["label_id"], "discogs")
    row = fleet_store.row("labels", sample["label_id"])
    assert body["identity"] == {
        "label_id": sample["label_id"],
        "name": sample["name"],
        "slug": sample["slug"],
        "aliases": row["aliases"],
        "discogs_label_id": row["discogs_label_id"],
    }
    chain = expected_chain(fleet_store, sample["label_id"])
    assert body["lineage"]["data"] == {"chain": chain, "depth": 4, "complete": True, "cut_reason": None}
    assert chain[1]["name"] == sample["parent"]
    community = fleet_store.row("label_community", sample["label_id"])
    assert body["collector"]["data"] == {
        "owners": community["owners"],
        "wants": community["wants"],
        "want_have_ratio": round(community["wants"] / community["owners"], 3) if community["owners"] else None,
        "catalogue_size": community["catalogue_size"],
    }
    assert [p["sourceTable"] for p in body["provenance"]] == ["labels", "label_lineage", "label_community"]


async def test_a_label_inside_the_raw_cycle_answers_with_the_chain_cut(client: Client, fleet_store: FleetStore) -> None:
    cycle = fleet_store.meta["label_cycle"]
    names = [fleet_store.row("labels", lid)["name"] for lid in cycle]
    for start in range(3):
        response = await get(client, f"/api/v2/label/{cycle[start]}")
        assert response.status_code == 200
        lineage = response.json()["lineage"]
        order = [cycle[(start + i) % 3] for i in range(3)]
        assert [step["label_id"] for step in lineage["data"]["chain"]] == order
        assert lineage["state"] == "present"
        assert lineage["data"]["complete"] is False
        assert lineage["data"]["cut_reason"] == (f"cycle: {names[(start + 2) % 3]} names {names[start]} as its parent")


async def test_a_chain_deeper_than_16_is_cut() -> None:
    rows = {f"L{n}": {"label_id": f"L{n}", "name": f"Label {n}", "parent_label_id": f"L{n + 1}"} for n in range(30)}

    class Rows:
        async def load(self, producer: str, table: str, key: str) -> Any:
            return Found(rows[key], "2026-12-04T00:00:00Z") if key in rows else Missing("2026-12-04T00:00:00Z")

    outcome = await walk_lineage("L0", Rows())  # type: ignore[arg-type]
    assert isinstance(outcome, Found)
    assert len(outcome.row["chain"]) == MAX_LINEAGE_DEPTH + 1
    assert outcome.row["cut_reason"] == f"deeper than {MAX_LINEAGE_DEPTH} parents"


@pytest.mark.parametrize(
    ("key", "status", "code"),
    [("discogs:1", 400, "invalid_request"), ("mbid:x", 400, "invalid_request"), ("no-such-label", 200, None)],
)
async def test_label_addressing(client: Client, key: str, status: int, code: str | None) -> None:
    response = await get(client, f"/api/v2/label/{key}")
    assert response.status_code == status
    if code:
        scheme = key.split(":")[0]
        message = f"{scheme}: keys are not label addresses; use the label_id or the label's slug"
        assert response.json() == {
            "error": {
                "code": code,
                "message": message,
                "details": [{"path": "key", "message": message, "code": code}],
                "request_id": response.headers["x-request-id"],
            },
            "valid_forms": ["a 64-hex label_id", "the label's slug, e.g. warp-records"],
        }
    else:
        body = response.json()
        assert (body["label_id"], body["resolved_via"], body["identity"]) == (None, None, None)
        assert body["lineage"]["state"] == "honest_gap"


async def test_label_fields(client: Client, fleet_store: FleetStore) -> None:
    slug = fleet_store.samples("label", 1)[0]["slug"]
    trimmed = (await get(client, f"/api/v2/dossier/label/{slug}?fields=lineage")).json()
    assert list(trimmed)[-1] == "lineage" and "identity" not in trimmed
    bad = await get(client, f"/api/v2/label/{slug}?fields=editions")
    assert bad.status_code == 400
    assert bad.json()["valid_fields"] == ["identity", "lineage", "collector"]
    assert bad.json()["example"] == f"/api/v2/label/{slug}?fields=identity,lineage"


async def test_every_fragment_spelling_addresses_the_same_festival(client: Client, fleet_store: FleetStore) -> None:
    for sample in fleet_store.samples("festival", 25):
        for raw in sample["fragments"]:
            body = (
                await get(client, f"/api/v2/dossier/festival/{slug_for(str(pe_norm_v1(raw)))}?fields=identity")
            ).json()
            assert (body["festival_id"], body["resolved_via"]) == (sample["festival_id"], "cluster"), raw
            assert body["identity"]["name"] == sample["name"]
            assert [f["raw_name"] for f in body["identity"]["fragments"]] == sample["fragments"]


async def test_editions_are_consolidated_and_joined(client: Client, fleet_store: FleetStore) -> None:
    sample = fleet_store.samples("festival", 1)[0]
    body = (await get(client, f"/api/v2/dossier/festival/{sample['slug']}")).json()
    data = body["editions"]["data"]
    alias = fleet_store.row("festival_aliases", sample["festival_id"])
    filed: dict[int, list[dict[str, Any]]] = {}
    for frag in alias["fragment_ids"]:
        for edition in fleet_store.row("editions", frag) or []:
            filed.setdefault(edition["year"], []).append(edition)
    assert [e["year"] for e in data["editions"]] == sorted(filed)
    for edition in data["editions"]:
        raw = filed[edition["year"]]
        assert edition["start_date"] == min(e["start_date"] for e in raw)
        assert edition["end_date"] == max(e["end_date"] for e in raw if e["end_date"])
        assert not edition["city"].isupper()
        names = [entry["raw_name"] for entry in edition["lineup"]]
        merged: dict[str, str] = {}
        for filed_edition in raw:  # the fragments' order; an act spelled twice keeps its first spelling
            for act in filed_edition["lineup"]:
                merged.setdefault(pe_norm_v1(act) or act, act)
        assert names == list(merged.values())
        for entry in edition["lineup"]:
            known = fleet_store.row("clusters", str(cluster_id(entry["raw_name"])))
            if known is None:  # kept, as an honest gap
                assert entry == {"raw_name": entry["raw_name"], "cluster_id": None, "resolved_via": None, "slug": None}
            else:
                bound = fleet_store.row("discogs_bind", known["cluster_id"]) is not None
                assert entry == {
                    "raw_name": entry["raw_name"],
                    "cluster_id": known["cluster_id"],
                    "resolved_via": "discogs" if bound else "cluster",
                    "slug": known["slug"],
                }
    assert data["acts"] == sum(len(e["lineup"]) for e in data["editions"])
    assert 0 < data["resolved_acts"] < data["acts"]


async def test_an_unknown_festival_is_a_200_with_identity_null(client: Client) -> None:
    response = await get(client, "/api/v2/dossier/festival/no-such-festival")
    body = response.json()
    assert response.status_code == 200
    assert (body["festival_id"], body["resolved_via"], body["identity"]) == (None, None, None)
    assert body["editions"]["state"] == "honest_gap"
    assert body["editions"]["reason"] == "no festival with this key is known to the identity graph"


async def stats(app: Starlette) -> dict[str, Any]:
    transport = httpx.ASGITransport(app=app.state.services.fleet_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://fleet") as fleet:
        return (await fleet.get("/fleet/stats")).json()


async def test_a_whole_festival_makes_one_batch_per_table(client: Client, fleet_store: FleetStore) -> None:
    app, _http, _key = client
    biggest = max(fleet_store.samples("festival", 25), key=lambda f: len(f["fragments"]))
    body = (await get(client, f"/api/v2/dossier/festival/{biggest['slug']}")).json()
    assert body["editions"]["data"]["acts"] > 50
    calls = {t: v["calls"] for tables in (await stats(app))["producers"].values() for t, v in tables.items()}
    assert set(calls) == {"festival_aliases", "festival_fragments", "editions", "clusters", "discogs_bind"}
    assert set(calls.values()) == {1}


async def test_clients_can_walk_between_grains(client: Client, fleet_store: FleetStore) -> None:
    artist = next(
        a for a in fleet_store.samples("artist", 40) if "live" in a["facets"] and "discography" in a["facets"]
    )
    body = (await get(client, f"/api/v2/artist/{artist['cluster_id']}?fields=live,discography")).json()
    festivals = body["live"]["data"]["festivals"]
    assert festivals
    for slug in festivals[:3]:
        festival = (await get(client, f"/api/v2/dossier/festival/{slug}")).json()
        assert festival["identity"]["slug"] == slug
        acts = [e["cluster_id"] for ed in festival["editions"]["data"]["editions"] for e in ed["lineup"]]
        assert artist["cluster_id"] in acts  # artist -> festival -> back to the artist and other acts
    label_id = body["discography"]["data"]["release_groups"][0]["labels"][0]["label_id"]
    label = (await get(client, f"/api/v2/label/{label_id}")).json()
    assert label["identity"]["label_id"] == label_id
    parent = label["lineage"]["data"]["chain"][1:2]
    if parent:
        assert (await get(client, f"/api/v2/label/{parent[0]['label_id']}")).json()["identity"]["name"] == parent[0][
            "name"
        ]


@pytest.mark.parametrize("grain", ["label", "festival"])
async def test_rest_and_graphql_agree_for_every_sample(client: Client, fleet_store: FleetStore, grain: str) -> None:
    app, _http, _key = client
    schema, services = app.state.schema, app.state.services
    samples = fleet_store.samples(grain, 100)
    argument = "slug" if grain == "festival" else "key"
    path = "/api/v2/dossier/festival/" if grain == "festival" else "/api/v2/label/"
    for sample in samples:
        call = GraphQLCall(document(schema._schema, grain, GRAINS[grain].fields), {argument: sample["slug"]}, {})
        data = (await execute(schema, call, services.context("t", None), "test"))[grain]
        rest = (await get(client, path + sample["slug"])).json()
        assert rest[GRAINS[grain].id_field] == data[f"{grain}Id"]
        for spec in GRAINS[grain].facets:
            facet = data[spec.graphql_name]
            assert rest[spec.name] == snake_keys({**facet, "state": facet["state"].lower()})
        identity = dict(data["identity"])
        identity.pop("asOf")
        assert rest["identity"] == snake_keys(identity)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/api/v2/artist/", "an artist key is 1 to 512 characters, not blank"),
        ("/api/v2/label/", "a label key is 1 to 512 characters, not blank"),
        ("/api/v2/dossier/festival/", "a festival slug is 1 to 512 characters, not blank"),
    ],
)
@pytest.mark.parametrize("key", ["x" * 513, "%20%09", "%0D"])
async def test_over_long_and_blank_keys_are_400(client: Client, path: str, message: str, key: str) -> None:
    """`details` names the route's path parameter, `key`, whatever the GraphQL argument is called."""
    response = await get(client, path + key)
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid_request",
            "message": message,
            "details": [{"path": "key", "message": message, "code": "invalid_request"}],
            "request_id": response.headers["x-request-id"],
        }
    }
