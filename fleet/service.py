"""The reference fleet as one ASGI app: every producer under its own path prefix.

    GET  /<producer>/meta                 tables with key, refresh_cadence, tier, as_of
    POST /<producer>/tables/<table>/batch {"keys": [...]} (≤ 500) -> {"table", "as_of", "rows"}
    POST /search-index/search             {"q", "grains", "limit"} -> {"q", "as_of", "results"}
    GET  /<producer>/healthz
    GET  /fleet/stats                     batch calls and keys received per producer/table
    POST /fleet/stats/reset
    GET  /healthz

The gateway reaches it in-process (httpx.ASGITransport) or over HTTP (`crate fleet serve`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fleet.faults import FleetFaults
from fleet.store import FleetStore
from producers.catalog import PRODUCERS, ProducerSpec, TableSpec
from resolvers.identity_norm import pe_norm_v1

__all__ = ["MAX_BATCH_KEYS", "SEARCH_GRAINS", "FleetStats", "create_fleet_app"]

SEARCH_GRAINS = ("artist", "label", "festival", "master")

MAX_BATCH_KEYS = 500
_JSON = "application/json"


def _json(body: object, status: int = 200) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type=_JSON)


def _error(status: int, message: str) -> Response:
    return _json({"error": message}, status)


class FleetStats:
    """Counts what the fleet received, so tests and benchmarks can see the gateway's batching."""

    def __init__(self) -> None:
        self.calls: dict[tuple[str, str], int] = {}
        self.keys: dict[tuple[str, str], int] = {}

    def record(self, producer: str, table: str, keys: int) -> None:
        slot = (producer, table)
        self.calls[slot] = self.calls.get(slot, 0) + 1
        self.keys[slot] = self.keys.get(slot, 0) + keys

    def reset(self) -> None:
        self.calls.clear()
        self.keys.clear()

    def as_json(self) -> dict[str, object]:
        producers: dict[str, dict[str, dict[str, int]]] = {}
        for (producer, table), calls in sorted(self.calls.items()):
            producers.setdefault(producer, {})[table] = {"calls": calls, "keys": self.keys[(producer, table)]}
        return {"batch_calls": sum(self.calls.values()), "keys": sum(self.keys.values()), "producers": producers}


def _as_of(table: TableSpec, now: float, stale: bool) -> str:
    """The last refresh boundary of the table's cadence: the demo fleet refreshes on schedule."""
    cadence = table.cadence_seconds
    moment = (now // cadence) * cadence - (3 * cadence if stale else 0)
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def create_fleet_app(
    store: FleetStore,
    faults: FleetFaults | None = None,
    clock: Callable[[], float] = time.time,
) -> Starlette:
    faults = faults or FleetFaults()
    stats = FleetStats()
    specs = {spec.name: spec for spec in PRODUCERS}

    async def wait_for_disconnect(request: Request) -> None:
        # A hung producer holds the connection until the caller gives up.
        while (await request.receive())["type"] != "http.disconnect":
            pass

    async def faulted(spec: ProducerSpec, request: Request) -> Response | None:
        delay = faults.latency_seconds(spec.name)
        if delay:
            await asyncio.sleep(delay)
        if spec.name in faults.hang:
            await wait_for_disconnect(request)
            return Response(status_code=499)
        if spec.name in faults.fail:
            return _error(500, "injected failure")
        if spec.name in faults.garbage:
            return Response(b'{"table": <<not json', media_type=_JSON)
        return None

    def producer_of(request: Request) -> ProducerSpec | None:
        return specs.get(request.path_params["producer"])

    async def meta(request: Request) -> Response:
        spec = producer_of(request)
        if spec is None:
            return _error(404, "no such producer")
        if (bad := await faulted(spec, request)) is not None:
            return bad
        now, stale = clock(), spec.name in faults.stale
        tables = {
            t.name: {"key": t.key, "refresh_cadence": t.cadence.value, "tier": t.tier, "as_of": _as_of(t, now, stale)}
            for t in spec.tables
        }
        return _json({"producer": spec.name, "tables": tables})

    async def producer_health(request: Request) -> Response:
        spec = producer_of(request)
        if spec is None:
            return _error(404, "no such producer")
        if (bad := await faulted(spec, request)) is not None:
            return bad
        return _json({"status": "ok", "producer": spec.name})

    async def batch(request: Request) -> Response:
        spec = producer_of(request)
        name = request.path_params["table"]
        table = next((t for t in spec.tables if t.name == name), None) if spec else None
        if spec is None or table is None:
            return _error(404, "no such producer table")
        try:
            body = orjson.loads(await request.body())
        except orjson.JSONDecodeError:
            return _error(400, "body must be JSON")
        keys = body.get("keys") if isinstance(body, dict) else None
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            return _error(400, 'body must be {"keys": [string, ...]}')
        if len(keys) > MAX_BATCH_KEYS:
            return _error(400, f"at most {MAX_BATCH_KEYS} keys per batch")
        stats.record(spec.name, table.name, len(keys))
        if (bad := await faulted(spec, request)) is not None:
            return bad
        found = store.rows(table.name, keys)
        head = orjson.dumps({"table": table.name, "as_of": _as_of(table, clock(), spec.name in faults.stale)})
        rows = b",".join(orjson.dumps(k) + b":" + found.get(k, b"null") for k in dict.fromkeys(keys))
        return Response(head[:-1] + b',"rows":{' + rows + b"}}", media_type=_JSON)

    async def search(request: Request) -> Response:
        spec = producer_of(request)
        if spec is None or spec.name != "search-index":
            return _error(404, "no such producer search")
        try:
            body = orjson.loads(await request.body())
        except orjson.JSONDecodeError:
            return _error(400, "body must be JSON")
        q, grains, limit = (body.get(k) for k in ("q", "grains", "limit")) if isinstance(body, dict) else (None,) * 3
        if not (
            isinstance(q, str)
            and isinstance(grains, list)
            and all(g in SEARCH_GRAINS for g in grains)
            and isinstance(limit, int)
            and not isinstance(limit, bool)
            and 1 <= limit <= 100
        ):
            return _error(400, 'body must be {"q": string, "grains": [artist|label|festival|master], "limit": 1..100}')
        stats.record(spec.name, "search", 1)
        if (bad := await faulted(spec, request)) is not None:
            return bad
        norm = pe_norm_v1(q) or ""
        results = store.search(norm.split(" ") if norm else [], grains, limit)
        as_of = datetime.fromtimestamp((clock() // 3600) * 3600, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return _json({"q": q, "as_of": as_of, "results": results})

    async def get_stats(request: Request) -> Response:
        return _json(stats.as_json())

    async def reset_stats(request: Request) -> Response:
        stats.reset()
        return Response(status_code=204)

    async def health(request: Request) -> Response:
        return _json({"status": "ok", "artists": store.meta.get("size", {}).get("artists")})

    app = Starlette(
        routes=[
            Route("/healthz", health),
            Route("/fleet/stats", get_stats),
            Route("/fleet/stats/reset", reset_stats, methods=["POST"]),
            Route("/{producer}/meta", meta),
            Route("/{producer}/healthz", producer_health),
            Route("/{producer}/tables/{table}/batch", batch, methods=["POST"]),
            Route("/{producer}/search", search, methods=["POST"]),
        ]
    )
    app.state.stats = stats
    app.state.store = store
    return app
