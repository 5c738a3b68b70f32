"""The shared row cache (TTL by cadence, bounded in bytes) and coalescing of in-flight loads."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx

from fleet.faults import FleetFaults
from fleet.store import FleetStore
from gateway.app import create_app
from gateway.settings import Settings
from producers.cache import RowCache, ttl_seconds
from producers.catalog import table
from producers.outcomes import Failed, Found, Missing
from tests.conftest import running

CLUSTERS = table("identity-graph", "clusters")
LIVE = table("booking-graph", "live_presence")
WORKS = table("mb-works", "compositions")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_ttl_follows_the_cadence() -> None:
    assert (ttl_seconds(LIVE), ttl_seconds(CLUSTERS), ttl_seconds(WORKS)) == (150, 3600, 25200)


def test_rows_expire_with_their_tables_ttl() -> None:
    clock = Clock()
    cache = RowCache(1 << 20, clock=clock)
    cache.put(LIVE, "a", Found({"upcoming": 1}, "t"))
    cache.put(CLUSTERS, "a", Missing("t"))
    clock.now = 149
    assert cache.get(LIVE, "a") == Found({"upcoming": 1}, "t")
    clock.now = 151
    assert cache.get(LIVE, "a") is None
    assert cache.get(CLUSTERS, "a") == Missing("t")  # "no row" is an answer too, and cached
    clock.now = 3601
    assert cache.get(CLUSTERS, "a") is None


def test_failures_are_never_cached() -> None:
    cache = RowCache(1 << 20)
    cache.put(LIVE, "a", Failed("timeout"))
    assert cache.get(LIVE, "a") is None
    assert len(cache) == 0


def test_the_bound_is_in_bytes_and_evicts_least_recently_used() -> None:
    cache = RowCache(10_000)
    row = {"blob": "x" * 1000}
    for n in range(20):
        cache.put(CLUSTERS, f"k{n}", Found(row, "t"))
    assert cache.bytes_used <= 10_000
    assert 5 <= len(cache) < 20
    assert cache.get(CLUSTERS, "k19") is not None and cache.get(CLUSTERS, "k0") is None
    cache.put(CLUSTERS, "huge", Found({"blob": "x" * 20_000}, "t"))  # larger than the whole cache
    assert cache.get(CLUSTERS, "huge") is None


def test_a_zero_bound_turns_the_cache_off() -> None:
    cache = RowCache(0)
    cache.put(CLUSTERS, "a", Found({}, "t"))
    assert cache.get(CLUSTERS, "a") is None


async def stats_of(app: object) -> dict:
    transport = httpx.ASGITransport(app=app.state.services.fleet_app)  # type: ignore[attr-defined]
    async with httpx.AsyncClient(transport=transport, base_url="http://fleet") as client:
        return (await client.get("/fleet/stats")).json()


async def test_a_warm_cache_serves_later_requests_without_calling(
    make_settings: Callable[..., Settings], fleet_store: FleetStore
) -> None:
    keys = [a["cluster_id"] for a in fleet_store.samples("artist", 20)]
    app = create_app(make_settings())
    async with running(app):
        services = app.state.services
        first = await services.context("r1", None).loaders.load_many("identity-graph", "clusters", keys)
        second = await services.context("r2", None).loaders.load_many("identity-graph", "clusters", keys)
        stats = await stats_of(app)
        assert first == second
        assert stats["producers"] == {"identity-graph": {"clusters": {"calls": 1, "keys": 20}}}
        assert services.pool.cache.hits == 20


async def test_concurrent_requests_for_the_same_keys_share_one_call(
    make_settings: Callable[..., Settings], fleet_store: FleetStore
) -> None:
    keys = [a["cluster_id"] for a in fleet_store.samples("artist", 10)]
    # Latency keeps the first call in flight while the other requests arrive.
    app = create_app(make_settings(fleet_faults=FleetFaults(latency_ms=100), cache_max_bytes=0))
    async with running(app):
        services = app.state.services
        results = await asyncio.gather(
            *(services.context(f"r{n}", None).loaders.load_many("identity-graph", "clusters", keys) for n in range(8))
        )
        stats = await stats_of(app)
    assert all(result == results[0] for result in results)
    assert all(isinstance(outcome, Found) for outcome in results[0])
    assert stats["producers"] == {"identity-graph": {"clusters": {"calls": 1, "keys": 10}}}


async def test_a_waiter_gives_up_at_its_own_deadline(make_settings: Callable[..., Settings]) -> None:
    app = create_app(
        make_settings(fleet_faults=FleetFaults(latency_ms=300), request_deadline_ms=2000, cache_max_bytes=0)
    )
    async with running(app):
        services = app.state.services
        patient = asyncio.ensure_future(services.context("r1", None).loaders.load("mb-works", "compositions", "k"))
        await asyncio.sleep(0.01)
        hurried = services.context("r2", None, deadline_ms=50)
        late = await hurried.loaders.load("mb-works", "compositions", "k")
        assert late == Failed("deadline_exceeded", "the request deadline passed while waiting for a shared load")
        assert isinstance(await patient, Missing)  # the shared call itself carried on
