"""Tastemakers, ones-to-watch and breakouts: published snapshots read fail-soft, limits and filters."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import orjson
import pytest
from starlette.applications import Starlette

from fleet.snapshots import publish
from gateway.app import create_app
from gateway.settings import Settings
from tests.conftest import running

Client = tuple[Starlette, httpx.AsyncClient, str, Path]
DAY = 86_400


@pytest.fixture
async def client(make_settings: Callable[..., Settings], fleet_db: Path, tmp_path: Path) -> AsyncIterator[Client]:
    snapshots = tmp_path / "snapshots"
    publish(fleet_db, snapshots)
    app = create_app(make_settings(snapshot_dir_setting=snapshots))
    async with running(app) as http:
        yield app, http, app.state.services.keys.create("test")[1], snapshots


async def get(client: Client, path: str) -> httpx.Response:
    _app, http, key, _dir = client
    return await http.get(path, headers={"X-API-Key": key})


async def test_tastemakers_and_ones_to_watch(client: Client) -> None:
    body = (await get(client, "/api/v2/tastemakers")).json()
    assert list(body) == ["state", "stale", "published_at", "reason", "tastemakers"]
    assert (body["state"], body["stale"], body["reason"]) == ("present", False, None)
    assert [row["rank"] for row in body["tastemakers"]] == list(range(1, len(body["tastemakers"]) + 1))
    assert set(body["tastemakers"][0]) == {
        "rank",
        "curator",
        "own_tier",
        "brokerage_score",
        "corroborating_axes",
        "lead_time_days",
        "bandcamp_demand",
    }
    watch = (await get(client, "/api/v2/tastemakers/ones-to-watch?limit=3")).json()
    assert [row["rank"] for row in watch["ones_to_watch"]] == [1, 2, 3]
    assert set(watch["ones_to_watch"][0]) == {
        "rank",
        "cluster_id",
        "name",
        "own_tier",
        "brokerage_score",
        "corroborating_axes",
        "lead_time_days",
        "bandcamp_demand",
    }
    scores = [row["brokerage_score"] for row in watch["ones_to_watch"]]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("path", ["/api/v2/tastemakers", "/api/v2/tastemakers/ones-to-watch"])
@pytest.mark.parametrize("limit", ["0", "201", "ten", "-1", "²", "٣"])
async def test_limits_outside_1_to_200_are_400(client: Client, path: str, limit: str) -> None:
    response = await get(client, f"{path}?limit={limit}")
    assert response.status_code == 400
    assert response.json()["error"]["details"] == [
        {"path": "limit", "message": "limit must be a whole number from 1 to 200", "code": "invalid"}
    ]


async def test_200_is_the_largest_limit(client: Client) -> None:
    body = (await get(client, "/api/v2/tastemakers/ones-to-watch?limit=200")).json()
    assert len(body["ones_to_watch"]) == 200


async def test_breakouts_filter_and_clamp(client: Client) -> None:
    clamped = (await get(client, "/api/v2/breakouts?limit=5000")).json()
    assert len(clamped["breakouts"]) == 200
    rising = (await get(client, "/api/v2/breakouts?tier=rising&corroboration=booking_ahead&limit=200")).json()
    assert rising["breakouts"] and {(r["tier"], r["corroboration"]) for r in rising["breakouts"]} == {
        ("rising", "booking_ahead")
    }
    assert set(rising["breakouts"][0]) == {
        "cluster_id",
        "name",
        "tier",
        "corroboration",
        "booking_momentum",
        "press_mentions",
    }


@pytest.mark.parametrize(
    ("query", "path", "message"),
    [
        ("tier=hot", "tier", "tier must be one of breakout, rising"),
        ("corroboration=maybe", "corroboration", "corroboration must be one of corroborated, booking_ahead"),
        ("limit=0", "limit", "limit must be a whole number of at least 1"),
    ],
)
async def test_bad_breakout_filters_are_400(client: Client, query: str, path: str, message: str) -> None:
    response = await get(client, f"/api/v2/breakouts?{query}")
    assert response.status_code == 400
    assert response.json()["error"]["details"] == [{"path": path, "message": message, "code": "invalid"}]


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("missing", "no tastemakers snapshot has been published"),
        ("truncated", "the tastemakers snapshot is not JSON"),
        ("wrong shape", "the tastemakers snapshot does not have the snapshot's shape"),
        ("wrong rows", "the tastemakers snapshot does not have the snapshot's shape"),
    ],
)
async def test_a_broken_snapshot_is_degraded_at_200(client: Client, damage: str, reason: str) -> None:
    path = client[3] / "tastemakers.json"
    good = path.read_bytes()
    if damage == "missing":
        path.unlink()
    elif damage == "truncated":
        path.write_bytes(good[: len(good) // 2])
    elif damage == "wrong shape":
        path.write_bytes(b'{"rows": "nope"}')
    else:
        path.write_bytes(
            orjson.dumps(
                {"snapshot": "tastemakers", "published_at": "2026-12-01T00:00:00Z", "rows": [{"rank": "first"}]}
            )
        )
    response = await get(client, "/api/v2/tastemakers")
    assert response.status_code == 200
    assert response.json() == {
        "state": "degraded",
        "stale": False,
        "published_at": None,
        "reason": reason,
        "tastemakers": [],
    }


@pytest.mark.parametrize(("age_days", "stale"), [(8, True), (6, False)])
async def test_old_snapshots_are_stale(client: Client, fleet_db: Path, age_days: int, stale: bool) -> None:
    publish(fleet_db, client[3], now=time.time() - age_days * DAY)
    body = (await get(client, "/api/v2/breakouts?limit=1")).json()
    assert (body["state"], body["stale"]) == ("present", stale)


async def test_graphql_agrees(client: Client) -> None:
    _app, http, key, _dir = client
    query = '{ breakouts(tier: "breakout", limit: 3) { state breakouts { clusterId } } onesToWatch(limit: 2) { onesToWatch { rank } } }'
    gql = (await http.post("/graphql", json={"query": query}, headers={"X-API-Key": key})).json()["data"]
    rest = (await get(client, "/api/v2/breakouts?tier=breakout&limit=3")).json()
    assert [b["clusterId"] for b in gql["breakouts"]["breakouts"]] == [b["cluster_id"] for b in rest["breakouts"]]
    assert [r["rank"] for r in gql["onesToWatch"]["onesToWatch"]] == [1, 2]
    bad = (
        await http.post("/graphql", json={"query": "{ tastemakers(limit: 0) { state } }"}, headers={"X-API-Key": key})
    ).json()
    assert bad["errors"][0]["extensions"] == {"code": "invalid_request", "field": "limit"}


def test_publishing_is_atomic_and_leaves_no_temp_files(fleet_db: Path, tmp_path: Path) -> None:
    counts = publish(fleet_db, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["breakouts.json", "ones_to_watch.json", "tastemakers.json"]
    assert counts["breakouts"] > 200 and counts["ones_to_watch"] == 200 and counts["tastemakers"] == 6
