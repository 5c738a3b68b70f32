"""A shared, memory-bounded cache of producer rows whose TTL follows each table's cadence.

A row of an hourly table lives 150 s, of a daily one an hour, of a weekly one seven
hours (cadence / 24): fresh enough that `as_of` never lags its producer by much more
than a refresh, long enough that a warm gateway rarely calls out. Failures are never
cached. Size is counted in bytes of the row's JSON, so the bound is a memory bound.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import orjson
from cachetools import TLRUCache

from producers.catalog import TableSpec
from producers.outcomes import Found, Missing, Outcome

__all__ = ["RowCache", "ttl_seconds"]

_ENTRY_OVERHEAD = 200  # bytes for the key tuple, the outcome object and the cache's bookkeeping


def ttl_seconds(table: TableSpec) -> float:
    return table.cadence_seconds / 24


class RowCache:
    def __init__(self, max_bytes: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_bytes = max_bytes
        self.hits = 0
        self.misses = 0
        self._cache: TLRUCache[tuple[str, str], tuple[Outcome, float, int]] | None = (
            TLRUCache(
                maxsize=max_bytes,
                ttu=lambda _key, value, now: now + value[1],
                timer=clock,
                getsizeof=lambda value: value[2],
            )
            if max_bytes > 0
            else None
        )

    def get(self, table: TableSpec, key: str) -> Outcome | None:
        if self._cache is None:
            return None
        entry = self._cache.get((table.name, key))
        if entry is None:
            self.misses += 1
            return None
        self.hits += 1
        return entry[0]

    def put(self, table: TableSpec, key: str, outcome: Outcome) -> None:
        if self._cache is None or not isinstance(outcome, Found | Missing):
            return
        size = _ENTRY_OVERHEAD + len(key) + (len(orjson.dumps(outcome.row)) if isinstance(outcome, Found) else 0)
        if size > self.max_bytes:
            return
        self._cache[(table.name, key)] = (outcome, ttl_seconds(table), size)

    @property
    def bytes_used(self) -> int:
        return 0 if self._cache is None else int(self._cache.currsize)

    def __len__(self) -> int:
        return 0 if self._cache is None else len(self._cache)

    def stats(self) -> dict[str, Any]:
        return {
            "entries": len(self),
            "bytes": self.bytes_used,
            "max_bytes": self.max_bytes,
            "hits": self.hits,
            "misses": self.misses,
        }
