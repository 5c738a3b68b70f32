"""GET /api/v2/search and Query.search: ranking, filters, bounds, cube fields, beacons, degradation."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import pytest
from starlette.applications import Starlette

from fleet.faults import FleetFaults
from fleet.store import FleetStore
from gateway.app import create_app
from gateway.beacons import verify_token
from gateway.settings import Settings
from resolvers.cube import cube_quadrant
from tests.conftest import running

Gateway = tuple[Starlette, httpx.AsyncClient]


async def search(gateway: Gateway, key: str, **params: str) -> httpx.Response:
    _app, client = gateway
    return await client.get("/api/v2/search", params=params, headers={"X-API-Key": key})


async def test_the_answer_shape_and_its_beacon(gateway: Gateway, api_key: str) -> None:
    app, _client = gateway
    response = await search(gateway, api_key, q="Chemical Brothers", grain="artist", limit="1")
    body = response.json()
    assert response.status_code == 200
    assert list(body) == ["q", "search_event_id", "beacon", "state", "reason", "results"]
    assert re.fullmatch(r"sev_[A-Za-z0-9_-]{24}", body["search_event_id"])
    assert verify_token(body["beacon"]["token"], app.state.services.beacon_secret) == body["search_event_id"]
    assert (body["state"], body["reason"]) == ("present", None)
    assert body["results"] == [
        {
            "grain": "artist",
            "cluster_id": body["results"][0]["cluster_id"],
            "name": "The Chemical Brothers",
            "slug": "chemical-brothers",
        }
    ]


async def test_every_sample_artist_is_found_by_every_spelling(
    gateway: Gateway, api_key: str, fleet_store: FleetStore
) -> None:
    for artist in fleet_store.samples("artist", 40):
        for variant in artist["variants"]:
            body = (await search(gateway, api_key, q=variant.replace(" (2)", ""), grain="artist", limit="50")).json()
            assert artist["cluster_id"] in [hit["cluster_id"] for hit in body["results"]], variant


async def test_prefixes_and_words_match(gateway: Gateway, api_key: str) -> None:
    for q in ("chemical bro", "CHEM", "brothers chemical", "Chémical"):
        names = [
            hit["name"] for hit in (await search(gateway, api_key, q=q, grain="artist", limit="50")).json()["results"]
        ]
        assert "The Chemical Brothers" in names, q


async def test_grain_filter_and_limit(gateway: Gateway, api_key: str) -> None:
    body = (await search(gateway, api_key, q="records", grain="label", limit="7")).json()
    assert len(body["results"]) == 7 and {hit["grain"] for hit in body["results"]} == {"label"}
    mixed = (await search(gateway, api_key, q="open air", grain="festival,artist", limit="50")).json()
    assert {hit["grain"] for hit in mixed["results"]} <= {"festival", "artist"}


async def test_a_list_parameter_may_also_be_repeated(gateway: Gateway, api_key: str) -> None:
    """`grain=festival&grain=artist` (OpenAPI's exploded form, what generated clients send) is
    `grain=festival,artist`; a scalar parameter given twice is still a 400."""
    _app, client = gateway
    headers = {"X-API-Key": api_key}
    comma = await client.get("/api/v2/search?q=open+air&grain=festival,artist&limit=50", headers=headers)
    repeated = await client.get("/api/v2/search?q=open+air&grain=festival&grain=artist&limit=50", headers=headers)
    assert comma.json()["results"] == repeated.json()["results"] != []
    twice = await client.get("/api/v2/search?q=x&limit=5&limit=6", headers=headers)
    assert twice.status_code == 400 and twice.json()["error"]["details"][0]["code"] == "duplicate"


@pytest.mark.parametrize(
    ("params", "path", "message"),
    [
        ({"q": "x", "limit": "0"}, "limit", "limit must be a whole number from 1 to 50"),
        ({"q": "x", "limit": "51"}, "limit", "limit must be a whole number from 1 to 50"),
        ({"q": "x", "limit": "ten"}, "limit", "limit must be a whole number from 1 to 50"),
        # Unicode digits: "²" is a digit to str.isdigit() but not to int(); "٣" is 3 to both.
        ({"q": "x", "limit": "²"}, "limit", "limit must be a whole number from 1 to 50"),
        ({"q": "x", "limit": "٣"}, "limit", "limit must be a whole number from 1 to 50"),
        ({"q": "x", "grain": "song"}, "grain", "grain takes a comma list of artist, label, festival, master"),
        ({"q": "x", "grain": ""}, "grain", "grain takes a comma list of artist, label, festival, master"),
        ({"q": ""}, "q", "q must not be empty"),
        ({"q": "y" * 513}, "q", "q must be at most 512 characters (got 513)"),
    ],
)
async def test_bad_parameters_are_400(
    gateway: Gateway, api_key: str, params: dict[str, str], path: str, message: str
) -> None:
    response = await search(gateway, api_key, **params)
    assert response.status_code == 400
    assert response.json()["error"]["details"] == [{"path": path, "message": message, "code": "invalid"}]


async def test_no_match_is_an_empty_200(gateway: Gateway, api_key: str) -> None:
    response = await search(gateway, api_key, q="zzqqxxv")
    assert (response.status_code, response.json()["state"], response.json()["results"]) == (200, "empty", [])


async def test_master_rows_classify_like_discography_rows(
    gateway: Gateway, api_key: str, fleet_store: FleetStore
) -> None:
    _app, client = gateway
    artist = fleet_store.samples("artist", 1)[0]
    dossier = (
        await client.get(f"/api/v2/artist/{artist['cluster_id']}?fields=discography", headers={"X-API-Key": api_key})
    ).json()
    for row in dossier["discography"]["data"]["release_groups"][:10]:
        hits = (await search(gateway, api_key, q=row["title"], grain="master", limit="50")).json()["results"]
        same = [h for h in hits if h["discogsMasterId"] == row["discogsMasterId"]]
        assert same, row["title"]
        hit = same[0]
        assert hit["cube_quadrant"] == row["cube_quadrant"]
        assert (hit["owner_count"], hit["dj_count"], hit["critic_count"]) == (
            row["owner_count"],
            row["dj_count"],
            row["critic_count"],
        )
        assert hit["cube_quadrant"] == cube_quadrant(hit["owner_count"], hit["dj_count"], hit["critic_count"])
        assert hit["link_to_cube"] == f"/cube?artist={artist['cluster_id']}&master={row['discogsMasterId']}"


async def test_graphql_search_agrees_with_rest(gateway: Gateway, api_key: str) -> None:
    _app, client = gateway
    rest = (await search(gateway, api_key, q="chem", limit="10")).json()
    query = '{ search(q: "chem", limit: 10) { state results { __typename ... on ArtistHit { clusterId } ... on MasterHit { discogsMasterId } ... on LabelHit { labelId } ... on FestivalHit { festivalId } } } }'
    gql = (await client.post("/graphql", json={"query": query}, headers={"X-API-Key": api_key})).json()["data"][
        "search"
    ]
    ids = [
        h.get("clusterId") or h.get("discogsMasterId") or h.get("labelId") or h.get("festivalId")
        for h in gql["results"]
    ]
    rest_ids = [
        h.get("discogsMasterId") if h["grain"] == "master" else h.get(f"{h['grain']}_id", h.get("cluster_id"))
        for h in rest["results"]
    ]
    assert ids == rest_ids and gql["state"] == rest["state"]


async def test_a_search_beacon_is_accepted_once(gateway: Gateway, api_key: str) -> None:
    _app, client = gateway
    body = (await search(gateway, api_key, q="bjork")).json()
    headers = {"Authorization": f"Bearer {body['beacon']['token']}"}
    payload = {"search_event_id": body["search_event_id"], "result_count": len(body["results"])}
    first = await client.post("/api/v2/search-events/observed", json=payload, headers=headers)
    second = await client.post("/api/v2/search-events/observed", json=payload, headers=headers)
    assert (first.status_code, second.status_code) == (202, 204)


async def test_a_failing_index_is_a_degraded_200(make_settings: Callable[..., Settings]) -> None:
    app = create_app(make_settings(fleet_faults=FleetFaults(fail=frozenset({"search-index"}))))
    async with running(app) as client:
        key = app.state.services.keys.create("test")[1]
        response = await client.get("/api/v2/search", params={"q": "bjork"}, headers={"X-API-Key": key})
    body = response.json()
    assert response.status_code == 200
    assert (body["state"], body["reason"], body["results"]) == ("degraded", "search-index http error", [])
