"""Prometheus metrics of one gateway, in its own registry (never the process-global one).

Requests are labelled by route template (`/api/v2/artist/{key}`), never by raw path, so labels stay
few; producer calls by producer and outcome; breaker state and cache figures are read at scrape time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from producers.breaker import BreakerState

__all__ = ["Metrics", "MetricsMiddleware"]

access = logging.getLogger("crate.access")

_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class _Scraped(Collector):
    def __init__(self, read: Callable[[], Iterator[GaugeMetricFamily]]) -> None:
        self._read = read

    def collect(self) -> Iterator[GaugeMetricFamily]:
        yield from self._read()


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "crate_http_requests", "HTTP requests answered", ["route", "method", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "crate_http_request_seconds",
            "Time to answer, by route",
            ["route"],
            buckets=_BUCKETS,
            registry=self.registry,
        )
        self.producer_calls = Counter(
            "crate_producer_calls", "Calls to producers, by outcome", ["producer", "outcome"], registry=self.registry
        )
        self.producer_latency = Histogram(
            "crate_producer_call_seconds", "Producer call time", ["producer"], buckets=_BUCKETS, registry=self.registry
        )
        self.rate_limited = Counter(
            "crate_rate_limit_rejections", "Requests refused for the key's rate limit", ["mode"], registry=self.registry
        )
        self.redis_fallbacks = Counter(
            "crate_redis_fallbacks",
            "Shared-state operations served locally because Redis was unreachable",
            ["operation"],
            registry=self.registry,
        )
        self._sources: list[Callable[[], Iterator[GaugeMetricFamily]]] = []
        self.registry.register(_Scraped(self._scrape))

    def observe_call(self, producer: str, outcome: str, seconds: float) -> None:
        self.producer_calls.labels(producer, outcome).inc()
        self.producer_latency.labels(producer).observe(seconds)

    def redis_fallback(self, operation: str) -> None:
        self.redis_fallbacks.labels(operation).inc()

    def watch(self, source: Callable[[], Iterator[GaugeMetricFamily]]) -> None:
        """Add figures read at scrape time (breaker states, cache sizes)."""
        self._sources.append(source)

    def _scrape(self) -> Iterator[GaugeMetricFamily]:
        for source in self._sources:
            yield from source()

    def render(self) -> bytes:
        return bytes(generate_latest(self.registry))


def breaker_figures(breakers: dict[str, Any]) -> Iterator[GaugeMetricFamily]:
    family = GaugeMetricFamily(
        "crate_producer_breaker_open", "1 when the producer's breaker is open or probing", labels=["producer"]
    )
    for name, breaker in sorted(breakers.items()):
        family.add_metric([name], 0.0 if breaker.state is BreakerState.CLOSED else 1.0)
    yield family


def cache_figures(stats: Callable[[], dict[str, Any]]) -> Iterator[GaugeMetricFamily]:
    figures = stats()
    for key, help_text in (
        ("hits", "row cache hits"),
        ("misses", "row cache misses"),
        ("entries", "rows cached"),
        ("bytes", "bytes cached"),
    ):
        family = GaugeMetricFamily(f"crate_row_cache_{key}", help_text)
        family.add_metric([], float(figures[key]))
        yield family


def shared_cache_figures(cache: Any) -> Iterator[GaugeMetricFamily]:
    """The Redis row cache, as this instance saw it: rows it found there and rows it did not."""
    for key in ("hits", "misses"):
        family = GaugeMetricFamily(f"crate_shared_row_cache_{key}", f"rows looked up in Redis: {key}")
        family.add_metric([], float(getattr(cache, key)))
        yield family


class MetricsMiddleware:
    """Counts, times and logs (crate.access, with the request id) every HTTP answer, by the route
    template that served it."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def observed_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, observed_send)
        finally:
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            seconds = time.perf_counter() - started
            self.metrics.requests.labels(route, scope["method"], str(status)).inc()
            self.metrics.latency.labels(route).observe(seconds)
            if access.isEnabledFor(logging.INFO):  # no dict built per request when the line is dropped
                access.info(
                    "request",
                    extra={
                        "request_id": scope.get("state", {}).get("request_id"),
                        "method": scope["method"],
                        "path": scope["path"],
                        "route": route,
                        "status": status,
                        "duration_ms": round(seconds * 1000, 2),
                    },
                )
