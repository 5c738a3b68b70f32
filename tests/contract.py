"""Holds answers to the OpenAPI document: the status must be documented for the operation, the
documented required headers present, and the JSON body valid against the documented schema.

`running()` in conftest checks every /api answer of every in-process test with it, so the REST
tests double as contract tests."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import httpx
import orjson
from jsonschema import Draft202012Validator

from rest_compat.openapi import build_openapi
from schema.root import build_schema

__all__ = ["ContractError", "check_answer", "document"]


class ContractError(AssertionError):
    pass


@cache
def document() -> dict[str, Any]:
    return build_openapi(build_schema()._schema)


@cache
def _operations() -> list[tuple[re.Pattern[str], str, dict[str, Any]]]:
    found = []
    for path, methods in document()["paths"].items():
        pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$")
        for method, operation in methods.items():
            found.append((pattern, method.upper(), operation))
    return found


@cache
def _validator(ref: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": ref, "components": document()["components"]})


def _schema_ref(schema: dict[str, Any]) -> str:
    return str(schema.get("$ref", ""))


def check_answer(method: str, path: str, status: int, headers: httpx.Headers, body: bytes) -> None:
    """Raise ContractError when an /api answer breaks the document."""
    operation = next((op for pattern, m, op in _operations() if m == method and pattern.match(path)), None)
    if operation is None:
        # Unknown routes and methods answer with the error envelope (404, 405), keyed or not (401).
        if status >= 400:
            _check_body(method, path, status, "#/components/schemas/ErrorBody", body)
        return
    documented = operation["responses"].get(str(status))
    if documented is None:
        raise ContractError(f"{method} {path}: status {status} is not documented ({sorted(operation['responses'])})")
    for name, header in documented.get("headers", {}).items():
        resolved = document()["components"]["headers"][header["$ref"].rsplit("/", 1)[1]]
        if resolved.get("required") and name.lower() not in headers:
            raise ContractError(f"{method} {path} {status}: header {name} is documented as required but missing")
    content = documented.get("content", {}).get("application/json")
    if content is None:
        if body:
            raise ContractError(f"{method} {path} {status}: documented without a body, answered {body[:80]!r}")
        return
    if not headers.get("content-type", "").startswith("application/json"):
        raise ContractError(f"{method} {path} {status}: content-type {headers.get('content-type')}")
    ref = _schema_ref(content["schema"])
    if ref:
        _check_body(method, path, status, ref, body)


def _check_body(method: str, path: str, status: int, ref: str, body: bytes) -> None:
    value = orjson.loads(body)
    errors = sorted(_validator(ref).iter_errors(value), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path)
        raise ContractError(f"{method} {path} {status}: body breaks {ref} at /{where}: {first.message[:300]}")
