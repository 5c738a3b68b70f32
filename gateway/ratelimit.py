"""Per-key rate limits, shared by REST and GraphQL (DESIGN §9).

A fixed window per key: windows of `seconds` aligned to the epoch, at most `requests` admitted in
each. It is exact within a window (a token bucket or GCRA lets a full burst and then the refill
through, up to twice the limit inside one window), keeps one counter per key, says exactly when the
allowance returns (the window's end), and maps onto one atomic INCR + EXPIRE in Redis. The memory
backend here serves one process; gateway.shared.RedisLimiter, behind the same interface, shares
limits between instances.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from cachetools import LRUCache
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.errors import error_response, request_id_of

__all__ = [
    "Decision",
    "Limiter",
    "MemoryLimiter",
    "RateLimit",
    "RateLimitMiddleware",
    "decide",
    "parse_rate",
    "window_of",
]

_RATE = re.compile(r"^(\d+)/(\d+)$")


@dataclass(frozen=True, slots=True)
class RateLimit:
    requests: int
    seconds: int

    @property
    def interval(self) -> float:
        return self.seconds / self.requests


def parse_rate(text: str) -> RateLimit:
    """`<requests>/<seconds>`, both positive whole numbers."""
    match = _RATE.match(text.strip())
    if match is None or int(match.group(1)) < 1 or int(match.group(2)) < 1:
        raise ValueError(f"a rate is <requests>/<seconds>, e.g. 600/60 (got {text!r})")
    return RateLimit(int(match.group(1)), int(match.group(2)))


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset: int  # Unix epoch seconds when the key's allowance is whole again
    retry_after: int  # seconds to wait before the next request can pass (0 when allowed)


class Limiter(Protocol):
    async def hit(self, key: str, rate: RateLimit) -> Decision: ...


def window_of(now: float, rate: RateLimit) -> int:
    """The number of the window `now` falls in; windows are aligned to the epoch."""
    return math.floor(now / rate.seconds)


def decide(count: int, rate: RateLimit, window: int, now: float) -> Decision:
    """What the `count`-th request of a window (this one included) is told; every backend counts,
    this alone decides."""
    reset = (window + 1) * rate.seconds
    if count > rate.requests:
        return Decision(False, rate.requests, 0, reset, max(1, math.ceil(reset - now)))
    return Decision(True, rate.requests, rate.requests - count, reset, 0)


class MemoryLimiter:
    def __init__(self, max_keys: int = 100_000, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        # key -> (window number, requests counted in it); an older window is simply replaced.
        self._windows: LRUCache[str, tuple[int, int]] = LRUCache(maxsize=max_keys)

    async def hit(self, key: str, rate: RateLimit) -> Decision:
        now = self._clock()
        window = window_of(now, rate)
        seen, count = self._windows.get(key, (window, 0))
        count = (count if seen == window else 0) + 1
        self._windows[key] = (window, count)
        return decide(count, rate, window, now)


class RateLimitMiddleware:
    """Counts every keyed request against its key's limit (by key mode); 429 past it. Sits inside the
    API-key middleware, so only authenticated callers are counted and public routes are free."""

    def __init__(
        self,
        app: ASGIApp,
        limiter: Limiter,
        rates: dict[str, RateLimit],
        on_reject: Callable[[str], None] = lambda _mode: None,
    ) -> None:
        if not rates:
            raise ValueError("rates must name at least one key mode")
        self.app = app
        self.limiter = limiter
        self.rates = rates
        self.on_reject = on_reject

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        caller = scope.get("state", {}).get("caller") if scope["type"] == "http" else None
        if caller is None:
            await self.app(scope, receive, send)
            return
        decision = await self.limiter.hit(caller.id, self.rates[caller.mode])
        headers = {
            "X-RateLimit-Limit": str(decision.limit),
            "X-RateLimit-Remaining": str(decision.remaining),
            "X-RateLimit-Reset": str(decision.reset),
        }
        if not decision.allowed:
            self.on_reject(caller.mode)
            response = error_response(
                request_id_of(scope),
                429,
                "rate_limited",
                f"This key's limit of {decision.limit} requests is used up; retry in {decision.retry_after} s.",
                headers={**headers, "Retry-After": str(decision.retry_after)},
                error_extras={"retry_after_seconds": decision.retry_after},
            )
            await response(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start" and 200 <= message["status"] < 300:
                extra = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)
