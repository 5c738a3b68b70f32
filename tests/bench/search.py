"""Search and beacon benchmarks: /api/v2/search req/s at the default and large fleets, beacon writes/s."""

from __future__ import annotations

import os
import random
import re
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

import orjson

from fleet.store import FleetStore
from gateway.beacons import mint_token, new_search_event_id
from tests.bench.load import wrk
from tests.bench.report import Report
from tests.servers import CRATE, crate_process

QUERIES = 400
SECRET = "b" * 48


def _queries(fleet_db: Path) -> dict[str, list[str]]:
    store = FleetStore(fleet_db)
    try:
        rng = random.Random(11)
        names, prefixes = [], []
        for _ in range(QUERIES):
            rows = store.range_from("clusters", f"{rng.getrandbits(24):06x}")
            if rows:
                name = rows[0][1]["name"]
                names.append(name)
                prefixes.append(name.split(" ")[0][:4])
    finally:
        store.close()
    unknown = [f"Qzx{rng.getrandbits(40):x}" for _ in range(QUERIES)]
    as_paths = lambda qs: [f"/api/v2/search?q={quote(q, safe='')}&limit=10" for q in qs]  # noqa: E731
    return {"whole names": as_paths(names), "4-letter prefixes": as_paths(prefixes), "no match": as_paths(unknown)}


def _serve_env(work: Path, label: str, fleet_db: Path) -> tuple[dict[str, str], str]:
    data = work / f"search-{label}"
    data.mkdir(exist_ok=True)
    env = {
        "CRATE_DATA_DIR": str(data),
        "CRATE_FLEET_DB": str(fleet_db),
        "CRATE_LOG_LEVEL": "warning",
        "CRATE_BEACON_SECRET": SECRET,
    }
    out = subprocess.run(
        [CRATE, "keys", "create", "--json"], env={**os.environ, **env}, capture_output=True, check=True
    )
    return env, str(orjson.loads(out.stdout)["key"])


def search_throughput(report: Report, fleets: dict[str, Path], work: Path) -> None:
    report.section(
        "Search over HTTP",
        f"`crate serve` under wrk (1 thread, 16 connections, 2 s warm-up then 8 s), rotating over {QUERIES} queries "
        "of each kind drawn across the fleet; all grains, limit 10.",
    )
    rows, rates = [], {}
    for label, fleet_db in fleets.items():
        env, key = _serve_env(work, label, fleet_db)
        with crate_process(["serve"], env=env) as base:
            for kind, paths in _queries(fleet_db).items():
                load = wrk(base, paths, key)
                rates[(label, kind)] = load.requests_per_second
                rows.append((label, kind, load.requests_per_second, load.p50_ms, load.p99_ms, load.errors))
    report.table(["fleet", "queries", "req/s", "p50 ms", "p99 ms", "non-2xx"], rows)
    labels = list(fleets)
    if len(labels) == 2:
        for kind in ("whole names", "4-letter prefixes", "no match"):
            ratio = rates[(labels[1], kind)] / rates[(labels[0], kind)]
            report.line(f"- {kind}: {labels[1]} fleet runs at {ratio:.2f}× the {labels[0]} fleet's rate")


_BEACON_SCRIPT = """
local token = os.getenv("WRK_TOKEN")
local sev = os.getenv("WRK_SEV")
local n = 0
request = function()
  n = n + 1
  local body = '{"search_event_id":"' .. sev .. '","result_count":' .. n .. '}'
  return wrk.format("POST", "/api/v2/search-events/observed",
                    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end
"""


def beacon_writes(report: Report, fleet_db: Path, work: Path) -> None:
    report.section(
        "Beacon writes per second",
        "First deliveries only (every body differs, so every request is a durable 202: a SQLite commit with "
        "synchronous=FULL before the answer); wrk, 1 thread, 16 connections, 8 s.",
    )
    env, _key = _serve_env(work, "beacons", fleet_db)
    sev = new_search_event_id()
    token, _ = mint_token(SECRET.encode(), sev)
    with crate_process(["serve"], env=env) as base, tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "beacons.lua"
        script.write_text(_BEACON_SCRIPT)
        out = subprocess.run(
            ["wrk", "-t1", "-c16", "-d8s", "--latency", "-s", str(script), base],
            env={**os.environ, "WRK_TOKEN": token, "WRK_SEV": sev},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    report.table(["writes/s", "non-2xx"], [(rate, int(bad.group(1)) if bad else 0)])
