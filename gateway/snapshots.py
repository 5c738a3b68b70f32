"""Reading published discovery snapshots, fail-soft: a missing, truncated or wrongly shaped file is
`degraded` (still a 200), an old one is `stale`; a request never reaches a producer for them."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

__all__ = ["STALE_AFTER_SECONDS", "Snapshot", "SnapshotReader"]

STALE_AFTER_SECONDS = 7 * 86_400


class _Row(BaseModel):
    model_config = ConfigDict(extra="allow")


class Tastemaker(_Row):
    rank: int
    curator: str
    own_tier: str
    brokerage_score: float
    corroborating_axes: list[str]
    lead_time_days: float | None
    bandcamp_demand: dict[str, Any] | None


class OneToWatch(_Row):
    rank: int
    cluster_id: str
    name: str
    own_tier: str
    brokerage_score: float
    corroborating_axes: list[str]
    lead_time_days: float | None
    bandcamp_demand: dict[str, Any] | None


class Breakout(_Row):
    cluster_id: str
    name: str
    tier: str
    corroboration: str
    booking_momentum: float
    press_mentions: int


class _File(BaseModel):
    snapshot: str
    published_at: str
    rows: list[dict[str, Any]]


_ROWS: dict[str, TypeAdapter[Any]] = {
    "tastemakers": TypeAdapter(list[Tastemaker]),
    "ones_to_watch": TypeAdapter(list[OneToWatch]),
    "breakouts": TypeAdapter(list[Breakout]),
}


@dataclass(frozen=True, slots=True)
class Snapshot:
    state: str  # present | empty | degraded
    stale: bool
    published_at: str | None
    reason: str | None
    rows: list[dict[str, Any]] = field(default_factory=list)


class SnapshotReader:
    def __init__(self, directory: Path, clock: Callable[[], float] = time.time) -> None:
        self.directory = directory
        self._clock = clock
        self._parsed: dict[str, tuple[tuple[float, int], Snapshot]] = {}

    def read(self, name: str) -> Snapshot:
        path = self.directory / f"{name}.json"
        try:
            info = path.stat()
        except FileNotFoundError:
            return Snapshot("degraded", False, None, f"no {name} snapshot has been published")
        stamp = (info.st_mtime, info.st_size)
        cached = self._parsed.get(name)
        snapshot = cached[1] if cached and cached[0] == stamp else self._parse(name, path)
        self._parsed[name] = (stamp, snapshot)
        if snapshot.published_at is None:
            return snapshot
        age = (
            self._clock()
            - datetime.strptime(snapshot.published_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp()
        )
        return Snapshot(
            snapshot.state, age > STALE_AFTER_SECONDS, snapshot.published_at, snapshot.reason, snapshot.rows
        )

    @staticmethod
    def _parse(name: str, path: Path) -> Snapshot:
        try:
            body = _File.model_validate(orjson.loads(path.read_bytes()))
            rows = [row.model_dump() for row in _ROWS[name].validate_python(body.rows)]
            datetime.strptime(body.published_at, "%Y-%m-%dT%H:%M:%SZ")
        except (OSError, orjson.JSONDecodeError, ValidationError, ValueError) as exc:
            kind = "is not JSON" if isinstance(exc, orjson.JSONDecodeError) else "does not have the snapshot's shape"
            return Snapshot("degraded", False, None, f"the {name} snapshot {kind}")
        return Snapshot("present" if rows else "empty", False, body.published_at, None, rows)
