"""The manifest is generated from the registry and the schema, and lists every grain."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from schema.registry import ARTIST_FACETS

Gateway = tuple[Starlette, httpx.AsyncClient]


async def test_the_manifest_lists_every_grain_and_facet(gateway: Gateway, api_key: str) -> None:
    _app, client = gateway
    response = await client.get("/api/v2/dossier/manifest", headers={"X-API-Key": api_key})
    assert response.status_code == 200 and response.headers["etag"]
    body = response.json()
    grains = body["grains"]
    assert list(grains) == ["artist", "label", "festival", "song", "master"]
    assert grains["song"] == {"available": False, "reason": "the fleet has no track key, so songs cannot be joined"}
    assert grains["master"] == {
        "available": False, "demoted": True, "see": "artist.discography",
        "reason": "a release group is a dimension of its artist: read it in the artist's discography facet",
    }  # fmt: skip
    assert grains["label"]["key"] == "label_id" and grains["festival"]["key"] == "festival_id"
    assert [f["name"] for f in grains["label"]["facets"]] == ["identity", "lineage", "collector"]
    assert [f["name"] for f in grains["festival"]["facets"]] == ["identity", "editions"]
    assert grains["label"]["envelope"][2] == {
        "name": "label_id",
        "type": "String",
        "description": "the canonical id; null when unresolved",
    }
    lineage = next(f for f in grains["label"]["facets"] if f["name"] == "lineage")
    assert lineage["provenance"]["sourceTable"] == "label_lineage"
    artist = grains["artist"]
    assert [f["name"] for f in artist["facets"]] == ["identity", *(s.name for s in ARTIST_FACETS)]
    assert [e["name"] for e in artist["envelope"]] == ["key", "grain", "cluster_id", "resolved_via", "generated_at",
                                                        "provenance"]  # fmt: skip
    collector = next(f for f in artist["facets"] if f["name"] == "collector")
    assert collector["provenance"] == {"field": "collector", "producer": "discogs-collector",
                                       "sourceTable": "artist_community", "refreshCadence": "weekly",
                                       "tier": "canonical", "honestGapState": "honest_gap"}  # fmt: skip
    assert collector["fields"][0] == {"name": "owners", "type": "Int!",
                                      "description": "collections holding any of the release groups (have)"}  # fmt: skip
    top = next(f for f in collector["fields"] if f["name"] == "top_releases")
    assert top["type"] == "[TopRelease!]!"
    assert [f["name"] for f in top["fields"]] == ["discogsMasterId", "title", "owners"]


async def test_rest_and_graphql_manifests_are_the_same(gateway: Gateway, api_key: str) -> None:
    _app, client = gateway
    headers = {"X-API-Key": api_key}
    rest = (await client.get("/api/v2/dossier/manifest", headers=headers)).json()
    gql = (await client.post("/graphql", json={"query": "{ manifest }"}, headers=headers)).json()
    assert gql["data"]["manifest"] == rest


async def test_every_served_facet_field_is_in_the_manifest(gateway: Gateway, api_key: str) -> None:
    _app, client = gateway
    headers = {"X-API-Key": api_key}
    manifest = (await client.get("/api/v2/dossier/manifest", headers=headers)).json()
    documented = {f["name"]: {field["name"] for field in f["fields"]} for f in manifest["grains"]["artist"]["facets"]}
    body = (await client.get("/api/v2/artist/chemical-brothers", headers=headers)).json()
    assert set(body["identity"]) == documented["identity"] - {"as_of"}
    for spec in ARTIST_FACETS:
        if body[spec.name]["data"] is not None:
            assert set(body[spec.name]["data"]) == documented[spec.name], spec.name
