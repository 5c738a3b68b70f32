"""Spine benchmarks: batching, cached loads, fleet generation, batch latency over HTTP."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import httpx
import orjson

from fleet.generate import GENERATOR_VERSION, generate
from fleet.store import FleetStore
from gateway.app import create_app
from gateway.settings import Settings
from tests.bench.report import Report, summary_ms
from tests.conftest import running
from tests.servers import UNLIMITED, crate_process

TABLES = [
    ("identity-graph", "clusters"),
    ("discogs-collector", "artist_community"),
    ("booking-graph", "live_presence"),
    ("emergence-model", "momentum"),
]


def keys_of(fleet_db: Path, count: int) -> list[str]:
    store = FleetStore(fleet_db)
    try:
        return [key for key, _ in zip((k for k, _ in store.scan("clusters")), range(count), strict=False)]
    finally:
        store.close()


async def batch_calls_against_keys(report: Report, fleet_db: Path, work: Path) -> None:
    report.section(
        "Batch calls against keys",
        "Keys loaded concurrently through one request's loaders, from 4 tables; calls counted by the fleet.",
    )
    rows = []
    for count in (1, 100, 1000):
        app = create_app(Settings(rate_limit_test=UNLIMITED, data_dir=work, fleet_db=fleet_db, cache_max_bytes=0))
        keys = keys_of(fleet_db, count)
        async with running(app, contract=False):
            context = app.state.services.context("bench", None)
            await asyncio.gather(*(context.loaders.load_many(p, t, keys) for p, t in TABLES))
            transport = httpx.ASGITransport(app=app.state.services.fleet_app)
            async with httpx.AsyncClient(transport=transport, base_url="http://fleet") as fleet:
                stats = (await fleet.get("/fleet/stats")).json()
        rows.append((count, len(TABLES), count * len(TABLES), stats["batch_calls"], stats["keys"]))
    report.table(["keys per table", "tables", "loads", "batch calls", "keys sent"], rows)


async def cached_loads(report: Report, fleet_db: Path, work: Path) -> None:
    report.section(
        "Time per load",
        "One key per request context (a fresh DataLoader each time), embedded fleet; "
        "cold = cache off, every load a batch call; warm = served from the shared row cache.",
    )
    keys = keys_of(fleet_db, 2000)
    rows = []
    for label, cache_bytes in (("cold (cache off)", 0), ("warm (cached)", 64 << 20)):
        app = create_app(
            Settings(rate_limit_test=UNLIMITED, data_dir=work, fleet_db=fleet_db, cache_max_bytes=cache_bytes)
        )
        async with running(app, contract=False):
            services = app.state.services
            if cache_bytes:
                await services.context("warm", None).loaders.load_many("identity-graph", "clusters", keys)
            started = time.perf_counter()
            for key in keys:
                await services.context("bench", None).loaders.load("identity-graph", "clusters", key)
            elapsed = time.perf_counter() - started
        rows.append((label, len(keys), elapsed / len(keys) * 1e6))
    report.table(["load", "loads", "µs per load"], rows)
    report.line(f"\nWarm loads are {rows[0][2] / rows[1][2]:.0f}× faster than cold ones in this run.")


def _generated(path: Path, artists: int) -> tuple[int, float]:
    started = time.perf_counter()
    counts = generate(path, artists=artists)
    return sum(counts.values()), time.perf_counter() - started


def fleet_generation(report: Report, work: Path, keep: Path, large: int) -> Path | None:
    """Time generation at the default size and at `large`; the large file is kept in `keep` with its
    figures beside it, and regenerated only when the generator changes (BENCH_REGENERATE=1 forces it)."""
    report.section("Fleet generation", "`crate fleet generate` as a user runs it (default seed).")
    rows = []
    count, seconds = _generated(work / "fleet-5000.db", 5000)
    rows.append((5000, count, seconds, (work / "fleet-5000.db").stat().st_size / 1e6, "this run"))
    large_path = None
    if large:
        large_path = keep / f"fleet-{large}.db"
        figures = large_path.with_suffix(".json")
        known = orjson.loads(figures.read_bytes()) if figures.exists() and large_path.exists() else {}
        if known.get("generator_version") != GENERATOR_VERSION or os.environ.get("BENCH_REGENERATE") == "1":
            count, seconds = _generated(large_path, large)
            known = {"generator_version": GENERATOR_VERSION, "rows": count, "seconds": seconds,
                     "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}  # fmt: skip
            figures.write_bytes(orjson.dumps(known))
            when = "this run"
        else:
            when = f"kept from {known['measured_at']}"
        rows.append((large, known["rows"], known["seconds"], large_path.stat().st_size / 1e6, when))
    report.table(["artists", "rows", "seconds", "MB", "measured"], rows)
    return large_path


async def batch_latency_over_http(report: Report, fleet_db: Path, rounds: int = 300) -> None:
    report.section(
        "Batch latency over HTTP, 500 keys",
        f"`crate fleet serve` (uvicorn) on loopback; {rounds} sequential 500-key batch calls per table, "
        "measured at the client (request sent to body parsed).",
    )
    store = FleetStore(fleet_db)
    keys = {
        t: [k for k, _ in zip((k for k, _ in store.scan(t)), range(500), strict=False)]
        for t in ("clusters", "release_groups")
    }
    store.close()
    rows = []
    with crate_process(["fleet", "serve", "--db", str(fleet_db)], env={"CRATE_LOG_LEVEL": "warning"}) as base:
        async with httpx.AsyncClient(base_url=base) as client:
            for producer, table in (("identity-graph", "clusters"), ("discogs-catalog", "release_groups")):
                body = orjson.dumps({"keys": keys[table]})
                path = f"/{producer}/tables/{table}/batch"
                for _ in range(20):  # warm the connection and the page cache
                    await client.post(path, content=body)
                samples = []
                for _ in range(rounds):
                    started = time.perf_counter()
                    response = await client.post(path, content=body)
                    orjson.loads(response.content)
                    samples.append(time.perf_counter() - started)
                stats = summary_ms(samples)
                rows.append((f"{producer}/{table}", len(response.content) // 1024, stats["p50_ms"], stats["p99_ms"]))
    report.table(["table", "response KiB", "p50 ms", "p99 ms"], rows)


async def run(report: Report, work: Path, keep: Path, large: int) -> Path | None:
    large_path = fleet_generation(report, work, keep, large)
    default_db = work / "fleet-5000.db"
    await batch_calls_against_keys(report, default_db, work)
    await cached_loads(report, default_db, work)
    await batch_latency_over_http(report, default_db)
    return large_path
