"""Shared state in a real Redis: one limit across gateway processes, fail-open when Redis goes away,
beacon claims and producer rows shared between instances."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import subprocess
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

import httpx
import orjson
import pytest
from hypothesis import settings as hypothesis_settings
from hypothesis.stateful import run_state_machine_as_test

from fleet.store import FleetStore
from gateway.app import create_app
from gateway.beacons import mint_token, new_search_event_id
from gateway.ratelimit import Limiter
from gateway.settings import Settings, SettingsError
from gateway.shared import UNAVAILABLE, RedisLimiter, RedisRowCache, SharedState
from producers.cache import ttl_seconds
from producers.catalog import table
from producers.outcomes import Found, Missing
from tests.conftest import running
from tests.gateway.test_ratelimit import LimiterMachine
from tests.servers import CRATE, RedisServer, crate_process, free_port, redis_process

SECRET = "s" * 40


def test_the_redis_limiter_state_machine(redis_server: RedisServer) -> None:
    """The limiter state machine of the memory backend, run against Redis."""

    class RedisLimiterMachine(LimiterMachine):
        def make_limiter(self) -> Limiter:
            self.shared = SharedState(redis_server.url)
            return RedisLimiter(self.shared, clock=self.clock)

        def teardown(self) -> None:
            assert self.shared.up, "every hit went to Redis"
            self.loop.run_until_complete(self.shared.aclose())
            super().teardown()

    run_state_machine_as_test(
        RedisLimiterMachine, settings=hypothesis_settings(max_examples=40, stateful_step_count=30, deadline=None)
    )


def test_a_redis_url_must_be_one() -> None:
    with pytest.raises(SettingsError, match="CRATE_REDIS_URL: Value error, must be a redis://"):
        Settings.from_env({"CRATE_REDIS_URL": "localhost:6379"})
    with pytest.raises(SettingsError, match="CRATE_REDIS_PREFIX: String should match pattern"):
        Settings.from_env({"CRATE_REDIS_PREFIX": "has space"})
    assert Settings.from_env({"CRATE_REDIS_PREFIX": "staging:"}).redis_prefix == "staging:"


def _env(data: Path, fleet_db: Path, redis_url: str, rate: str) -> dict[str, str]:
    """A `crate serve` on the demo fleet, with Redis and a real limit for test keys."""
    return {
        "CRATE_DATA_DIR": str(data),
        "CRATE_FLEET_DB": str(fleet_db),
        "CRATE_REDIS_URL": redis_url,
        "CRATE_RATE_LIMIT_TEST": rate,
    }


def _mint(env: dict[str, str]) -> str:
    minted = subprocess.run(
        [CRATE, "keys", "create", "--json"], env={**os.environ, **env}, capture_output=True, check=True
    )
    return str(orjson.loads(minted.stdout)["key"])


async def _hammer(bases: list[str], key: str, total: int, concurrency: int = 24) -> list[httpx.Response]:
    """`total` resolves spread over the gateways, `concurrency` in flight at once."""
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(timeout=30) as client:

        async def one(i: int) -> httpx.Response:
            async with gate:
                return await client.get(
                    bases[i % len(bases)] + "/api/v2/resolve", params={"q": f"artist {i}"}, headers={"X-API-Key": key}
                )

        return await asyncio.gather(*(one(i) for i in range(total)))


def _check_refusals(answers: list[httpx.Response]) -> None:
    for answer in answers:
        if answer.status_code == 429:
            retry = int(answer.headers["retry-after"])
            assert retry >= 1 and answer.json()["error"]["retry_after_seconds"] == retry


@pytest.mark.http
async def test_two_gateways_share_one_limit(tmp_path: Path, fleet_db: Path, redis_server: RedisServer) -> None:
    env = _env(tmp_path, fleet_db, redis_server.url, "60/3600")
    key = _mint(env)
    with crate_process(["serve"], env) as first, crate_process(["serve"], env) as second:
        answers = await _hammer([first, second], key, total=240)
    assert Counter(a.status_code for a in answers).keys() <= {200, 429}
    _check_refusals(answers)
    admitted: dict[str, list[int]] = defaultdict(list)
    for answer in answers:
        if answer.status_code == 200:
            admitted[answer.headers["x-ratelimit-reset"]].append(int(answer.headers["x-ratelimit-remaining"]))
    # At most limit × 1.05 per window, from both processes together (each alone would admit 60).
    assert all(len(remaining) <= 63 for remaining in admitted.values()), {w: len(r) for w, r in admitted.items()}
    assert sum(len(r) for r in admitted.values()) >= 60
    # One counter: no two admitted answers of a window saw the same Remaining, and none went below 0.
    for remaining in admitted.values():
        assert len(set(remaining)) == len(remaining) and min(remaining) >= 0


def _fallbacks(metrics_text: str, operation: str) -> float:
    match = re.search(rf'^crate_redis_fallbacks_total\{{operation="{operation}"\}} (\S+)$', metrics_text, re.M)
    return float(match.group(1)) if match else 0.0


@pytest.mark.http
def test_redis_stopped_mid_run_fails_open(tmp_path: Path, fleet_db: Path) -> None:
    with redis_process() as redis:
        env = _env(tmp_path, fleet_db, redis.url, "1000/3600")
        key = _mint(env)
        with crate_process(["serve"], env) as base:
            before = asyncio.run(_hammer([base], key, total=10, concurrency=4))
            assert [a.status_code for a in before] == [200] * 10
            assert httpx.get(base + "/readyz").json()["checks"]["redis"] is True
            assert _fallbacks(httpx.get(base + "/metrics").text, "rate_limit") == 0

            redis.stop()
            during = asyncio.run(_hammer([base], key, total=30, concurrency=6))
            assert [a.status_code for a in during] == [200] * 30
            # The instance's own limiter took over: still counted, still never negative.
            remaining = sorted(int(a.headers["x-ratelimit-remaining"]) for a in during)
            assert remaining == list(range(970, 1000))
            assert _fallbacks(httpx.get(base + "/metrics").text, "rate_limit") == 30
            ready = httpx.get(base + "/readyz")  # (no snapshots are published here either)
            assert ready.status_code == 503 and ready.json()["checks"]["redis"] is False

            redis.start()  # same port: the gateway finds it again after the breaker's cool-down
            deadline = time.monotonic() + 15
            while httpx.get(base + "/readyz").json()["checks"]["redis"] is not True:
                assert time.monotonic() < deadline, "the gateway did not see Redis come back"
                time.sleep(0.2)
            time.sleep(2.1)  # the cool-down after the last fallback
            fallen_back = _fallbacks(httpx.get(base + "/metrics").text, "rate_limit")
            after = asyncio.run(_hammer([base], key, total=5, concurrency=1))
            assert [a.status_code for a in after] == [200] * 5
            # Back on Redis: a fresh server, so the shared window starts again from its first request.
            assert sorted(int(a.headers["x-ratelimit-remaining"]) for a in after)[-1] == 999
            assert _fallbacks(httpx.get(base + "/metrics").text, "rate_limit") == fallen_back


async def test_the_switch_to_local_state_is_logged_once(
    make_settings: Callable[..., Settings], caplog: pytest.LogCaptureFixture
) -> None:
    dead = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    app = create_app(make_settings(redis_url=dead, rate_limit_test="2/60"))
    async with running(app) as client:
        key = app.state.services.keys.create("test")[1]
        with caplog.at_level(logging.WARNING, logger="crate.redis"):
            codes = [
                (await client.get("/api/v2/resolve", params={"q": "x"}, headers={"X-API-Key": key})).status_code
                for _ in range(3)
            ]
        assert codes == [200, 200, 429]  # served, and limited by the instance on its own
        warnings = [r.getMessage() for r in caplog.records if r.name == "crate.redis"]
        assert len(warnings) == 1 and warnings[0].startswith("redis unreachable (rate_limit: ")
        assert 'crate_rate_limit_rejections_total{mode="test"} 1.0' in (await client.get("/metrics")).text


async def test_a_beacon_is_new_once_across_instances(
    make_settings: Callable[..., Settings], redis_server: RedisServer, tmp_path: Path
) -> None:
    first = create_app(make_settings(redis_url=redis_server.url, beacon_secret=SECRET, data_dir=tmp_path / "a"))
    second = create_app(make_settings(redis_url=redis_server.url, beacon_secret=SECRET, data_dir=tmp_path / "b"))
    sev = new_search_event_id()
    token, _expires = mint_token(SECRET.encode(), sev)
    headers = {"Authorization": f"Bearer {token}"}
    body = {"search_event_id": sev, "result_count": 3}
    async with running(first) as a, running(second) as b:
        stored = await a.post("/api/v2/search-events/observed", json=body, headers=headers)
        again = await b.post("/api/v2/search-events/observed", json=body, headers=headers)
        other = await b.post("/api/v2/search-events/observed", json={**body, "result_count": 4}, headers=headers)
        assert (stored.status_code, again.status_code, other.status_code) == (202, 204, 202)
        assert stored.json() == {"stored": True, "search_event_id": sev}
        # Each instance still wrote what it received to its own disk before answering.
        assert len(first.state.services.beacons.all()) == 1
        assert [s.body for s in second.state.services.beacons.all()] == [body, {**body, "result_count": 4}]


async def test_producer_rows_are_shared_between_instances(
    make_settings: Callable[..., Settings], redis_server: RedisServer, fleet_store: FleetStore, tmp_path: Path
) -> None:
    cluster = fleet_store.samples("artist", 3)[2]["cluster_id"]
    first = create_app(make_settings(redis_url=redis_server.url, data_dir=tmp_path / "a"))
    second = create_app(make_settings(redis_url=redis_server.url, data_dir=tmp_path / "b"))
    # Another deployment on the same Redis, under its own prefix: it shares nothing.
    apart = create_app(make_settings(redis_url=redis_server.url, data_dir=tmp_path / "c", redis_prefix="staging:"))
    async with running(first) as a, running(second) as b, running(apart) as c:
        warm = await a.get(
            f"/api/v2/artist/{cluster}", headers={"X-API-Key": first.state.services.keys.create("test")[1]}
        )
        shared = await b.get(
            f"/api/v2/artist/{cluster}", headers={"X-API-Key": second.state.services.keys.create("test")[1]}
        )
        assert warm.status_code == shared.status_code == 200
        assert warm.headers["etag"] == shared.headers["etag"]
        calls = second.state.services.metrics.registry.get_sample_value
        ok_calls = sum(
            calls("crate_producer_calls_total", {"producer": name, "outcome": "ok"}) or 0.0
            for name in second.state.services.pool.clients
        )
        assert ok_calls == 0, "the second instance asked no producer: every row came from Redis"
        assert second.state.services.pool.shared.hits > 0
        text = (await b.get("/metrics")).text
        assert f"crate_shared_row_cache_hits {float(second.state.services.pool.shared.hits)}" in text
        assert "crate_shared_row_cache_misses 0.0" in text
        alone = await c.get(
            f"/api/v2/artist/{cluster}", headers={"X-API-Key": apart.state.services.keys.create("test")[1]}
        )
        assert alone.headers["etag"] == warm.headers["etag"]
        assert apart.state.services.pool.shared.hits == 0 and apart.state.services.pool.shared.misses > 0


async def test_a_cancelled_probe_does_not_stick_the_breaker(redis_server: RedisServer) -> None:
    fallbacks: list[str] = []
    shared = SharedState(redis_server.url, fallbacks.append, cooldown_seconds=0.05)

    async def broken(_redis: object) -> None:
        raise ConnectionError("refused")

    assert await shared.call("probe", broken) is UNAVAILABLE and not shared.up
    await asyncio.sleep(0.06)  # half-open: the next call is the one probe
    hanging = asyncio.ensure_future(shared.call("probe", lambda _r: asyncio.sleep(10)))
    await asyncio.sleep(0.01)
    assert await shared.call("probe", broken) is UNAVAILABLE  # the probe is out: others fall back
    hanging.cancel()
    with pytest.raises(asyncio.CancelledError):
        await hanging
    assert await shared.call("ping", lambda r: r.ping()) is True  # a new probe went out and closed it
    assert shared.up and fallbacks == ["probe", "probe"]
    await shared.aclose()


async def test_values_this_version_did_not_write_are_misses(redis_server: RedisServer) -> None:
    shared = SharedState(redis_server.url)
    rows = RedisRowCache(shared)
    clusters = table("identity-graph", "clusters")
    await shared.redis.mset({"crate:row:clusters:garbage": b"not json", "crate:row:clusters:other": b'{"x": 1}'})
    await rows.put_many(clusters, {"kept": Found({"name": "A"}, "2026-12-04T00:00:00Z"), "gone": Missing("t")})
    found = await rows.get_many(clusters, ["garbage", "other", "kept", "gone", "never"])
    assert found == {"kept": Found({"name": "A"}, "2026-12-04T00:00:00Z"), "gone": Missing("t")}
    assert (rows.hits, rows.misses) == (2, 3)
    assert await shared.redis.ttl("crate:row:clusters:kept") == int(ttl_seconds(clusters))
    await shared.aclose()
