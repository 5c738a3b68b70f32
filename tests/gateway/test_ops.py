"""Operations: /healthz (alive), /readyz (producers and snapshots), /metrics (Prometheus text)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from fleet.faults import FleetFaults
from fleet.snapshots import publish
from gateway.app import create_app
from gateway.logs import JsonFormatter
from gateway.settings import Settings
from producers.catalog import PRODUCERS
from tests.conftest import running


async def test_metrics_count_requests_by_route_and_producer_calls(make_settings: Callable[..., Settings]) -> None:
    app = create_app(make_settings())
    async with running(app) as client:
        key = app.state.services.keys.create("test")[1]
        for q in ("bjork", "burial"):
            assert (await client.get("/api/v2/resolve", params={"q": q}, headers={"X-API-Key": key})).status_code == 200
        await client.get("/api/v2/nowhere", headers={"X-API-Key": key})
        page = await client.get("/metrics")  # public, like /healthz
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/plain; version=0.0.4")
    text = page.text
    assert 'crate_http_requests_total{method="GET",route="/api/v2/resolve",status="200"} 2.0' in text
    assert 'crate_http_requests_total{method="GET",route="unmatched",status="404"} 1.0' in text
    assert 'crate_http_request_seconds_count{route="/api/v2/resolve"} 2.0' in text
    assert 'crate_producer_calls_total{outcome="ok",producer="identity-graph"}' in text
    assert 'crate_producer_breaker_open{producer="mb-works"} 0.0' in text
    assert "crate_row_cache_entries " in text and "crate_row_cache_hits " in text


async def test_readyz_when_everything_answers(
    make_settings: Callable[..., Settings], fleet_db: Path, tmp_path: Path
) -> None:
    publish(fleet_db, tmp_path / "snaps")
    app = create_app(make_settings(snapshot_dir_setting=tmp_path / "snaps"))
    async with running(app) as client:
        response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {
            "producers": {spec.name: True for spec in PRODUCERS},
            "snapshots": {"tastemakers": True, "ones_to_watch": True, "breakouts": True},
        },
    }


async def test_readyz_names_what_is_not_ready(make_settings: Callable[..., Settings]) -> None:
    app = create_app(make_settings(fleet_faults=FleetFaults(fail=frozenset({"mb-works"}))))
    async with running(app) as client:
        response = await client.get("/readyz")
        alive = await client.get("/healthz")
    body = response.json()
    assert response.status_code == 503 and body["status"] == "not_ready"
    assert [name for name, ok in body["checks"]["producers"].items() if not ok] == ["mb-works"]
    assert body["checks"]["snapshots"] == {"tastemakers": False, "ones_to_watch": False, "breakouts": False}
    assert (alive.status_code, alive.json()) == (200, {"status": "ok"})


async def test_the_root_teaches_the_recipe_with_a_live_example(
    make_settings: Callable[..., Settings], fleet_db: Path, tmp_path: Path
) -> None:
    publish(fleet_db, tmp_path / "snaps")
    app = create_app(make_settings(snapshot_dir_setting=tmp_path / "snaps"))
    async with running(app) as client:
        root = (await client.get("/api/v2")).json()  # public
        key = app.state.services.keys.create("test")[1]
        example = root["example"]
        assert [step["step"] for step in root["recipe"]] == [1, 2, 3]
        for call in example["calls"]:
            method, path = call.split(" ", 1)
            response = await client.get(path, headers={"X-API-Key": key})
            assert (method, response.status_code) == ("GET", 200), call
        resolved = (await client.get(example["calls"][0].split(" ", 1)[1], headers={"X-API-Key": key})).json()
        assert example["calls"][1] == f"GET /api/v2/artist/{resolved['cluster_id']}"  # the steps chain
        assert resolved["name"] == example["artist"]
        for name, link in root["links"].items():  # every link answers (a browser GET for the playground)
            response = await client.get(
                link + ("x" if link.endswith("=") else ""), headers={"X-API-Key": key, "Accept": "text/html"}
            )
            assert response.status_code == 200, name


async def test_the_root_without_a_snapshot_still_answers(make_settings: Callable[..., Settings]) -> None:
    async with running(create_app(make_settings())) as client:
        root = await client.get("/api/v2")
    assert root.status_code == 200 and root.json()["example"] is None


async def test_every_request_is_logged_as_json_with_its_request_id(
    make_settings: Callable[..., Settings], caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(make_settings())
    with caplog.at_level(logging.INFO, logger="crate.access"):
        async with running(app) as client:
            response = await client.get("/api/v2/nowhere", headers={"X-Request-Id": "trace-7"})
    records = [r for r in caplog.records if r.name == "crate.access"]
    assert len(records) == 1
    line = orjson.loads(JsonFormatter().format(records[0]))
    assert {k: v for k, v in line.items() if k not in ("ts", "duration_ms")} == {
        "level": "info",
        "logger": "crate.access",
        "message": "request",
        "request_id": "trace-7",
        "method": "GET",
        "path": "/api/v2/nowhere",
        "route": "unmatched",
        "status": response.status_code,
    }
    assert line["duration_ms"] >= 0
