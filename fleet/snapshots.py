"""`crate snapshots publish`: the discovery surfaces, computed offline from the fleet and published
as files (write to a temp file, fsync, rename), so the gateway never asks producers for them.

    tastemakers.json     curators (the press outlets) ranked by how early they backed rising artists
    ones_to_watch.json   artists ranked by brokerage: momentum backed by other axes
    breakouts.json       breakout and rising artists, booking momentum cross-checked against press
"""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from fleet.store import FleetStore

__all__ = ["SNAPSHOTS", "publish"]

SNAPSHOTS = ("tastemakers", "ones_to_watch", "breakouts")
MAX_ROWS = 200


def _write(path: Path, body: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(orjson.dumps(body))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a crash too
    finally:
        os.close(directory)


def _days(later: str, earlier: str) -> int:
    return (date.fromisoformat(later[:10]) - date.fromisoformat(earlier[:10])).days


def _axes(cid: str, store: FleetStore) -> list[str]:
    present = (
        ("booking", "live_presence"),
        ("press", "editorial_coverage"),
        ("bandcamp", "bc_emergence"),
        ("collector", "artist_community"),
    )
    return [axis for axis, table in present if store.row(table, cid) is not None]


def _demand(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {k: row[k] for k in ("wishlist_demand", "owner_reach", "demand_ratio", "emergence_class")}


def build(store: FleetStore) -> dict[str, list[dict[str, Any]]]:
    momentum: dict[str, Any] = {}
    for cid, row in store.scan("momentum"):
        momentum[cid] = row
    rising = {cid for cid, row in momentum.items() if row["tier"] in ("breakout", "rising")}
    breakouts: list[dict[str, Any]] = []
    watch: list[dict[str, Any]] = []
    for cid in sorted(rising, key=lambda c: (-momentum[c]["momentum_score"], c)):
        identity: Any = store.row("clusters", cid)
        press = store.row("editorial_coverage", cid)
        row = momentum[cid]
        breakouts.append(
            {
                "cluster_id": cid,
                "name": identity["name"],
                "tier": row["tier"],
                "corroboration": "corroborated" if row["press_corroborated"] else "booking_ahead",
                "booking_momentum": row["booking_velocity"],
                "press_mentions": press["mention_count"] if press else 0,
            }
        )
        demand = store.row("bc_emergence", cid)
        axes = _axes(cid, store)
        watch.append(
            {
                "cluster_id": cid,
                "name": identity["name"],
                "own_tier": row["tier"],
                "brokerage_score": round(row["momentum_score"] / 100 * len(axes) / 4, 3),
                "corroborating_axes": axes,
                "lead_time_days": demand["demand_lead_days"] if demand else None,
                "bandcamp_demand": _demand(demand),
            }
        )
    watch.sort(key=lambda r: (-r["brokerage_score"], r["cluster_id"]))
    for rank, row in enumerate(watch, 1):
        row["rank"] = rank
    curators: dict[str, dict[str, Any]] = {}
    for cid, coverage in store.scan("editorial_coverage"):
        for review in coverage["reviews"]:
            entry = curators.setdefault(review["outlet"], {"artists": set(), "early": [], "demand": 0})
            entry["artists"].add(cid)
            if cid in rising:
                entry["early"].append(max(0, _days(momentum[cid]["first_seen"], review["published_at"])))
    tastemakers: list[dict[str, Any]] = []
    for outlet, entry in curators.items():
        backed = [cid for cid in entry["artists"] if cid in rising]
        demand_rows: list[Any] = [store.row("bc_emergence", cid) for cid in backed]
        tastemakers.append(
            {
                "curator": outlet,
                "own_tier": "established" if len(entry["artists"]) > 100 else "emerging",
                "brokerage_score": round(len(backed) / max(1, len(entry["artists"])), 3),
                "corroborating_axes": sorted({axis for cid in backed[:50] for axis in _axes(cid, store)}),
                "lead_time_days": round(sum(entry["early"]) / len(entry["early"]), 1) if entry["early"] else None,
                "bandcamp_demand": {
                    "wishlist_demand": sum(r["wishlist_demand"] for r in demand_rows if r),
                    "artists_with_demand": sum(1 for r in demand_rows if r),
                },
            }
        )
    tastemakers.sort(key=lambda r: (-r["brokerage_score"], r["curator"]))
    for rank, row in enumerate(tastemakers, 1):
        row["rank"] = rank
    return {"tastemakers": tastemakers[:MAX_ROWS], "ones_to_watch": watch[:MAX_ROWS], "breakouts": breakouts}


def publish(fleet_db: Path, directory: Path, now: float | None = None) -> dict[str, int]:
    """Compute every snapshot and publish each file atomically; returns rows per snapshot."""
    directory.mkdir(parents=True, exist_ok=True)
    store = FleetStore(fleet_db)
    try:
        built = build(store)
    finally:
        store.close()
    published_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now if now is not None else time.time()))
    for name in SNAPSHOTS:
        _write(directory / f"{name}.json", {"snapshot": name, "published_at": published_at, "rows": built[name]})
    return {name: len(built[name]) for name in SNAPSHOTS}
