"""Every producer client of one gateway, behind the shared row cache and in-flight coalescing.

`ProducerPool.load` is what the per-request DataLoaders call. Identical loads that
are in flight for another request are awaited, not sent again; the fetch runs as
its own task so one caller going away does not fail the others. With a second-level
cache shared by several gateways (Redis), the fetch asks it before the producer.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from typing import Protocol

from producers.cache import RowCache
from producers.catalog import TableSpec
from producers.catalog import table as table_spec
from producers.client import ProducerClient
from producers.outcomes import Failed, Outcome

__all__ = ["ProducerPool", "SharedRows"]

_LATE = Failed("deadline_exceeded", "the request deadline passed while waiting for a shared load")


class SharedRows(Protocol):
    """A cache of rows shared beyond this process; it never raises (unreachable = all misses)."""

    async def get_many(self, table: TableSpec, keys: Sequence[str]) -> dict[str, Outcome]: ...

    async def put_many(self, table: TableSpec, outcomes: dict[str, Outcome]) -> None: ...


class ProducerPool:
    def __init__(
        self, clients: Mapping[str, ProducerClient], cache: RowCache, shared: SharedRows | None = None
    ) -> None:
        self.clients = dict(clients)
        self.cache = cache
        self.shared = shared
        self._inflight: dict[tuple[str, str], asyncio.Future[Outcome]] = {}
        # The event loop holds tasks weakly; shared fetches must outlive the request that started them.
        self._fetches: set[asyncio.Task[dict[str, Outcome]]] = set()

    async def load(self, producer: str, table: str, keys: Sequence[str], deadline: float) -> list[Outcome]:
        """One outcome per key, aligned with `keys`."""
        spec = table_spec(producer, table)
        results: dict[str, Outcome] = {}
        shared: dict[str, asyncio.Future[Outcome]] = {}
        todo: list[str] = []
        for key in dict.fromkeys(keys):
            cached = self.cache.get(spec, key)
            if cached is not None:
                results[key] = cached
            elif (spec.name, key) in self._inflight:
                shared[key] = self._inflight[(spec.name, key)]
            else:
                todo.append(key)
        if todo:
            fetch = asyncio.ensure_future(self._fetch(producer, spec, todo, deadline))
            self._fetches.add(fetch)
            for key in todo:
                shared[key] = self._inflight[(spec.name, key)] = asyncio.get_running_loop().create_future()
            fetch.add_done_callback(lambda task: self._settle(spec, todo, task))
            fetch.add_done_callback(self._fetches.discard)
        if shared:
            try:
                async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                    for key, future in shared.items():
                        results[key] = await asyncio.shield(future)
            except TimeoutError:
                for key in shared:
                    results.setdefault(key, _LATE)
        return [results[key] for key in keys]

    async def _fetch(self, producer: str, spec: TableSpec, keys: list[str], deadline: float) -> dict[str, Outcome]:
        if self.shared is None:
            return await self.clients[producer].batch(spec, keys, deadline)
        outcomes = await self.shared.get_many(spec, keys)
        rest = [key for key in keys if key not in outcomes]
        if rest:
            fetched = await self.clients[producer].batch(spec, rest, deadline)
            await self.shared.put_many(spec, fetched)
            outcomes.update(fetched)
        return outcomes

    def _settle(self, spec: TableSpec, keys: list[str], task: asyncio.Future[dict[str, Outcome]]) -> None:
        if task.cancelled():
            outcomes: dict[str, Outcome] = {}
        elif (error := task.exception()) is not None:
            outcomes = dict.fromkeys(keys, Failed("internal", type(error).__name__))
        else:
            outcomes = task.result()
        for key in keys:
            outcome = outcomes.get(key, Failed("cancelled", "the shared load was cancelled"))
            self.cache.put(spec, key, outcome)
            future = self._inflight.pop((spec.name, key), None)
            if future is not None and not future.done():
                future.set_result(outcome)
