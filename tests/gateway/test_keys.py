"""API keys: format, hashing at rest, revocation, and the 401s a caller meets."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.applications import Starlette

from gateway.keys import KEY_PATTERN, KeyStore, is_well_formed, mint_secret

BASE62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


@given(st.sampled_from(["test", "live"]))
def test_minted_keys_match_the_format(mode: str) -> None:
    secret = mint_secret(mode)
    assert KEY_PATTERN.fullmatch(secret)
    assert secret.startswith(f"ck_{mode}_") and len(secret) == 40
    assert secret != mint_secret(mode)


@given(st.sampled_from(["test", "live"]), st.text(alphabet=BASE62, min_size=32, max_size=32))
def test_every_key_of_the_format_is_well_formed(mode: str, body: str) -> None:
    assert is_well_formed(f"ck_{mode}_{body}")


@given(st.text(max_size=80))
def test_arbitrary_text_is_well_formed_only_if_it_matches_exactly(text: str) -> None:
    expected = text[:8] in ("ck_test_", "ck_live_") and len(text) == 40 and all(ch in BASE62 for ch in text[8:])
    assert is_well_formed(text) == expected


@given(st.sampled_from(["test", "live"]), st.text(alphabet=BASE62, min_size=0, max_size=64))
def test_wrong_lengths_are_rejected(mode: str, body: str) -> None:
    assert is_well_formed(f"ck_{mode}_{body}") == (len(body) == 32)


def test_mint_refuses_unknown_modes() -> None:
    with pytest.raises(ValueError, match="mode must be one of test, live"):
        mint_secret("prod")


def test_the_store_holds_no_key_in_clear(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys.db")
    secrets = [store.create("test", "a")[1], store.create("live", "b")[1]]
    store.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    for secret in secrets:
        assert secret.encode() not in raw
        assert secret[8:].encode() not in raw  # not even the random part
    rows = sqlite3.connect(tmp_path / "keys.db").execute("SELECT hint, length(digest) FROM api_keys").fetchall()
    assert rows == [(secrets[0][:12], 32), (secrets[1][:12], 32)]


def test_verify_list_and_revoke(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys.db")
    key, secret = store.create("live", "ci")
    assert store.verify(secret) == key
    assert store.verify(secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None
    assert store.verify("ck_live_" + "x" * 31) is None
    assert [k.id for k in store.list()] == [key.id]
    assert store.revoke(key.id) is True
    assert store.revoke(key.id) is False  # already revoked
    assert store.verify(secret) is None
    assert store.list()[0].revoked_at is not None
    assert store.active_count() == 0


async def test_requests_without_a_valid_key_get_401(gateway: tuple[Starlette, httpx.AsyncClient], api_key: str) -> None:
    _app, client = gateway
    missing = await client.get("/api/v2/anything")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == 'ApiKey header="X-API-Key"'
    body = missing.json()
    assert body == {
        "error": {
            "code": "missing_api_key",
            "message": "Send your API key in the X-API-Key header.",
            "details": [],
            "request_id": missing.headers["x-request-id"],
        }
    }
    for bad in ("nope", "ck_test_" + "a" * 32, api_key.replace("ck_test_", "ck_live_")):
        response = await client.get("/api/v2/anything", headers={"X-API-Key": bad})
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "invalid_api_key"
    # With a valid key the same path is simply unknown.
    assert (await client.get("/api/v2/anything", headers={"X-API-Key": api_key})).status_code == 404


async def test_a_revoked_key_gets_401(gateway: tuple[Starlette, httpx.AsyncClient], api_key: str) -> None:
    app, client = gateway
    assert (await client.get("/api/v2/x", headers={"X-API-Key": api_key})).status_code == 404
    key_id = app.state.services.keys.list()[0].id
    app.state.services.keys.revoke(key_id)
    response = await client.get("/api/v2/x", headers={"X-API-Key": api_key})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_api_key"


async def test_public_routes_need_no_key(gateway: tuple[Starlette, httpx.AsyncClient]) -> None:
    _app, client = gateway
    for path in ("/api/v2", "/healthz"):
        assert (await client.get(path)).status_code == 200
    # A keyed prefix is keyed whatever the method; the public set is exact. The one exception is
    # the browser's GET of the GraphiQL page, which runs nothing.
    assert (await client.get("/graphql", headers={"Accept": "application/json"})).status_code == 401
    assert (await client.post("/graphql", json={"query": "{ __typename }"})).status_code == 401
    assert (await client.get("/graphql", params={"query": "{ __typename }"})).status_code == 401
    assert (await client.get("/graphql", headers={"Accept": "text/html"})).status_code == 200
    assert (await client.get("/api/v1/artists/1")).status_code == 401
