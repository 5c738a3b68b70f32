"""Every producer failure becomes a typed per-key outcome within the request's deadline."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator

import httpx
import pytest

from fleet.faults import FleetFaults
from gateway.app import create_app
from gateway.settings import Settings
from producers.breaker import BreakerState, CircuitBreaker
from producers.catalog import producer
from producers.client import ProducerClient
from producers.outcomes import Failed, Found, Missing
from tests.conftest import running
from tests.servers import crate_process, free_port

pytestmark = pytest.mark.fault

KEY = "0" * 64
TIMEOUTS = {"producer_timeout_ms": 200, "request_deadline_ms": 1500, "cache_max_bytes": 0}


async def load_one(settings: Settings, producer_name: str, table: str, key: str = KEY) -> object:
    app = create_app(settings)
    async with running(app):
        context = app.state.services.context("req_fault", None)
        # The liveness guard: a load that ignored its deadline would hang here and fail the test.
        async with asyncio.timeout(settings.request_deadline_ms / 1000 + 5):
            return await context.loaders.load(producer_name, table, key)


@pytest.mark.parametrize(
    ("faults", "expected"),
    [
        (FleetFaults(latency_ms_by={"mb-works": 600}), "timeout"),
        (FleetFaults(fail=frozenset({"mb-works"})), "http_error"),
        (FleetFaults(hang=frozenset({"mb-works"})), "timeout"),
        (FleetFaults(garbage=frozenset({"mb-works"})), "bad_response"),
    ],
    ids=["latency", "fail", "hang", "garbage"],
)
async def test_fault_modes_embedded(make_settings: Callable[..., Settings], faults: FleetFaults, expected: str) -> None:
    outcome = await load_one(make_settings(fleet_faults=faults, **TIMEOUTS), "mb-works", "compositions")
    assert isinstance(outcome, Failed)
    assert outcome.reason == expected


async def test_other_producers_are_untouched_by_one_failing(make_settings: Callable[..., Settings]) -> None:
    outcome = await load_one(
        make_settings(fleet_faults=FleetFaults(fail=frozenset({"mb-works"})), **TIMEOUTS),
        "press-index",
        "editorial_coverage",
    )
    assert outcome == Missing(outcome.as_of)  # type: ignore[union-attr]


async def test_the_request_deadline_bounds_a_slow_producer(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(
        fleet_faults=FleetFaults(latency_ms_by={"mb-works": 2000}),
        producer_timeout_ms=5000,
        request_deadline_ms=300,
        cache_max_bytes=0,
    )
    outcome = await load_one(settings, "mb-works", "compositions")
    assert isinstance(outcome, Failed) and outcome.reason == "deadline_exceeded"


@pytest.fixture(scope="module")
def faulty_fleet(fleet_db: object) -> Iterator[str]:
    env = {
        "CRATE_FLEET_HANG": "mb-works",
        "CRATE_FLEET_FAIL": "press-index",
        "CRATE_FLEET_GARBAGE": "web-presence",
        "CRATE_FLEET_LATENCY_MS_BOOKING_GRAPH": "600",
    }
    with crate_process(["fleet", "serve", "--db", str(fleet_db)], env=env) as base:
        yield base


@pytest.mark.http
@pytest.mark.parametrize(
    ("producer_name", "table", "expected"),
    [
        ("mb-works", "compositions", "timeout"),
        ("press-index", "editorial_coverage", "http_error"),
        ("web-presence", "web_links", "bad_response"),
        ("booking-graph", "live_presence", "timeout"),
    ],
)
async def test_fault_modes_over_real_http(
    make_settings: Callable[..., Settings], faulty_fleet: str, producer_name: str, table: str, expected: str
) -> None:
    outcome = await load_one(make_settings(fleet_url=faulty_fleet, **TIMEOUTS), producer_name, table)
    assert isinstance(outcome, Failed) and outcome.reason == expected


@pytest.mark.http
async def test_refused_connection_is_unavailable(make_settings: Callable[..., Settings]) -> None:
    urls = {"mb-works": f"http://127.0.0.1:{free_port()}"}  # nothing listens there
    outcome = await load_one(make_settings(producer_urls=urls, **TIMEOUTS), "mb-works", "compositions")
    assert isinstance(outcome, Failed) and outcome.reason == "unavailable"


# ---- the breaker, driven through a client over a scripted transport ------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def scripted(statuses: list[int]) -> tuple[httpx.MockTransport, list[int]]:
    calls: list[int] = []

    def handle(request: httpx.Request) -> httpx.Response:
        status = statuses[min(len(calls), len(statuses) - 1)]
        calls.append(status)
        if status != 200:
            return httpx.Response(status, json={"error": "down"})
        return httpx.Response(
            200, json={"table": "compositions", "as_of": "2026-12-04T00:00:00Z", "rows": {KEY: {"works": []}}}
        )

    return httpx.MockTransport(handle), calls


async def test_breaker_opens_after_repeated_failures_and_closes_after_cooldown() -> None:
    clock = Clock()
    transport, calls = scripted([503, 503, 503, 200])
    breaker = CircuitBreaker(failure_threshold=3, cooldown_seconds=10, clock=clock)
    spec = producer("mb-works")
    async with httpx.AsyncClient(transport=transport, base_url="http://mb/") as http:
        client = ProducerClient(spec, http, timeout_seconds=1, breaker=breaker)
        table = spec.table("compositions")
        far = time.monotonic() + 60

        async def once() -> object:
            return (await client.batch(table, [KEY], far))[KEY]

        for _ in range(3):
            assert await once() == Failed("http_error", "mb-works: answered HTTP 503")
        assert breaker.state is BreakerState.OPEN
        assert await once() == Failed("circuit_open", "mb-works: breaker open; not called")
        assert len(calls) == 3  # the open breaker did not call out
        clock.now += 10
        assert breaker.state is BreakerState.HALF_OPEN
        assert await once() == Found({"works": []}, "2026-12-04T00:00:00Z")
        assert breaker.state is BreakerState.CLOSED
        assert len(calls) == 4


async def test_a_failed_probe_reopens_the_breaker() -> None:
    clock = Clock()
    transport, calls = scripted([500])
    breaker = CircuitBreaker(failure_threshold=2, cooldown_seconds=5, clock=clock)
    spec = producer("mb-works")
    async with httpx.AsyncClient(transport=transport, base_url="http://mb/") as http:
        client = ProducerClient(spec, http, timeout_seconds=1, breaker=breaker)
        far = time.monotonic() + 60
        for _ in range(2):
            await client.batch(spec.table("compositions"), [KEY], far)
        clock.now += 5
        assert (await client.batch(spec.table("compositions"), [KEY], far))[KEY].reason == "http_error"  # type: ignore[union-attr]
        assert breaker.state is BreakerState.OPEN
        clock.now += 4.9
        assert breaker.state is BreakerState.OPEN
        assert len(calls) == 3


def test_half_open_admits_one_probe_at_a_time() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=1, cooldown_seconds=1, clock=clock)
    breaker.record_failure()
    assert not breaker.allow()
    clock.now += 1
    assert breaker.allow()
    assert not breaker.allow()  # the probe is out
    breaker.release()  # it ended without news (e.g. the caller's deadline)
    assert breaker.allow()


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ({KEY: ["not", "a", "dict"]}, Failed("bad_row", "mb-works: row for compositions is not a dict")),
        ({}, Missing("2026-12-04T00:00:00Z")),
        ({KEY: None}, Missing("2026-12-04T00:00:00Z")),
    ],
    ids=["wrong-row-shape", "absent-key", "null-row"],
)
async def test_per_key_outcomes(rows: dict, expected: object) -> None:
    other = "1" * 64
    body = {"table": "compositions", "as_of": "2026-12-04T00:00:00Z", "rows": {**rows, other: {"works": []}}}
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body))
    spec = producer("mb-works")
    async with httpx.AsyncClient(transport=transport, base_url="http://mb/") as http:
        client = ProducerClient(spec, http, timeout_seconds=1, breaker=CircuitBreaker(5, 10))
        far = time.monotonic() + 60
        outcomes = await client.batch(spec.table("compositions"), [KEY, other], far)
    assert outcomes == {KEY: expected, other: Found({"works": []}, "2026-12-04T00:00:00Z")}  # one bad row fails alone


@pytest.mark.parametrize(
    "body",
    [b'{"rows": {}}', b'{"as_of": "x", "rows": []}', b"[]", b'"rows"'],
)
async def test_wrong_shaped_bodies_are_bad_responses(body: bytes) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    spec = producer("mb-works")
    async with httpx.AsyncClient(transport=transport, base_url="http://mb/") as http:
        client = ProducerClient(spec, http, timeout_seconds=1, breaker=CircuitBreaker(5, 10))
        far = time.monotonic() + 60
        outcome = (await client.batch(spec.table("compositions"), [KEY], far))[KEY]
    assert outcome == Failed("bad_response", 'mb-works: body is not {"table", "as_of", "rows"}')


async def test_repeated_malformed_bodies_open_the_breaker() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"as_of": "x", "rows": []}))
    breaker = CircuitBreaker(failure_threshold=3, cooldown_seconds=10, clock=Clock())
    spec = producer("mb-works")
    async with httpx.AsyncClient(transport=transport, base_url="http://mb/") as http:
        client = ProducerClient(spec, http, timeout_seconds=1, breaker=breaker)
        far = time.monotonic() + 60
        for _ in range(3):
            outcome = (await client.batch(spec.table("compositions"), [KEY], far))[KEY]
            assert isinstance(outcome, Failed) and outcome.reason == "bad_response"
    assert breaker.state is BreakerState.OPEN
