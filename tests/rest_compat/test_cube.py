"""The cube explorer page (/cube): what it shows, offline, and in a real browser."""

from __future__ import annotations

from collections import Counter

import httpx
import pytest
from starlette.applications import Starlette

from fleet.store import FleetStore
from resolvers.cube import CUBE_LABELS, cube_quadrant
from tests.browser import offline_page

Gateway = tuple[Starlette, httpx.AsyncClient]


def a_group(fleet_store: FleetStore) -> tuple[dict, dict]:
    artist = fleet_store.samples("artist", 1)[0]
    groups = fleet_store.row("release_groups", artist["cluster_id"])
    group = next(g for g in groups if g["owner_count"] is not None)
    return artist, group


async def test_the_page_shows_the_group_on_its_axes(gateway: Gateway, fleet_store: FleetStore) -> None:
    _app, client = gateway
    artist, group = a_group(fleet_store)
    response = await client.get("/cube", params={"artist": artist["cluster_id"], "master": group["discogsMasterId"]})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    quadrant = cube_quadrant(group["owner_count"], group["dj_count"], group["critic_count"])
    assert f'id="master-{group["discogsMasterId"]}"' in page
    assert f"Quadrant <b>{quadrant}</b>: {CUBE_LABELS[quadrant]}" in page
    for count, threshold in ((group["owner_count"], 50), (group["dj_count"], 5), (group["critic_count"], 2)):
        assert f"{count} (threshold {threshold})" in page
    groups = fleet_store.row("release_groups", artist["cluster_id"])
    assert f"{len(groups)} release groups placed" in page
    assert "<script" not in page and "http://" not in page and "https://" not in page  # nothing to fetch


async def test_every_quadrant_is_reachable_in_the_demo_data(fleet_store: FleetStore) -> None:
    seen = Counter(
        cube_quadrant(g["owner_count"], g["dj_count"], g["critic_count"])
        for _, groups in fleet_store.scan("release_groups")
        for g in groups
    )
    assert set(CUBE_LABELS) <= set(seen)


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({}, 400, "invalid_request"),
        ({"artist": "bjork", "master": "x1"}, 400, "invalid_request"),
        ({"artist": "discogs:1"}, 400, "foreign_locator"),
    ],
)
async def test_bad_requests(gateway: Gateway, params: dict[str, str], status: int, code: str) -> None:
    _app, client = gateway
    response = await client.get("/cube", params=params)
    assert (response.status_code, response.json()["error"]["code"]) == (status, code)


async def test_an_artist_without_release_groups_says_so(gateway: Gateway) -> None:
    _app, client = gateway
    response = await client.get("/cube", params={"artist": "nobody-at-all"})
    assert response.status_code == 200
    assert "No release groups to place" in response.text and "(honest_gap)" in response.text


@pytest.mark.http
def test_the_page_in_headless_chromium_offline(served_gateway: tuple[str, str], fleet_store: FleetStore) -> None:
    base, _key = served_gateway
    artist, group = a_group(fleet_store)
    with offline_page(f"{base}/cube?artist={artist['cluster_id']}&master={group['discogsMasterId']}") as (
        page,
        blocked,
    ):
        focus = page.locator(f"#master-{group['discogsMasterId']}")
        text = focus.inner_text()
        selected = page.locator("li.sel").inner_text()
        svg_box = focus.locator("svg").bounding_box()
    assert group["title"] in text and f"{group['owner_count']} (threshold 50)" in text
    assert group["title"] in selected  # the group is highlighted in its quadrant too
    assert svg_box is not None and svg_box["width"] > 300  # the picture is drawn
    assert blocked == []
