"""State shared by every gateway instance, in Redis when `CRATE_REDIS_URL` is set (DESIGN §12).

Three things live there: rate-limit windows, beacon idempotency claims and a second-level cache of
producer rows. Redis is never on the critical path of an answer: every call has a short timeout, a
failure opens a breaker (so a dead Redis costs one timeout per cool-down, not one per request) and
each caller has a local fallback — the instance's own memory limiter, its own beacon store, its own
row cache. That is the fail-open: the gateway keeps serving, with limits enforced per instance
instead of across instances until Redis is back. Every fallback is counted in
`crate_redis_fallbacks_total{operation}`, and the change of state is logged once each way.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Final, TypeVar

import orjson
import redis.asyncio as aioredis
from redis.exceptions import RedisError

from gateway.ratelimit import Decision, MemoryLimiter, RateLimit, decide, window_of
from producers.breaker import BreakerState, CircuitBreaker
from producers.cache import ttl_seconds
from producers.catalog import TableSpec
from producers.outcomes import Found, Missing, Outcome

__all__ = ["UNAVAILABLE", "RedisLimiter", "RedisRowCache", "SharedState"]

log = logging.getLogger("crate.redis")
T = TypeVar("T")


class _Unavailable:
    def __repr__(self) -> str:
        return "UNAVAILABLE"


UNAVAILABLE: Final = _Unavailable()

# One INCR per request on the key's current window; the window's key expires just after the window.
_WINDOW_HIT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n
"""


class SharedState:
    """One Redis client for the gateway, failing open. `call` returns UNAVAILABLE instead of raising."""

    def __init__(
        self,
        url: str,
        on_fallback: Callable[[str], None] = lambda _operation: None,
        prefix: str = "crate:",
        timeout_seconds: float = 0.25,
        cooldown_seconds: float = 2.0,
    ) -> None:
        self.redis: aioredis.Redis = aioredis.Redis.from_url(
            url,
            socket_timeout=timeout_seconds,
            socket_connect_timeout=timeout_seconds,
            retry_on_timeout=False,
            health_check_interval=0,
        )
        self._on_fallback = on_fallback
        #: every key this gateway writes starts with it: deployments sharing one Redis stay apart
        self.prefix = prefix
        # The first failure opens it: a Redis that failed once is asked again only after the cool-down.
        self.breaker = CircuitBreaker(1, cooldown_seconds)

    @property
    def up(self) -> bool:
        return self.breaker.state is BreakerState.CLOSED

    async def call(self, operation: str, command: Callable[[aioredis.Redis], Awaitable[T]]) -> T | _Unavailable:
        if not self.breaker.allow():
            self._on_fallback(operation)
            return UNAVAILABLE
        try:
            result = await command(self.redis)
        except (RedisError, OSError) as exc:
            if self.up:
                log.warning("redis unreachable (%s: %s); shared state falls back to this instance", operation, exc)
            self.breaker.record_failure()
            self._on_fallback(operation)
            return UNAVAILABLE
        except BaseException:
            # Cancelled (the client went away): says nothing about Redis, but must not leave a probe
            # outstanding, or the breaker would wait for it forever.
            self.breaker.release()
            raise
        if not self.up:
            log.warning("redis reachable again; shared state is shared again")
        self.breaker.record_success()
        return result

    async def ping(self) -> bool:
        """For /readyz: asks Redis directly, whatever the breaker says."""
        try:
            return bool(await self.redis.ping())
        except (RedisError, OSError):
            return False

    async def claim(self, name: str, ttl_seconds: int) -> bool | _Unavailable:
        """True for the first claim of `name` within its TTL across all instances, False after."""
        result = await self.call("claim", lambda r: r.set(self.prefix + name, b"1", nx=True, ex=ttl_seconds))
        return result if isinstance(result, _Unavailable) else bool(result)

    async def aclose(self) -> None:
        await self.redis.aclose()


class RedisLimiter:
    """The fixed-window limiter of gateway.ratelimit with its counters in Redis: one atomic script
    call (INCR, and EXPIRE on a window's first hit) per request. Windows are aligned to the epoch on
    the gateway's clock. Redis unreachable -> this instance's memory limiter decides."""

    def __init__(
        self, shared: SharedState, fallback: MemoryLimiter | None = None, clock: Callable[[], float] = time.time
    ) -> None:
        self.shared = shared
        self.fallback = fallback or MemoryLimiter(clock=clock)
        self._clock = clock
        self._script = shared.redis.register_script(_WINDOW_HIT)

    async def hit(self, key: str, rate: RateLimit) -> Decision:
        now = self._clock()
        window = window_of(now, rate)
        name = f"{self.shared.prefix}rl:{key}:{rate.seconds}:{window}"
        count = await self.shared.call("rate_limit", lambda _r: self._script(keys=[name], args=[rate.seconds + 1]))
        if isinstance(count, _Unavailable):
            return await self.fallback.hit(key, rate)
        return decide(int(count), rate, window, now)


def _encode(outcome: Found | Missing) -> bytes:
    if isinstance(outcome, Found):
        return orjson.dumps({"row": outcome.row, "as_of": outcome.as_of})
    return orjson.dumps({"as_of": outcome.as_of})


def _decode(raw: bytes | str) -> Outcome | None:
    """A cached outcome; None for anything this version did not write (read as a miss)."""
    try:
        data = orjson.loads(raw)
        return Found(data["row"], data["as_of"]) if "row" in data else Missing(data["as_of"])
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return None


class RedisRowCache:
    """Producer rows shared by every instance: looked up after the instance's own cache misses and
    before the producer is called; written with the same cadence-derived TTL. Failures are never
    cached. Redis unreachable -> the producer is asked, as without it."""

    def __init__(self, shared: SharedState) -> None:
        self.shared = shared
        self.hits = 0
        self.misses = 0

    def _name(self, table: TableSpec, key: str) -> str:
        return f"{self.shared.prefix}row:{table.name}:{key}"

    async def get_many(self, table: TableSpec, keys: Sequence[str]) -> dict[str, Outcome]:
        names = [self._name(table, key) for key in keys]
        raws = await self.shared.call("row_cache_get", lambda r: r.mget(names))
        if isinstance(raws, _Unavailable):
            return {}
        decoded = {key: _decode(raw) for key, raw in zip(keys, raws, strict=True) if raw is not None}
        found = {key: outcome for key, outcome in decoded.items() if outcome is not None}
        self.hits += len(found)
        self.misses += len(keys) - len(found)
        return found

    async def put_many(self, table: TableSpec, outcomes: dict[str, Outcome]) -> None:
        keep = {key: o for key, o in outcomes.items() if isinstance(o, Found | Missing)}
        if not keep:
            return
        ttl = max(1, int(ttl_seconds(table)))

        async def write(r: aioredis.Redis) -> Any:
            pipe = r.pipeline(transaction=False)
            for key, outcome in keep.items():
                pipe.set(self._name(table, key), _encode(outcome), ex=ttl)
            return await pipe.execute()

        await self.shared.call("row_cache_put", write)
