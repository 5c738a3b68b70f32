"""Artist dossier benchmarks: latency under slow producers, throughput, CPU against stock Strawberry."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import httpx
import orjson
import strawberry

from fleet.store import FleetStore
from gateway.app import create_app
from gateway.settings import Settings
from rest_compat.dossier import document as dossier_document
from schema.registry import GRAINS
from schema.root import Query
from tests.bench.load import wrk
from tests.bench.report import Report, summary_ms
from tests.conftest import running
from tests.servers import CRATE, UNLIMITED, crate_process


def sample_keys(fleet_db: Path, count: int) -> list[str]:
    store = FleetStore(fleet_db)
    try:
        return [a["cluster_id"] for a in store.samples("artist", count)]
    finally:
        store.close()


def _mint(env: dict[str, str]) -> str:
    out = subprocess.run(
        [CRATE, "keys", "create", "--json"], env={**os.environ, **env}, capture_output=True, check=True
    )
    return str(orjson.loads(out.stdout)["key"])


async def cpu_against_stock(report: Report, fleet_db: Path, work: Path, rounds: int = 300) -> None:
    report.section(
        "CPU per full artist dossier",
        "In one process, warm row cache (no producer I/O): the REST route end to end (middleware, auth, cached "
        "parse/validation, execution, shaping, JSON) against stock Strawberry — `strawberry.Schema(query=Query)`, no "
        "extensions, no caches — executing the same GraphQL document. CPU seconds from time.process_time().",
    )
    keys = sample_keys(fleet_db, 20)
    app = create_app(Settings(rate_limit_test=UNLIMITED, data_dir=work / "cpu", fleet_db=fleet_db))
    async with running(app, contract=False) as client:
        services = app.state.services
        secret = services.keys.create("test")[1]
        headers = {"X-API-Key": secret}
        for key in keys:  # warm the row cache and the document caches
            assert (await client.get(f"/api/v2/artist/{key}", headers=headers)).status_code == 200
        stock = strawberry.Schema(query=Query)
        document = dossier_document(app.state.schema._schema, "artist", GRAINS["artist"].fields)

        async def run_stock(key: str) -> None:
            result = await stock.execute(
                document, variable_values={"key": key}, context_value=services.context("b", None)
            )
            assert not result.errors

        async def run_rest(key: str) -> None:
            assert (await client.get(f"/api/v2/artist/{key}", headers=headers)).status_code == 200

        results: dict[str, float] = {}
        for label, run in (("stock Strawberry, same document", run_stock), ("REST /api/v2/artist/{key}", run_rest)):
            for key in keys:
                await run(key)
            started = time.process_time()
            for n in range(rounds):
                await run(keys[n % len(keys)])
            results[label] = (time.process_time() - started) / rounds * 1000
    rows = [(label, ms) for label, ms in results.items()]
    report.table(["path", "CPU ms per dossier"], rows)
    ratio = results["stock Strawberry, same document"] / results["REST /api/v2/artist/{key}"]
    report.line(f"\nREST is {ratio:.2f}× cheaper in CPU than stock Strawberry on the same document (goal: ≥ 3×).")


def _paths(fleet_db: Path) -> dict[str, list[str]]:
    store = FleetStore(fleet_db)
    try:
        return {
            "artist (full)": [f"/api/v2/artist/{a['cluster_id']}" for a in store.samples("artist", 40)],
            "label (full)": [f"/api/v2/label/{label['label_id']}" for label in store.samples("label", 40)],
            "festival (full)": [f"/api/v2/dossier/festival/{f['slug']}" for f in store.samples("festival", 25)],
        }
    finally:
        store.close()


async def latency_with_slow_producers(report: Report, fleet_db: Path, work: Path, rounds: int = 200) -> None:
    report.section(
        "Dossier latency, every producer 100 ms slow",
        f"`crate serve` (uvicorn) with CRATE_FLEET_LATENCY_MS=100 and the row cache off, so every request waits on "
        f"its producers; {rounds} sequential REST dossiers per grain over loopback. An artist needs one round of "
        "calls (goal: p99 below 1.3 × 100 ms + 10 ms = 140 ms); a label walks its lineage one parent per round "
        "(up to 4 deep in the demo data) and a festival needs three rounds (aliases; fragments and editions; the "
        "lineup join), so theirs is a multiple of 100 ms by design.",
    )
    data = work / "latency"
    data.mkdir(exist_ok=True)
    env = {
        "CRATE_DATA_DIR": str(data),
        "CRATE_FLEET_DB": str(fleet_db),
        "CRATE_FLEET_LATENCY_MS": "100",
        "CRATE_CACHE_MAX_BYTES": "0",
        "CRATE_LOG_LEVEL": "warning",
    }
    key = _mint(env)
    rows = []
    with crate_process(["serve"], env=env) as base:
        async with httpx.AsyncClient(base_url=base, headers={"X-API-Key": key}, timeout=10) as client:
            for grain, paths in _paths(fleet_db).items():
                for path in paths[:5]:
                    await client.get(path)
                samples = []
                for n in range(rounds):
                    started = time.perf_counter()
                    response = await client.get(paths[n % len(paths)])
                    samples.append(time.perf_counter() - started)
                    assert response.status_code == 200
                stats = summary_ms(samples)
                rows.append((grain, rounds, stats["p50_ms"], stats["p99_ms"], stats["mean_ms"]))
    report.table(["dossier", "requests", "p50 ms", "p99 ms", "mean ms"], rows)


async def throughput(report: Report, fleet_db: Path, work: Path) -> None:
    report.section(
        "Requests per second, one server",
        "`crate serve` (uvicorn, embedded fleet, default settings, warm cache) under wrk (1 thread, 16 connections, "
        "8 s each): the full REST dossier, the same dossier through /graphql, and the public root.",
    )
    data = work / "rps"
    data.mkdir(exist_ok=True)
    env = {"CRATE_DATA_DIR": str(data), "CRATE_FLEET_DB": str(fleet_db), "CRATE_LOG_LEVEL": "warning"}
    key = _mint(env)
    keys = sample_keys(fleet_db, 40)
    app_schema = create_app(Settings(rate_limit_test=UNLIMITED, data_dir=data, fleet_db=fleet_db)).state.schema
    document = dossier_document(app_schema._schema, "artist", GRAINS["artist"].fields)
    rows = []
    with crate_process(["serve"], env=env) as base:
        rest = [f"/api/v2/artist/{k}" for k in keys]
        rows.append(("GET /api/v2/artist/{key} (full)", wrk(base, rest, key)))
        body_file = work / "graphql.json"
        body_file.write_bytes(orjson.dumps({"query": document, "variables": {"key": keys[0]}}))
        rows.append(("POST /graphql (same dossier)", wrk(base, ["/graphql"], key, body=body_file)))
        rows.append(("GET /api/v2", wrk(base, ["/api/v2"], key)))
    report.table(
        ["route", "req/s", "p50 ms", "p99 ms", "non-2xx"],
        [(label, r.requests_per_second, r.p50_ms, r.p99_ms, r.errors) for label, r in rows],
    )


async def run(report: Report, fleet_db: Path, work: Path) -> None:
    await cpu_against_stock(report, fleet_db, work)
    await latency_with_slow_producers(report, fleet_db, work)
    await throughput(report, fleet_db, work)
