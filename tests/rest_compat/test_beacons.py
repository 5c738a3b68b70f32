"""Beacons: the JWT rejection matrix, size cap, strict bodies, idempotency and durability."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import jwt
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette

from gateway.app import create_app
from gateway.beacons import mint_token, new_search_event_id
from gateway.settings import Settings
from rest_compat.beacons import ObservedBeacon, zod_flatten
from tests.conftest import running
from tests.servers import CRATE, free_port

SECRET = "s" * 48
OBSERVED = "/api/v2/search-events/observed"
REFINED = "/api/v2/search-events/refined"
Gateway = tuple[Starlette, httpx.AsyncClient]


@pytest.fixture
async def beacons(make_settings: Callable[..., Settings]) -> AsyncIterator[Gateway]:
    app = create_app(make_settings(beacon_secret=SECRET))
    async with running(app) as client:
        yield app, client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def claims(event: str, **changes: object) -> dict[str, object]:
    now = int(time.time())
    base: dict[str, object] = {"sev": event, "iss": "crate", "aud": "crate:beacon", "iat": now, "exp": now + 900}
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def rejected_tokens(sev: str) -> dict[str, str]:
    good = jwt.encode(claims(sev), SECRET, algorithm="HS256")
    head, body, signature = good.split(".")
    tampered_body = b64(claims(sev, sev="sev_someoneelse123"))
    return {
        "alg none": f"{b64({'alg': 'none', 'typ': 'JWT'})}.{body}.",
        "other secret": jwt.encode(claims(sev), "x" * 48, algorithm="HS256"),
        "RS256": f"{b64({'alg': 'RS256', 'typ': 'JWT'})}.{body}.{signature}",
        "expired": jwt.encode(claims(sev, iat=int(time.time()) - 2000, exp=int(time.time()) - 100), SECRET, "HS256"),
        "not yet valid": jwt.encode(claims(sev, nbf=int(time.time()) + 600), SECRET, algorithm="HS256"),
        "wrong aud": jwt.encode(claims(sev, aud="crate:other"), SECRET, algorithm="HS256"),
        "wrong iss": jwt.encode(claims(sev, iss="someone"), SECRET, algorithm="HS256"),
        "missing sev": jwt.encode(claims(sev, sev=None), SECRET, algorithm="HS256"),
        "truncated": good[: len(good) - 10],
        "tampered": f"{head}.{tampered_body}.{signature}",
        "garbage": "not-a-jwt",
    }


@pytest.mark.parametrize("case", list(rejected_tokens("sev_x" * 3)))
async def test_the_jwt_rejection_matrix(beacons: Gateway, case: str) -> None:
    _app, client = beacons
    sev = new_search_event_id()
    token = rejected_tokens(sev)[case]
    response = await client.post(OBSERVED, content=orjson.dumps({"search_event_id": sev}), headers=bearer(token))
    assert response.status_code == 401, case
    assert response.json()["error"]["code"] == "invalid_beacon_token"
    assert response.headers["www-authenticate"] == 'Bearer realm="crate:beacon"'


async def test_missing_bearer_is_401_and_an_api_key_is_not_a_beacon_credential(beacons: Gateway) -> None:
    app, client = beacons
    sev = new_search_event_id()
    body = orjson.dumps({"search_event_id": sev})
    for headers in ({}, {"X-API-Key": app.state.services.keys.create("test")[1]}, {"Authorization": "Basic abc"}):
        response = await client.post(OBSERVED, content=body, headers=headers)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "missing_beacon_token"


async def test_a_token_for_another_search_is_403(beacons: Gateway) -> None:
    _app, client = beacons
    token, _ = mint_token(SECRET.encode(), new_search_event_id())
    response = await client.post(
        OBSERVED, content=orjson.dumps({"search_event_id": new_search_event_id()}), headers=bearer(token)
    )
    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "beacon_event_mismatch",
        "message": "This token belongs to another search_event_id.",
        "details": [],
        "request_id": response.headers["x-request-id"],
    }


async def test_first_delivery_202_repeat_204_stored_once(beacons: Gateway) -> None:
    app, client = beacons
    sev = new_search_event_id()
    token, _ = mint_token(SECRET.encode(), sev)
    body = orjson.dumps({"search_event_id": sev, "result_count": 3, "cache_age_seconds": 12.5})
    first = await client.post(OBSERVED, content=body, headers=bearer(token))
    assert (first.status_code, first.json()) == (202, {"stored": True, "search_event_id": sev})
    again = await client.post(OBSERVED, content=body, headers=bearer(token))
    assert (again.status_code, again.content) == (204, b"")
    refined = await client.post(
        REFINED,
        content=orjson.dumps({"search_event_id": sev, "q": "bjork", "grains": ["artist"]}),
        headers=bearer(token),
    )
    assert refined.status_code == 202
    stored = app.state.services.beacons.all()
    assert [(b.kind, b.body) for b in stored] == [
        ("observed", {"search_event_id": sev, "result_count": 3, "cache_age_seconds": 12.5}),
        ("refined", {"search_event_id": sev, "q": "bjork", "grains": ["artist"]}),
    ]


async def test_a_count_is_a_json_integer_even_written_with_a_point(beacons: Gateway) -> None:
    """12.0 is an integer in JSON Schema (so in the OpenAPI document); it is stored as 12. 12.5 is not."""
    app, client = beacons
    sev = new_search_event_id()
    token, _ = mint_token(SECRET.encode(), sev)
    whole = await client.post(
        OBSERVED, content=b'{"search_event_id": "%s", "result_count": 12.0}' % sev.encode(), headers=bearer(token)
    )
    assert whole.status_code == 202
    assert app.state.services.beacons.all()[-1].body == {"search_event_id": sev, "result_count": 12}
    half = await client.post(
        OBSERVED, content=b'{"search_event_id": "%s", "result_count": 12.5}' % sev.encode(), headers=bearer(token)
    )
    assert half.status_code == 400
    assert half.json()["error"]["details"]["fieldErrors"] == {"result_count": ["Input should be a valid integer"]}


async def test_50_concurrent_identical_beacons_store_one(beacons: Gateway) -> None:
    app, client = beacons
    sev = new_search_event_id()
    token, _ = mint_token(SECRET.encode(), sev)
    body = orjson.dumps({"search_event_id": sev, "result_count": 1})
    responses = await asyncio.gather(*(client.post(OBSERVED, content=body, headers=bearer(token)) for _ in range(50)))
    codes = sorted(r.status_code for r in responses)
    assert codes == [202] + [204] * 49
    assert len(app.state.services.beacons.all()) == 1


@pytest.mark.parametrize("chunked", [False, True])
async def test_513_bytes_is_413_before_parsing(beacons: Gateway, chunked: bool) -> None:
    app, client = beacons
    sev = new_search_event_id()
    token, _ = mint_token(SECRET.encode(), sev)
    prefix = orjson.dumps({"search_event_id": sev, "q": ""})[:-2]
    fill = 512 - len(prefix) - 2
    fits = prefix + b"x" * fill + b'"}'
    too_big = prefix + b"x" * (fill + 1) + b'"}'
    assert (len(fits), len(too_big)) == (512, 513)

    def content(data: bytes) -> object:
        if not chunked:
            return data

        async def parts():  # type: ignore[no-untyped-def]
            yield data[:300]
            yield data[300:]

        return parts()

    ok = await client.post(REFINED, content=content(fits), headers=bearer(token))  # type: ignore[arg-type]
    assert ok.status_code == 202
    big = await client.post(REFINED, content=content(too_big), headers=bearer(token))  # type: ignore[arg-type]
    assert big.status_code == 413 and big.json()["error"]["code"] == "payload_too_large"
    assert ("content-length" in big.request.headers) is not chunked
    assert len(app.state.services.beacons.all()) == 1


@pytest.mark.parametrize(
    ("body", "details"),
    [
        (b"{nope", {"formErrors": ["Invalid JSON"], "fieldErrors": {}}),
        (b"[]", {"formErrors": ["Expected object"], "fieldErrors": {}}),
        (
            b'{"search_event_id": "SEV", "extra": 1, "more": 2}',
            {
                "formErrors": ["Unrecognized key(s) in object: 'extra', 'more'"],
                "fieldErrors": {"search_event_id": ["String should match pattern '^sev_[A-Za-z0-9_-]{10,64}$'"]},
            },
        ),
        (
            b'{"result_count": "3"}',
            {
                "formErrors": [],
                "fieldErrors": {"search_event_id": ["Required"], "result_count": ["Input should be a valid integer"]},
            },
        ),
        (b'{"search_event_id": "SEV_ID", "result_count": -1}', None),
    ],
)
async def test_invalid_bodies_are_400_with_zod_flattened_details(
    beacons: Gateway, body: bytes, details: dict[str, object] | None
) -> None:
    _app, client = beacons
    sev = "sev_" + "a" * 20
    token, _ = mint_token(SECRET.encode(), sev)
    response = await client.post(OBSERVED, content=body.replace(b"SEV_ID", sev.encode()), headers=bearer(token))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_request" and error["message"] == "The beacon body is not valid."
    if details is not None:
        assert error["details"] == details
    else:
        assert error["details"] == {
            "formErrors": [],
            "fieldErrors": {"result_count": ["Input should be greater than or equal to 0"]},
        }


async def test_refined_bodies_are_strict_too(beacons: Gateway) -> None:
    _app, client = beacons
    sev = new_search_event_id()
    token, _ = mint_token(SECRET.encode(), sev)
    body = orjson.dumps({"search_event_id": sev, "grains": ["artist", "song"], "facets": "live"})
    response = await client.post(REFINED, content=body, headers=bearer(token))
    assert response.status_code == 400
    fields = response.json()["error"]["details"]["fieldErrors"]
    assert set(fields) == {"grains", "facets"}


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.text(max_size=20), st.none() | st.integers() | st.text(max_size=30) | st.booleans(), max_size=6)
)
def test_flattening_never_raises_and_sorts_every_error(payload: dict[str, object]) -> None:
    try:
        ObservedBeacon.model_validate(payload)
    except Exception as exc:
        flat = zod_flatten(exc)  # type: ignore[arg-type]
        assert set(flat) == {"formErrors", "fieldErrors"}
        assert flat["formErrors"] or flat["fieldErrors"]


@pytest.mark.http
def test_a_202_survives_sigkill_right_after_the_answer(tmp_path: Path, fleet_db: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "CRATE_DATA_DIR": str(tmp_path),
        "CRATE_FLEET_DB": str(fleet_db),
        "CRATE_BEACON_SECRET": SECRET,
    }
    proc = subprocess.Popen(
        [CRATE, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        sev = new_search_event_id()
        token, _ = mint_token(SECRET.encode(), sev)
        response = httpx.post(
            base + OBSERVED, content=orjson.dumps({"search_event_id": sev, "result_count": 7}), headers=bearer(token)
        )
        proc.send_signal(signal.SIGKILL)  # no shutdown, no flush: only what was committed survives
        assert response.status_code == 202
    finally:
        proc.kill()
        proc.wait()
    rows = sqlite3.connect(tmp_path / "beacons.db").execute("SELECT kind, search_event_id FROM beacons").fetchall()
    assert rows == [("observed", sev)]
