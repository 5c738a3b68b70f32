"""The long-lived objects of one gateway: made by `create_app`, opened in the lifespan, closed there."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import httpx
from starlette.applications import Starlette

from fleet.service import create_fleet_app
from fleet.snapshots import SNAPSHOTS
from fleet.store import FleetStore
from gateway.beacons import BeaconLedger, BeaconStore, load_secret, mint_token, new_search_event_id
from gateway.context import Context
from gateway.keys import ApiKey, KeyStore
from gateway.metrics import Metrics, breaker_figures, cache_figures, shared_cache_figures
from gateway.ratelimit import Limiter, MemoryLimiter
from gateway.settings import Settings
from gateway.shared import RedisLimiter, RedisRowCache, SharedState
from gateway.snapshots import SnapshotReader
from producers.breaker import CircuitBreaker
from producers.cache import RowCache
from producers.catalog import PRODUCERS
from producers.client import ProducerClient
from producers.loaders import Loaders
from producers.pool import ProducerPool

__all__ = ["Services"]

log = logging.getLogger("crate.gateway")
_EMBEDDED_BASE = "http://fleet.embedded"


class ServicesNotStarted(RuntimeError):
    pass


class Services:
    def __init__(self, settings: Settings, metrics: Metrics) -> None:
        self.settings = settings
        self.metrics = metrics
        self._keys: KeyStore | None = None
        self._beacons: BeaconStore | None = None
        self._beacon_secret: bytes | None = None
        self._pool: ProducerPool | None = None
        self.fleet_store: FleetStore | None = None
        self.fleet_app: Starlette | None = None  # the embedded fleet, when there is one
        self._http: list[httpx.AsyncClient] = []
        self.snapshots = SnapshotReader(settings.snapshot_dir)
        # Shared state: Redis when configured (every instance sees the same limits, beacon claims
        # and cached rows), this process's memory otherwise.
        self.shared = (
            SharedState(settings.redis_url, metrics.redis_fallback, prefix=settings.redis_prefix)
            if settings.redis_url
            else None
        )
        self.limiter: Limiter = RedisLimiter(self.shared) if self.shared else MemoryLimiter()
        self._ledger: BeaconLedger | None = None

    @property
    def keys(self) -> KeyStore:
        if self._keys is None:
            raise ServicesNotStarted("the gateway's lifespan has not started")
        return self._keys

    @property
    def beacons(self) -> BeaconStore:
        if self._beacons is None:
            raise ServicesNotStarted("the gateway's lifespan has not started")
        return self._beacons

    @property
    def beacon_ledger(self) -> BeaconLedger:
        if self._ledger is None:
            raise ServicesNotStarted("the gateway's lifespan has not started")
        return self._ledger

    @property
    def beacon_secret(self) -> bytes:
        if self._beacon_secret is None:
            raise ServicesNotStarted("the gateway's lifespan has not started")
        return self._beacon_secret

    @property
    def pool(self) -> ProducerPool:
        if self._pool is None:
            raise ServicesNotStarted("the gateway's lifespan has not started")
        return self._pool

    async def start(self) -> None:
        settings = self.settings
        self._keys = KeyStore(settings.key_path)
        self._beacons = BeaconStore(settings.beacon_path)
        self._ledger = BeaconLedger(self._beacons, self.shared)
        configured = settings.beacon_secret.get_secret_value() if settings.beacon_secret else None
        self._beacon_secret = load_secret(configured, settings.data_dir)
        embedded: httpx.AsyncBaseTransport | None = None
        if settings.embedded_fleet:
            self.fleet_store = FleetStore(settings.fleet_path)
            app = create_fleet_app(self.fleet_store, settings.fleet_faults)
            self.fleet_app = app
            embedded = httpx.ASGITransport(app=app)
        timeout = settings.producer_timeout_ms / 1000
        clients = {}
        for spec in PRODUCERS:
            url = settings.producer_url(spec.name)
            http = httpx.AsyncClient(
                base_url=url or f"{_EMBEDDED_BASE}/{spec.name}/",
                transport=embedded if url is None else None,
                # Timeouts are enforced per call by ProducerClient (ASGITransport ignores httpx's).
                timeout=httpx.Timeout(timeout * 2),
                limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
            )
            self._http.append(http)
            breaker = CircuitBreaker(settings.breaker_failures, settings.breaker_cooldown_s)
            clients[spec.name] = ProducerClient(
                spec, http, timeout_seconds=timeout, breaker=breaker, observe=self.metrics.observe_call
            )
        shared_rows = RedisRowCache(self.shared) if self.shared else None
        self._pool = pool = ProducerPool(clients, RowCache(settings.cache_max_bytes), shared_rows)
        self.metrics.watch(lambda: breaker_figures({name: c.breaker for name, c in pool.clients.items()}))
        self.metrics.watch(lambda: cache_figures(pool.cache.stats))
        if shared_rows is not None:
            self.metrics.watch(lambda: shared_cache_figures(shared_rows))
        log.info(
            "gateway started: fleet %s, shared state %s",
            "embedded" if embedded else settings.fleet_url or "by producer URL",
            "in Redis" if self.shared else "in memory",
        )

    async def aclose(self) -> None:
        for http in self._http:
            await http.aclose()
        self._http.clear()
        if self._keys is not None:
            self._keys.close()
        if self._beacons is not None:
            self._beacons.close()
        if self.fleet_store is not None:
            self.fleet_store.close()
        if self.shared is not None:
            await self.shared.aclose()

    def context(self, request_id: str, caller: ApiKey | None, deadline_ms: int | None = None) -> Context:
        """A fresh per-request context: its own loaders and a deadline starting now."""
        deadline = time.monotonic() + (deadline_ms or self.settings.request_deadline_ms) / 1000
        return Context(
            caller=caller,
            request_id=request_id,
            deadline=deadline,
            loaders=Loaders(self.pool, deadline),
            issue_beacon=self.issue_beacon,
            snapshots=self.snapshots,
        )

    async def readiness(self) -> dict[str, Any]:
        """What /readyz reports: every producer answering its health check, every snapshot readable,
        Redis answering when it is configured."""
        names = list(self.pool.clients)
        answers = await asyncio.gather(*(self.pool.clients[n].healthy(1.0) for n in names))
        snapshots = {name: self.snapshots.read(name).state != "degraded" for name in SNAPSHOTS}
        checks: dict[str, Any] = {"producers": dict(zip(names, answers, strict=True)), "snapshots": snapshots}
        ready = all(answers) and all(snapshots.values())
        if self.shared is not None:
            checks["redis"] = await self.shared.ping()
            ready = ready and checks["redis"]
        return {"status": "ready" if ready else "not_ready", "checks": checks}

    def issue_beacon(self) -> tuple[str, str, int]:
        sev = new_search_event_id()
        token, expires = mint_token(self.beacon_secret, sev)
        return sev, token, expires
