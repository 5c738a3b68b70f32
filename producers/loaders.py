"""The per-request DataLoader bundle: one loader per producer table, made on first use.

Loads issued in the same event-loop tick become one call to `ProducerPool.load`,
which is one batch call per table (split only above the protocol's 500 keys).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any, TypeVar

from aiodataloader import DataLoader

from producers.catalog import table as table_spec
from producers.outcomes import Outcome
from producers.pool import ProducerPool

__all__ = ["Loaders"]

T = TypeVar("T")


class Loaders:
    def __init__(self, pool: ProducerPool, deadline: float) -> None:
        self._pool = pool
        self.deadline = deadline
        self._loaders: dict[tuple[str, str], DataLoader] = {}
        self._once: dict[Hashable, asyncio.Future[Any]] = {}

    def once(self, key: Hashable, make: Callable[[], Awaitable[T]]) -> asyncio.Future[T]:
        """A derived load (several loads combined) shared by every resolver of this request."""
        found = self._once.get(key)
        if found is None:
            found = self._once[key] = asyncio.ensure_future(make())
        return found

    def loader(self, producer: str, table: str) -> DataLoader:
        slot = (producer, table)
        found = self._loaders.get(slot)
        if found is None:
            table_spec(producer, table)  # fail fast on a typo, not inside a batch

            async def batch_load(keys: Sequence[str]) -> list[Outcome]:
                return await self._pool.load(producer, table, keys, self.deadline)

            found = self._loaders[slot] = DataLoader(batch_load)
        return found

    async def search(self, q: str, grains: list[str], limit: int) -> Outcome:
        """The search index's ranked documents (one call; searches are not batched)."""
        return await self._pool.clients["search-index"].search(q, grains, limit, self.deadline)

    async def load(self, producer: str, table: str, key: str) -> Outcome:
        outcome: Outcome = await self.loader(producer, table).load(key)
        return outcome

    async def load_many(self, producer: str, table: str, keys: Sequence[str]) -> list[Outcome]:
        outcomes: list[Outcome] = await self.loader(producer, table).load_many(list(keys))
        return outcomes
