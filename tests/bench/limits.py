"""What the rate limiter costs per request: memory and Redis, against the same request without it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from gateway.keys import ApiKey
from gateway.ratelimit import Limiter, MemoryLimiter, RateLimitMiddleware, parse_rate
from gateway.shared import RedisLimiter, SharedState
from tests.bench.dossier import _mint, sample_keys
from tests.bench.load import wrk
from tests.bench.report import Report
from tests.servers import UNLIMITED, crate_process, redis_process

_RATES = {"test": parse_rate(UNLIMITED)}


async def _ok(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": b"{}"})


async def _per_request(app: Any, rounds: int) -> float:
    """Mean seconds per request through `app`, for an authenticated caller (best of 5 runs)."""
    caller = ApiKey(id="k_bench", name="bench", mode="test", hint="ck_test_", created_at=0, revoked_at=None)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(_message: Any) -> None:
        return None

    runs = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(rounds):
            scope = {"type": "http", "method": "GET", "path": "/api/v2/resolve", "state": {"caller": caller}}
            await app(scope, receive, send)
        runs.append((time.perf_counter() - started) / rounds)
    return min(runs)


async def middleware_cost(report: Report, rounds: int = 20_000) -> None:
    report.section(
        "Rate limiter cost per request",
        "In one process: an authenticated request through RateLimitMiddleware to a handler that answers at once, "
        "against the same handler without the middleware. Memory: the default limiter. Redis: RedisLimiter on a local "
        "redis-server (one script call per request over loopback). Best of 5 runs; the added µs is what every keyed "
        "request pays.",
    )
    with redis_process() as redis:
        shared = SharedState(redis.url)
        limiters: dict[str, Limiter] = {"memory": MemoryLimiter(), "redis": RedisLimiter(shared)}
        bare = await _per_request(_ok, rounds)
        rows: list[tuple[str, float, float, float]] = [("no limiter", bare * 1e6, 0.0, 1.0)]
        for name, limiter in limiters.items():
            n = rounds if name == "memory" else rounds // 10
            cost = await _per_request(RateLimitMiddleware(_ok, limiter, _RATES), n)
            rows.append((name, cost * 1e6, (cost - bare) * 1e6, cost / bare))
        assert shared.up, "every Redis call succeeded"
        await shared.aclose()
    report.table(["limiter", "µs per request", "added µs", "× no limiter"], rows)


async def http_cost(report: Report, fleet_db: Path, work: Path) -> None:
    report.section(
        "Rate limits over HTTP: memory vs Redis",
        "Two `crate serve` processes in turn (uvicorn, embedded fleet, warm cache), the same key and routes under wrk "
        "(1 thread, 16 connections, 8 s): limits in memory, then in a local Redis (CRATE_REDIS_URL, which also moves "
        "the row cache's second level there). `/api/v2` is public, so never limited: the route without the limiter.",
    )
    keys = sample_keys(fleet_db, 40)
    rows = []
    with redis_process() as redis:
        for label, extra in (("memory", {}), ("redis", {"CRATE_REDIS_URL": redis.url})):
            data = work / f"limits-{label}"
            data.mkdir(exist_ok=True)
            env = {"CRATE_DATA_DIR": str(data), "CRATE_FLEET_DB": str(fleet_db), "CRATE_LOG_LEVEL": "warning", **extra}
            key = _mint(env)
            with crate_process(["serve"], env=env) as base:
                resolve = [f"/api/v2/resolve?q={k}" for k in keys]
                rows.append((label, "GET /api/v2/resolve?q={cluster_id}", wrk(base, resolve, key)))
                rows.append((label, "GET /api/v2 (public, not limited)", wrk(base, ["/api/v2"], key)))
    report.table(
        ["limits in", "route", "req/s", "p50 ms", "p99 ms", "non-2xx"],
        [(label, route, r.requests_per_second, r.p50_ms, r.p99_ms, r.errors) for label, route, r in rows],
    )
    by = {(label, route): r.requests_per_second for label, route, r in rows}
    ratio = by[("redis", rows[0][1])] / by[("memory", rows[0][1])]
    report.parts.append(f"\nKeyed resolve, Redis / memory throughput: {ratio:.2f}×.\n")
    print(f"redis/memory: {ratio:.2f}", flush=True)


async def run(report: Report, fleet_db: Path, work: Path) -> None:
    await middleware_cost(report)
    await http_cost(report, fleet_db, work)
