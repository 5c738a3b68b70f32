"""Loads inside one request context become one batch call per table per tick (DESIGN §11)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import pytest
from starlette.applications import Starlette

from fleet.store import FleetStore
from gateway.app import create_app
from gateway.settings import Settings
from producers.outcomes import Found, Missing
from tests.conftest import running

TABLES = [
    ("identity-graph", "clusters"),
    ("discogs-collector", "artist_community"),
    ("booking-graph", "live_presence"),
    ("emergence-model", "momentum"),
]


def cluster_keys(fleet_store: FleetStore, count: int) -> list[str]:
    return [key for key, _ in zip((k for k, _ in fleet_store.scan("clusters")), range(count), strict=False)]


async def fleet_stats(app: Starlette, served_fleet: str | None) -> dict:
    if served_fleet:
        async with httpx.AsyncClient(base_url=served_fleet) as client:
            return (await client.get("/fleet/stats")).json()
    transport = httpx.ASGITransport(app=app.state.services.fleet_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://fleet") as client:
        return (await client.get("/fleet/stats")).json()


async def reset_stats(served_fleet: str | None) -> None:
    if served_fleet:
        async with httpx.AsyncClient(base_url=served_fleet) as client:
            await client.post("/fleet/stats/reset")


@pytest.fixture(params=["embedded", "http"])
def fleet_mode(request: pytest.FixtureRequest) -> str | None:
    if request.param == "embedded":
        return None
    return str(request.getfixturevalue("served_fleet"))


async def test_300_keys_from_4_tables_make_4_batch_calls(
    make_settings: Callable[..., Settings], fleet_store: FleetStore, fleet_mode: str | None
) -> None:
    app = create_app(make_settings(fleet_url=fleet_mode, cache_max_bytes=0))
    keys = cluster_keys(fleet_store, 300)
    async with running(app):
        await reset_stats(fleet_mode)
        context = app.state.services.context("req_test", None)
        results = await asyncio.gather(
            *(context.loaders.load(producer, table, key) for producer, table in TABLES for key in keys)
        )
        stats = await fleet_stats(app, fleet_mode)
    assert stats["batch_calls"] == 4
    assert stats["producers"] == {
        "identity-graph": {"clusters": {"calls": 1, "keys": 300}},
        "discogs-collector": {"artist_community": {"calls": 1, "keys": 300}},
        "booking-graph": {"live_presence": {"calls": 1, "keys": 300}},
        "emergence-model": {"momentum": {"calls": 1, "keys": 300}},
    }
    assert all(isinstance(outcome, Found) for outcome in results[:300])  # every cluster exists
    assert {type(outcome) for outcome in results[300:]} == {Found, Missing}


async def test_1200_keys_from_one_table_make_3_batch_calls(
    make_settings: Callable[..., Settings], fleet_store: FleetStore, fleet_mode: str | None
) -> None:
    app = create_app(make_settings(fleet_url=fleet_mode, cache_max_bytes=0))
    keys = cluster_keys(fleet_store, 1200)
    async with running(app):
        await reset_stats(fleet_mode)
        context = app.state.services.context("req_test", None)
        results = await context.loaders.load_many("identity-graph", "clusters", keys)
        stats = await fleet_stats(app, fleet_mode)
    assert stats["producers"] == {"identity-graph": {"clusters": {"calls": 3, "keys": 1200}}}
    assert [outcome.row["cluster_id"] for outcome in results] == keys  # aligned with the keys asked


@pytest.mark.parametrize("count", [1, 100, 1000])
async def test_calls_grow_with_tables_not_keys(
    make_settings: Callable[..., Settings], fleet_store: FleetStore, count: int
) -> None:
    app = create_app(make_settings(cache_max_bytes=0))
    keys = cluster_keys(fleet_store, count)
    async with running(app):
        context = app.state.services.context("req_test", None)
        await asyncio.gather(*(context.loaders.load_many(p, t, keys) for p, t in TABLES))
        stats = await fleet_stats(app, None)
    assert stats["batch_calls"] == 4 * (1 if count <= 500 else 2)
    assert stats["keys"] == 4 * count


async def test_separate_ticks_make_separate_calls_but_repeat_keys_are_not_resent(
    make_settings: Callable[..., Settings], fleet_store: FleetStore
) -> None:
    app = create_app(make_settings(cache_max_bytes=0))
    keys = cluster_keys(fleet_store, 10)
    async with running(app):
        context = app.state.services.context("req_test", None)
        await context.loaders.load_many("identity-graph", "clusters", keys[:5])
        await context.loaders.load_many("identity-graph", "clusters", keys)  # 5 already loaded this request
        stats = await fleet_stats(app, None)
    assert stats["producers"] == {"identity-graph": {"clusters": {"calls": 2, "keys": 10}}}
