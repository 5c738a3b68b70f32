"""Per-key rate limits: headers on keyed 2xx, 429 with Retry-After, shared by REST and GraphQL,
and a state machine showing the limiter never goes negative and means what it says."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable

import pytest
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from gateway.app import create_app
from gateway.ratelimit import Decision, Limiter, MemoryLimiter, RateLimit, parse_rate
from gateway.settings import Settings, SettingsError
from tests.conftest import running


async def test_keyed_answers_carry_the_limit_and_429_past_it(make_settings: Callable[..., Settings]) -> None:
    app = create_app(make_settings(rate_limit_test="3/60"))
    async with running(app) as client:
        key = app.state.services.keys.create("test")[1]
        headers = {"X-API-Key": key}
        answers = [await client.get("/api/v2/resolve", params={"q": "bjork"}, headers=headers) for _ in range(3)]
        assert [a.headers["x-ratelimit-remaining"] for a in answers] == ["2", "1", "0"]
        assert {a.headers["x-ratelimit-limit"] for a in answers} == {"3"}
        assert int(answers[-1].headers["x-ratelimit-reset"]) >= int(time.time())
        # GraphQL counts against the same key.
        refused = await client.post("/graphql", json={"query": "{ __typename }"}, headers=headers)
        assert refused.status_code == 429
        retry = int(refused.headers["retry-after"])
        assert retry >= 1
        assert refused.json() == {
            "error": {
                "code": "rate_limited",
                "message": f"This key's limit of 3 requests is used up; retry in {retry} s.",
                "details": [],
                "request_id": refused.headers["x-request-id"],
                "retry_after_seconds": retry,
            }
        }
        # Public routes are neither counted nor refused, and carry no rate-limit headers.
        root = await client.get("/api/v2")
        assert root.status_code == 200 and "x-ratelimit-limit" not in root.headers
        # Another key has its own allowance; a live key its own rate.
        other = await client.get(
            "/api/v2/resolve", params={"q": "x"}, headers={"X-API-Key": app.state.services.keys.create("test")[1]}
        )
        assert other.status_code == 200 and other.headers["x-ratelimit-remaining"] == "2"
        live = await client.get(
            "/api/v2/resolve", params={"q": "x"}, headers={"X-API-Key": app.state.services.keys.create("live")[1]}
        )
        assert live.headers["x-ratelimit-limit"] == "6000"


async def test_errors_are_not_decorated_but_are_counted(make_settings: Callable[..., Settings]) -> None:
    app = create_app(make_settings(rate_limit_test="2/60"))
    async with running(app) as client:
        headers = {"X-API-Key": app.state.services.keys.create("test")[1]}
        missing = await client.get("/api/v2/nowhere", headers=headers)
        assert missing.status_code == 404 and "x-ratelimit-limit" not in missing.headers
        ok = await client.get("/api/v2/resolve", params={"q": "x"}, headers=headers)
        assert ok.headers["x-ratelimit-remaining"] == "0"


def test_rates_parse_and_bad_ones_name_their_variable() -> None:
    assert parse_rate("600/60") == RateLimit(600, 60)
    for bad in ("600", "0/60", "10/0", "a/b", "-1/5"):
        with pytest.raises(ValueError, match="a rate is <requests>/<seconds>"):
            parse_rate(bad)
    with pytest.raises(SettingsError, match="CRATE_RATE_LIMIT_LIVE"):
        Settings.from_env({"CRATE_RATE_LIMIT_LIVE": "lots"})


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


class LimiterMachine(RuleBasedStateMachine):
    """Any sequence of hits and waits: Remaining stays within [0, limit] and falls by one per admitted
    request, a refusal says how long to wait and waiting that long is enough, and no window admits
    more than `requests`."""

    def __init__(self) -> None:
        super().__init__()
        self.clock = Clock()
        self.rate = RateLimit(5, 10)
        self.loop = asyncio.new_event_loop()
        self.limiter: Limiter = self.make_limiter()
        self.key = uuid.uuid4().hex  # a fresh key per run: a shared backend keeps windows between runs
        self.admitted: list[float] = []
        self.last: Decision | None = None
        self.last_at = 0.0

    def make_limiter(self) -> Limiter:
        return MemoryLimiter(clock=self.clock)

    def teardown(self) -> None:
        self.loop.close()

    def hit(self) -> None:
        decision = self.loop.run_until_complete(self.limiter.hit(self.key, self.rate))
        self.last, self.last_at = decision, self.clock.now
        assert 0 <= decision.remaining <= self.rate.requests
        if decision.allowed:
            self.admitted.append(self.clock.now)
        else:
            assert decision.retry_after >= 1 and decision.remaining == 0

    @rule()
    def request(self) -> None:
        self.hit()

    @rule(seconds=st.floats(min_value=0, max_value=15, allow_nan=False))
    def wait(self, seconds: float) -> None:
        self.clock.now += seconds

    @rule()
    def wait_as_told(self) -> None:
        if self.last is not None and not self.last.allowed:
            self.clock.now += self.last.retry_after
            self.hit()
            assert self.last.allowed

    @invariant()
    def windows_hold(self) -> None:
        per_window: dict[int, int] = {}
        for t in self.admitted:
            window = int(t // self.rate.seconds)
            per_window[window] = per_window.get(window, 0) + 1
        assert all(count <= self.rate.requests for count in per_window.values())
        if self.last is not None and self.last.allowed:
            window = int(self.last_at // self.rate.seconds)
            assert self.last.remaining == self.rate.requests - per_window[window]
            assert self.last.reset == (window + 1) * self.rate.seconds


LimiterMachine.TestCase.settings = hypothesis_settings(max_examples=100, stateful_step_count=40, deadline=None)
test_the_limiter_state_machine = LimiterMachine.TestCase
