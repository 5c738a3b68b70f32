"""v1, frozen: three source-keyed routes with deprecation headers, and the migration page."""

from __future__ import annotations

from typing import Any

import httpx
from starlette.applications import Starlette

from fleet.store import FleetStore

Gateway = tuple[Starlette, httpx.AsyncClient]
DEPRECATION = {
    "deprecation": "@1796083200",
    "sunset": "Wed, 30 Jun 2027 00:00:00 GMT",
    "link": '</docs/migration/v1-to-v2>; rel="deprecation"',
}


async def get(gateway: Gateway, path: str) -> httpx.Response:
    app, client = gateway
    response = await client.get(path, headers={"X-API-Key": app.state.services.keys.create("test")[1]})
    assert {name: response.headers.get(name) for name in DEPRECATION} == DEPRECATION
    return response


def sample(fleet_store: FleetStore, test: Any) -> dict[str, Any]:
    return next(a for a in fleet_store.samples("artist", 40) if test(a))


async def test_an_artist_by_discogs_id(gateway: Gateway, fleet_store: FleetStore) -> None:
    artist = sample(fleet_store, lambda a: a["discogs_id"] and a["bandcamp"])
    cluster = fleet_store.row("clusters", artist["cluster_id"])
    response = await get(gateway, f"/api/v1/artists/{artist['discogs_id']}")
    assert response.status_code == 200
    assert response.json() == {
        "discogs_id": artist["discogs_id"],
        "state": "present",
        "reason": None,
        "artist": {
            "name": cluster["name"],
            "aliases": cluster["aliases"],
            "mbid": cluster["mbid"],
            "bandcamp_subdomain": artist["bandcamp"],
        },
        "v2": {"cluster_id": artist["cluster_id"], "dossier": f"/api/v2/artist/{artist['cluster_id']}"},
    }


async def test_a_master_by_discogs_master_id(gateway: Gateway, fleet_store: FleetStore) -> None:
    artist = sample(fleet_store, lambda a: "discography" in a["facets"])
    group = fleet_store.row("release_groups", artist["cluster_id"])[-1]
    response = await get(gateway, f"/api/v1/masters/{group['discogsMasterId']}")
    assert response.status_code == 200
    cid = artist["cluster_id"]
    assert response.json() == {
        "discogs_master_id": group["discogsMasterId"],
        "state": "present",
        "reason": None,
        "master": {
            "title": group["title"],
            "artist": fleet_store.row("clusters", cid)["name"],
            "year": group["year"],
            "formats": group["formats"],
            "labels": group["labels"],
            "artwork_url": group["artwork_url"],
            "owner_count": group["owner_count"],
            "want_count": group["want_count"],
        },
        "v2": {"cluster_id": cid, "discography": f"/api/v2/artist/{cid}?fields=discography"},
    }


async def test_bandcamp_releases_keep_item_ids_and_track_pages(gateway: Gateway, fleet_store: FleetStore) -> None:
    artist = sample(fleet_store, lambda a: a["bandcamp"])
    sub, cid = artist["bandcamp"], artist["cluster_id"]
    releases = fleet_store.row("bc_releases", sub)
    response = await get(gateway, f"/api/v1/bandcamp/{sub}/releases")
    assert response.status_code == 200
    assert response.json() == {
        "subdomain": sub,
        "state": "present",
        "reason": None,
        "releases": releases,
        "v2": {"cluster_id": cid, "dossier": f"/api/v2/artist/{cid}?fields=bandcamp_emergence,bandcamp_tastemaker"},
    }
    assert all(r["track_url"].startswith(f"https://{sub}.bandcamp.com/track/") for r in releases)


async def test_unknown_entities_are_honest_gaps_not_404s(gateway: Gateway) -> None:
    artist = (await get(gateway, "/api/v1/artists/999999999")).json()
    assert artist == {
        "discogs_id": 999999999,
        "state": "honest_gap",
        "reason": "no artist with Discogs id 999999999 is known",
        "artist": None,
        "v2": None,
    }
    master = (await get(gateway, "/api/v1/masters/1")).json()
    assert (master["state"], master["master"], master["v2"]) == ("honest_gap", None, None)
    releases = (await get(gateway, "/api/v1/bandcamp/no-such-artist/releases")).json()
    assert releases == {
        "subdomain": "no-such-artist",
        "state": "honest_gap",
        "reason": "no Bandcamp artist 'no-such-artist' is known",
        "releases": [],
        "v2": None,
    }


async def test_bad_ids_are_400_and_still_deprecated(gateway: Gateway) -> None:
    for path, name in (
        ("/api/v1/artists/abc", "discogs_id"),
        ("/api/v1/artists/0", "discogs_id"),
        ("/api/v1/artists/0045", "discogs_id"),
        ("/api/v1/masters/-3", "discogs_master_id"),
        ("/api/v1/masters/99999999999999999999", "discogs_master_id"),
    ):
        response = await get(gateway, path)
        assert response.status_code == 400, path
        assert response.json()["error"]["code"] == "invalid_request"
        assert response.json()["error"]["details"] == [
            {"path": name, "message": f"{name} must be a positive whole number", "code": "invalid"}
        ]
    bad = await get(gateway, "/api/v1/bandcamp/Not_A_Subdomain/releases")
    assert bad.status_code == 400 and bad.json()["error"]["details"][0]["path"] == "subdomain"


async def test_v1_needs_a_key_like_v2(gateway: Gateway) -> None:
    _app, client = gateway
    response = await client.get("/api/v1/artists/45")
    assert response.status_code == 401 and response.json()["error"]["code"] == "missing_api_key"
    assert {name: response.headers.get(name) for name in DEPRECATION} == DEPRECATION


async def test_the_migration_page_maps_every_route(gateway: Gateway) -> None:
    _app, client = gateway
    page = await client.get("/docs/migration/v1-to-v2")  # public: a link followed from a header
    assert page.status_code == 200 and page.headers["content-type"] == "text/html; charset=utf-8"
    for old, new in (
        ("GET /api/v1/artists/{discogs_id}", "GET /api/v2/resolve?q=discogs:{discogs_id}"),
        ("GET /api/v1/masters/{discogs_master_id}", "GET /api/v2/artist/{cluster_id}?fields=discography"),
        (
            "GET /api/v1/bandcamp/{subdomain}/releases",
            "GET /api/v2/artist/{cluster_id}?fields=bandcamp_emergence,bandcamp_tastemaker",
        ),
    ):
        assert f"<td><code>{old}</code></td><td><code>{new}" in page.text
    assert "30 June 2027" in page.text and '<a href="/api/v2/openapi.json">' in page.text
