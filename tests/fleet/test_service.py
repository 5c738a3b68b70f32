"""The batch protocol of every producer, in-process and over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import orjson
import pytest

from fleet.faults import FleetFaults
from fleet.service import create_fleet_app
from fleet.store import FleetStore
from producers.catalog import PRODUCERS

FIXED_NOW = 1_796_342_400.0  # 2026-12-04T00:00:00Z


def client_for(store: FleetStore, faults: FleetFaults | None = None) -> httpx.AsyncClient:
    app = create_fleet_app(store, faults, clock=lambda: FIXED_NOW + 3600 * 5 + 17)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://fleet")


@pytest.fixture
async def fleet(fleet_store: FleetStore) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(fleet_store) as client:
        yield client


async def test_meta_lists_tables_with_cadence_tier_and_as_of(fleet: httpx.AsyncClient) -> None:
    response = await fleet.get("/booking-graph/meta")
    assert response.status_code == 200
    assert response.json() == {
        "producer": "booking-graph",
        "tables": {
            "live_presence": {
                "key": "cluster_id",
                "refresh_cadence": "hourly",
                "tier": "observed",
                "as_of": "2026-12-04T05:00:00Z",
            }
        },
    }
    daily = (await fleet.get("/identity-graph/meta")).json()["tables"]["clusters"]
    assert daily == {
        "key": "cluster_id",
        "refresh_cadence": "daily",
        "tier": "observed",
        "as_of": "2026-12-04T00:00:00Z",
    }


async def test_batch_returns_rows_and_nulls_in_request_order(fleet: httpx.AsyncClient, fleet_store: FleetStore) -> None:
    known = fleet_store.samples("artist", 2)
    keys = [known[1]["cluster_id"], "0" * 64, known[0]["cluster_id"]]
    response = await fleet.post("/identity-graph/tables/clusters/batch", json={"keys": keys})
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["table", "as_of", "rows"]
    assert body["table"] == "clusters" and body["as_of"] == "2026-12-04T00:00:00Z"
    assert list(body["rows"]) == keys
    assert body["rows"]["0" * 64] is None
    assert body["rows"][known[0]["cluster_id"]]["name"] == known[0]["name"]


async def test_every_producer_table_answers_the_protocol(fleet: httpx.AsyncClient) -> None:
    for spec in PRODUCERS:
        assert (await fleet.get(f"/{spec.name}/healthz")).json() == {"status": "ok", "producer": spec.name}
        for table in spec.tables:
            response = await fleet.post(f"/{spec.name}/tables/{table.name}/batch", json={"keys": ["nope"]})
            assert response.status_code == 200
            assert response.json()["rows"] == {"nope": None}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not json", "body must be JSON"),
        (b'{"keys": "abc"}', 'body must be {"keys": [string, ...]}'),
        (b'{"keys": [1, 2]}', 'body must be {"keys": [string, ...]}'),
        (b"[]", 'body must be {"keys": [string, ...]}'),
        (orjson.dumps({"keys": [str(i) for i in range(501)]}), "at most 500 keys per batch"),
    ],
)
async def test_bad_batches_are_400(fleet: httpx.AsyncClient, body: bytes, message: str) -> None:
    response = await fleet.post("/mb-works/tables/compositions/batch", content=body)
    assert (response.status_code, response.json()) == (400, {"error": message})


async def test_unknown_producer_or_table_is_404(fleet: httpx.AsyncClient) -> None:
    for path in ("/nobody/tables/x/batch", "/mb-works/tables/clusters/batch"):
        response = await fleet.post(path, json={"keys": []})
        assert (response.status_code, response.json()) == (404, {"error": "no such producer table"})
    assert (await fleet.get("/nobody/meta")).status_code == 404


async def test_stats_count_batch_calls_and_keys_and_reset(fleet: httpx.AsyncClient) -> None:
    await fleet.post("/mb-works/tables/compositions/batch", json={"keys": ["a", "b"]})
    await fleet.post("/mb-works/tables/compositions/batch", json={"keys": ["c"]})
    await fleet.post("/press-index/tables/editorial_coverage/batch", json={"keys": ["a"]})
    assert (await fleet.get("/fleet/stats")).json() == {
        "batch_calls": 3,
        "keys": 4,
        "producers": {
            "mb-works": {"compositions": {"calls": 2, "keys": 3}},
            "press-index": {"editorial_coverage": {"calls": 1, "keys": 1}},
        },
    }
    assert (await fleet.post("/fleet/stats/reset")).status_code == 204
    assert (await fleet.get("/fleet/stats")).json() == {"batch_calls": 0, "keys": 0, "producers": {}}


async def test_injected_faults(fleet_store: FleetStore) -> None:
    faults = FleetFaults(
        fail=frozenset({"mb-works"}), garbage=frozenset({"press-index"}), stale=frozenset({"booking-graph"})
    )
    async with client_for(fleet_store, faults) as fleet:
        failed = await fleet.post("/mb-works/tables/compositions/batch", json={"keys": ["a"]})
        assert (failed.status_code, failed.json()) == (500, {"error": "injected failure"})
        garbage = await fleet.post("/press-index/tables/editorial_coverage/batch", json={"keys": ["a"]})
        assert garbage.status_code == 200
        with pytest.raises(orjson.JSONDecodeError):
            orjson.loads(garbage.content)
        stale = (await fleet.get("/booking-graph/meta")).json()["tables"]["live_presence"]["as_of"]
        assert stale == "2026-12-04T02:00:00Z"  # three hourly cadences behind
        healthy = await fleet.post("/web-presence/tables/web_links/batch", json={"keys": ["a"]})
        assert healthy.json()["rows"] == {"a": None}
        # Failed calls are still counted: the stats say what the fleet received.
        assert (await fleet.get("/fleet/stats")).json()["batch_calls"] == 3


def test_faults_from_environment() -> None:
    faults = FleetFaults.from_env(
        {
            "CRATE_FLEET_LATENCY_MS": "100",
            "CRATE_FLEET_LATENCY_MS_MB_WORKS": "5",
            "CRATE_FLEET_FAIL": "mb-works, press-index",
            "CRATE_FLEET_HANG": "",
            "CRATE_FLEET_GARBAGE": "web-presence",
        }
    )
    assert faults.latency_seconds("mb-works") == 0.005
    assert faults.latency_seconds("booking-graph") == 0.1
    assert faults.fail == {"mb-works", "press-index"} and faults.hang == frozenset()
    with pytest.raises(ValueError, match="CRATE_FLEET_FAIL: unknown producer"):
        FleetFaults.from_env({"CRATE_FLEET_FAIL": "mb-work"})
    with pytest.raises(ValueError, match="CRATE_FLEET_LATENCY_MS must be a number"):
        FleetFaults.from_env({"CRATE_FLEET_LATENCY_MS": "fast"})


@pytest.mark.http
async def test_rows_are_identical_in_process_and_over_real_http(
    fleet: httpx.AsyncClient, served_fleet: str, fleet_store: FleetStore
) -> None:
    keys_by_table = {
        "clusters": [a["cluster_id"] for a in fleet_store.samples("artist", 40)],
        "foreign_ids": [f"discogs:{a['discogs_id']}" for a in fleet_store.samples("artist", 40) if a["discogs_id"]],
        "labels": [label["label_id"] for label in fleet_store.samples("label", 30)],
    }
    async with httpx.AsyncClient(base_url=served_fleet) as remote:
        for spec in PRODUCERS:
            for table in spec.tables:
                keys = keys_by_table.get(table.name) or [key for key, _ in fleet_store.scan(table.name)][:300]
                path = f"/{spec.name}/tables/{table.name}/batch"
                local = (await fleet.post(path, json={"keys": keys})).json()
                over_http = (await remote.post(path, json={"keys": keys})).json()
                assert local["rows"] == over_http["rows"]
                assert sum(row is not None for row in local["rows"].values()) > 0
