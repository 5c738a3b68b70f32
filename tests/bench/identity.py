"""Identity benchmarks: /api/v2/resolve requests per second over HTTP, default fleet against 1M."""

from __future__ import annotations

import os
import random
import subprocess
from pathlib import Path
from urllib.parse import quote

import orjson

from fleet.store import FleetStore
from tests.bench.load import wrk
from tests.bench.report import Report
from tests.servers import CRATE, crate_process

QUERIES = 400


def query_sets(fleet_db: Path) -> dict[str, list[str]]:
    """Names (as sources spell them), Discogs links and names nobody has, spread over the fleet."""
    store = FleetStore(fleet_db)
    try:
        total = store.count("clusters")
        rng = random.Random(7)
        # Spread picks over the whole key space: sample cluster rows by random key prefixes.
        names, links = [], []
        for _ in range(QUERIES):
            prefix = f"{rng.getrandbits(24):06x}"
            _key, row = next(iter(store.range_from("clusters", prefix)), (None, None))
            if row is not None:
                names.append(rng.choice(row["aliases"]))
            _key, bind = next(iter(store.range_from("discogs_bind", prefix)), (None, None))
            if bind is not None:
                links.append(f"https://www.discogs.com/artist/{bind['discogs_ids'][0]}-x")
        unknown = [f"Qzx{rng.getrandbits(40):x} Vrm" for _ in range(QUERIES)]
    finally:
        store.close()
    assert total > 0
    return {
        "names": [f"/api/v2/resolve?q={quote(q, safe='')}" for q in names],
        "links": [f"/api/v2/resolve?q={quote(q, safe='')}" for q in links],
        "unknown names": [f"/api/v2/resolve?q={quote(q, safe='')}" for q in unknown],
    }


def resolve_throughput(report: Report, fleets: dict[str, Path], work: Path) -> None:
    report.section(
        "Resolve over HTTP",
        f"`crate serve` (uvicorn, embedded fleet, default settings) under wrk: 1 thread, 16 connections, 8 s per "
        f"row, rotating over {QUERIES} distinct queries of each kind after a 2-second warm-up pass (steady state: "
        f"the row cache and the page cache warm, as in use). "
        "Unknown names exercise the candidate search.",
    )
    rows = []
    results: dict[tuple[str, str], float] = {}
    for label, fleet_db in fleets.items():
        data = work / f"gw-{label}"
        data.mkdir(exist_ok=True)
        env = {"CRATE_DATA_DIR": str(data), "CRATE_FLEET_DB": str(fleet_db), "CRATE_LOG_LEVEL": "warning"}
        minted = subprocess.run([CRATE, "keys", "create", "--json"], env={**os.environ, **env}, capture_output=True,
                                check=True)  # fmt: skip
        key = orjson.loads(minted.stdout)["key"]
        with crate_process(["serve"], env=env) as base:
            for kind, paths in query_sets(fleet_db).items():
                load = wrk(base, paths, key)
                results[(label, kind)] = load.requests_per_second
                rows.append((label, kind, load.requests_per_second, load.p50_ms, load.p99_ms, load.errors))
    report.table(["fleet", "queries", "req/s", "p50 ms", "p99 ms", "non-2xx"], rows)
    labels = list(fleets)
    if len(labels) == 2:
        for kind in ("names", "links", "unknown names"):
            ratio = results[(labels[1], kind)] / results[(labels[0], kind)]
            report.line(f"- {kind}: {labels[1]} fleet runs at {ratio:.2f}× the {labels[0]} fleet's rate")
