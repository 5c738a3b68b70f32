"""The OpenAPI document: served, drift-free against the mounted routes, fingerprinted, and the
contract check that every in-process test runs is itself able to fail."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from starlette.applications import Starlette
from starlette.routing import Route

from rest_compat.openapi import LOCK, VERSION, build_openapi, fingerprint
from schema.root import build_schema
from tests.contract import ContractError, check_answer, document

Gateway = tuple[Starlette, httpx.AsyncClient]


def operations(spec: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(method.upper(), path): op for path, methods in spec["paths"].items() for method, op in methods.items()}


def test_every_mounted_api_route_is_in_the_document_and_nothing_else(gateway: Gateway) -> None:
    app, _client = gateway
    mounted = {
        (method, route.path)
        for route in app.routes
        if isinstance(route, Route) and route.path.startswith("/api/")
        for method in route.methods or ()
        if method != "HEAD"  # Starlette answers HEAD for every GET
    }
    assert mounted == set(operations(document()))


def test_the_document_changes_only_with_a_version_bump() -> None:
    locked = json.loads(LOCK.read_text())
    current = fingerprint(document())
    if current != locked["fingerprint"]:
        assert locked["version"] != VERSION, (
            f"The OpenAPI document changed but info.version is still {VERSION}: bump VERSION in "
            "rest_compat/openapi.py, then record it with `python -m rest_compat.openapi --lock`."
        )
        pytest.fail(f"info.version is {VERSION}: record it with `python -m rest_compat.openapi --lock`")
    assert locked["version"] == VERSION, "the lock names another version: run `python -m rest_compat.openapi --lock`"


def test_the_fingerprint_ignores_only_the_version() -> None:
    spec = document()
    bumped = {**spec, "info": {**spec["info"], "version": "9.9.9"}}
    assert fingerprint(bumped) == fingerprint(spec)
    edited = {**spec, "info": {**spec["info"], "title": "crate!"}}
    assert fingerprint(edited) != fingerprint(spec)


async def test_served_publicly_and_equal_to_the_built_document(gateway: Gateway) -> None:
    _app, client = gateway
    response = await client.get("/api/v2/openapi.json")  # no key
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert response.json() == build_openapi(build_schema()._schema)
    assert "x-ratelimit-limit" not in response.headers


def test_the_shape_of_the_document() -> None:
    spec = document()
    assert (spec["openapi"], spec["info"]["version"]) == ("3.1.0", "2.0.0")
    ops = operations(spec)
    ids = [op["operationId"] for op in ops.values()]
    assert len(ids) == len(set(ids))
    assert spec["components"]["securitySchemes"] == {
        "ApiKey": {
            "type": "apiKey",
            "in": "header",
            "name": "X-API-Key",
            "description": "ck_(live|test)_<32 base62>; mint one with `crate keys create`",
        },
        "BeaconToken": {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "The beacon token a search answer carries, valid 15 minutes for its search only",
        },
    }
    public = {key for key, op in ops.items() if op["security"] == []}
    assert public == {("GET", "/api/v2"), ("GET", "/api/v2/openapi.json")}
    for (method, path), op in ops.items():
        ok = op["responses"]["202" if method == "POST" else "200"]
        rate = {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"}
        keyed = op["security"] == [{"ApiKey": []}]
        assert rate <= set(ok["headers"]) if keyed else not rate & set(ok["headers"]), path
        if keyed:
            assert {"401", "429", "500"} <= set(op["responses"]), path
            assert "Retry-After" in op["responses"]["429"]["headers"]
    beacon = ops[("POST", "/api/v2/search-events/observed")]
    assert beacon["security"] == [{"BeaconToken": []}]
    assert beacon["responses"]["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/BeaconErrorBody"
    }
    assert ops[("GET", "/api/v2/resolve")]["responses"]["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorBody"
    }
    assert all(op.get("deprecated") is True for (m, p), op in ops.items() if p.startswith("/api/v1/"))
    for schema in spec["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def test_parameters_carry_their_bounds_and_choices() -> None:
    ops = operations(document())
    search = {p["name"]: p for p in ops[("GET", "/api/v2/search")]["parameters"]}
    assert search["limit"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 50, "default": 10}
    assert search["grain"] == {
        "name": "grain",
        "in": "query",
        "required": False,
        "description": "Which grains to search (default: all)",
        "schema": {"type": "array", "items": {"enum": ["artist", "label", "festival", "master"]}, "minItems": 1},
        "style": "form",
        "explode": False,
        "example": ["artist", "master"],
    }
    assert search["q"]["schema"] == {"type": "string", "minLength": 1, "maxLength": 512, "pattern": "\\S"}
    artist = {p["name"]: p for p in ops[("GET", "/api/v2/artist/{key}")]["parameters"]}
    assert artist["key"]["in"] == "path" and artist["key"]["required"] is True
    assert artist["fields"]["schema"]["items"]["enum"][:2] == ["identity", "collector"]
    assert artist["If-None-Match"]["in"] == "header"
    breakouts = {p["name"]: p for p in ops[("GET", "/api/v2/breakouts")]["parameters"]}
    assert breakouts["tier"]["schema"] == {"enum": ["breakout", "rising"]}


def test_the_contract_check_can_fail() -> None:
    headers = httpx.Headers(
        {
            "content-type": "application/json",
            "x-request-id": "req_1",
            "x-ratelimit-limit": "1",
            "x-ratelimit-remaining": "0",
            "x-ratelimit-reset": "1",
        }
    )
    good = b'{"query": "x", "resolved_from": "name", "resolved_via": null, "cluster_id": null, "matched_on": null, "note": null, "name": null, "next": null, "candidates": []}'
    check_answer("GET", "/api/v2/resolve", 200, headers, good)
    with pytest.raises(ContractError, match="body breaks"):
        check_answer(
            "GET", "/api/v2/resolve", 200, headers, good.replace(b'"resolved_from": "name"', b'"resolved_from": "NAME"')
        )
    with pytest.raises(ContractError, match="body breaks"):
        check_answer("GET", "/api/v2/resolve", 200, headers, good.replace(b', "candidates": []', b""))
    with pytest.raises(ContractError, match="status 418 is not documented"):
        check_answer("GET", "/api/v2/resolve", 418, headers, good)
    without = httpx.Headers({k: v for k, v in headers.items() if k != "x-ratelimit-remaining"})
    with pytest.raises(ContractError, match="X-RateLimit-Remaining is documented as required"):
        check_answer("GET", "/api/v2/resolve", 200, without, good)
