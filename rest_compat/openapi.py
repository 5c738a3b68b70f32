"""`GET /api/v2/openapi.json`: OpenAPI 3.1, generated from the route tables and response models.

Every operation comes from a table the app also mounts — the GraphQL-defined routes (ROUTES), the
beacon routes, v1 and the two public routes — so a route cannot exist without its entry. What a
change of the document needs: bump VERSION and record the new fingerprint
(`python -m rest_compat.openapi --lock`); a test fails when the document changes without both.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import orjson
from graphql import GraphQLSchema
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from rest_compat.beacons import BEACON_KINDS, BEACON_MAX_BYTES
from rest_compat.contract import BeaconErrorBody, BeaconStored, ErrorBody, ModelBook, Param, RootIndex
from rest_compat.routes import ROUTES
from rest_compat.table import RestRoute
from rest_compat.v1 import DEPRECATION_HEADERS, MIGRATION_PATH, V1_ROUTES, V1Route

__all__ = [
    "LOCK",
    "OPENAPI_PATH",
    "VERSION",
    "Operation",
    "build_openapi",
    "fingerprint",
    "openapi_route",
    "operations",
]

VERSION = "2.0.0"
OPENAPI_PATH = "/api/v2/openapi.json"
LOCK = Path(__file__).with_name("openapi.lock")

Security = Literal["key", "beacon", "public"]
_SECURITY: dict[str, list[dict[str, list[str]]]] = {
    "key": [{"ApiKey": []}],
    "beacon": [{"BeaconToken": []}],
    "public": [],
}
_ERROR_TEXT = {
    400: "The request is not valid: `details` says which parameter and why",
    401: "No credential, or one crate does not accept",
    403: "The credential does not cover this request",
    413: "The body is larger than the route accepts",
    429: "The key's rate limit is used up: wait Retry-After seconds",
    500: "Something failed on crate's side; quote the request_id",
}


@dataclass(frozen=True, slots=True)
class Operation:
    path: str
    method: str
    operation_id: str
    summary: str
    #: the success body's model; None for a free-form JSON object
    response: Callable[[ModelBook], type[BaseModel]] | None
    params: tuple[Param, ...] = ()
    security: Security = "key"
    success: int = 200
    errors: tuple[int, ...] = ()
    etag: bool = False
    deprecated: bool = False
    tag: str = "v2"
    request: type[BaseModel] | None = None
    #: headers every answer of the operation carries, by name -> value (v1's deprecation headers)
    headers: dict[str, str] = field(default_factory=dict)
    no_content: int | None = None  # a bodiless success status besides `success` (beacons: 204)
    error_model: type[BaseModel] = ErrorBody


def _from_rest(route: RestRoute) -> Operation:
    return Operation(
        route.path,
        route.method,
        route.operation_id,
        route.summary,
        route.response,
        route.params,
        errors=(400,),
        etag=route.etag,
        tag="dossiers" if route.etag else "v2",
    )


def _from_v1(route: V1Route) -> Operation:
    model = route.response
    return Operation(
        route.path,
        "GET",
        route.operation_id,
        route.summary,
        lambda _book: model,
        (route.param,),
        errors=(400,),
        deprecated=True,
        tag="v1",
        headers=DEPRECATION_HEADERS,
    )


def operations() -> list[Operation]:
    """Every operation of the API, in the document's order."""
    beacons = [
        Operation(
            f"/api/v2/search-events/{kind}",
            "POST",
            f"searchEvent{kind.capitalize()}",
            (model.__doc__ or "").strip(),
            lambda _book: BeaconStored,
            security="beacon",
            success=202,
            no_content=204,
            errors=(400, 401, 403, 413),
            tag="beacons",
            request=model,
            error_model=BeaconErrorBody,
        )
        for kind, model in BEACON_KINDS.items()
    ]
    return [
        Operation(
            "/api/v2", "GET", "getRoot", "The cold-start recipe, live", lambda _book: RootIndex, security="public"
        ),
        Operation(OPENAPI_PATH, "GET", "getOpenApi", "This document", None, security="public"),
        *(_from_rest(route) for route in ROUTES),
        *beacons,
        *(_from_v1(route) for route in V1_ROUTES),
    ]


def _header(description: str, kind: str = "integer") -> dict[str, Any]:
    return {"description": description, "required": True, "schema": {"type": kind}}


_HEADERS = {
    "RequestId": _header("The request's id, also in every error body and the access log", "string"),
    "RateLimitLimit": _header("Requests the key may make per window"),
    "RateLimitRemaining": _header("Requests left in this window (never negative)"),
    "RateLimitReset": _header("When the window ends and the allowance is whole again (Unix seconds)"),
    "RetryAfter": _header("Seconds to wait before the next request can pass (≥ 1)"),
    "ETag": _header("Over the body less generated_at; send it back in If-None-Match", "string"),
    "Deprecation": _header("Since when this route is deprecated (RFC 9745, @<Unix seconds>)", "string"),
    "Sunset": _header("When this route stops answering (RFC 8594, an HTTP date)", "string"),
    "Link": _header(f'<{MIGRATION_PATH}>; rel="deprecation": the migration map', "string"),
}
_RATE_HEADERS = {
    "X-RateLimit-Limit": "RateLimitLimit",
    "X-RateLimit-Remaining": "RateLimitRemaining",
    "X-RateLimit-Reset": "RateLimitReset",
}


def _refs(names: dict[str, str]) -> dict[str, Any]:
    return {header: {"$ref": f"#/components/headers/{name}"} for header, name in names.items()}


def _operation(op: Operation, book: ModelBook, schemas: dict[type[BaseModel], dict[str, Any]]) -> dict[str, Any]:
    common = {"X-Request-Id": "RequestId", **{name: name for name in op.headers}}
    ok_headers = {**common, **(_RATE_HEADERS if op.security == "key" else {}), **({"ETag": "ETag"} if op.etag else {})}
    body: dict[str, Any] = {"type": "object"} if op.response is None else schemas[op.response(book)]
    responses: dict[str, Any] = {
        str(op.success): {
            "description": "The answer" if op.success == 200 else "Accepted and stored",
            "headers": _refs(ok_headers),
            "content": {"application/json": {"schema": body}},
        }
    }
    if op.no_content is not None:
        responses[str(op.no_content)] = {"description": "Already stored: nothing was written", "headers": _refs(common)}
    if op.etag:
        responses["304"] = {
            "description": "If-None-Match matched the ETag",
            "headers": _refs({**common, "ETag": "ETag"}),
        }
    statuses = [*op.errors, *((401, 429) if op.security == "key" else ()), 500]
    for status in sorted(set(statuses)):
        model = op.error_model if status == 400 else ErrorBody
        headers = {**common, **({"Retry-After": "RetryAfter", **_RATE_HEADERS} if status == 429 else {})}
        responses[str(status)] = {
            "description": _ERROR_TEXT[status],
            "headers": _refs(headers),
            "content": {"application/json": {"schema": schemas[model]}},
        }
    parameters = [param.openapi() for param in op.params]
    if op.etag:
        parameters.append(
            {
                "name": "If-None-Match",
                "in": "header",
                "required": False,
                "description": "An ETag from an earlier answer: 304 when it still matches",
                "schema": {"type": "string"},
            }
        )
    out: dict[str, Any] = {
        "operationId": op.operation_id,
        "summary": op.summary,
        "tags": [op.tag],
        "parameters": parameters,
        "responses": responses,
        "security": _SECURITY[op.security],
    }
    if op.deprecated:
        out["deprecated"] = True
    if op.request is not None:
        out["requestBody"] = {
            "required": True,
            "description": f"At most {BEACON_MAX_BYTES} bytes",
            "content": {"application/json": {"schema": schemas[op.request]}},
        }
    return out


def build_openapi(schema: GraphQLSchema) -> dict[str, Any]:
    ops = operations()
    book = ModelBook(schema)  # one per document: each model is made once, by name
    models: list[type[BaseModel]] = [ErrorBody, BeaconErrorBody]
    for op in ops:
        if op.response is not None:
            models.append(op.response(book))
        if op.request is not None:
            models.append(op.request)
    unique = list(dict.fromkeys(models))
    refs, defs = models_json_schema(
        [(model, "validation") for model in unique], ref_template="#/components/schemas/{model}"
    )
    schemas = {model: refs[(model, "validation")] for model in unique}
    paths: dict[str, dict[str, Any]] = {}
    for op in ops:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, book, schemas)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "crate",
            "version": VERSION,
            "summary": "One dossier per artist, label or festival, joined from a fleet of music-data producers",
            "description": "Resolve anything (a name, a pasted link, a discogs:/mbid: locator) to a cluster_id, then "
            "read its dossier: every facet labelled with its producer and freshness, an empty answer a 200 with an "
            "honest gap. Start at GET /api/v2. v1 is deprecated: see " + MIGRATION_PATH + ".",
            "license": {"name": "Commercial — see the Terms of Service"},
        },
        "servers": [{"url": "/"}],
        "tags": [
            {"name": "v2", "description": "Resolve, search and discovery"},
            {"name": "dossiers", "description": "Dossiers by grain, with ETags and ?fields="},
            {"name": "beacons", "description": "Telemetry about one search, with the search's bearer token"},
            {"name": "v1", "description": f"Frozen and deprecated; see {MIGRATION_PATH}"},
        ],
        "security": _SECURITY["key"],
        "paths": paths,
        "components": {
            "securitySchemes": {
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
            },
            "headers": _HEADERS,
            "schemas": defs.get("$defs", {}),
        },
    }


def fingerprint(document: dict[str, Any]) -> str:
    """A digest of the document less its version: what the version must follow."""
    rest = {**document, "info": {k: v for k, v in document["info"].items() if k != "version"}}
    return hashlib.sha256(orjson.dumps(rest, option=orjson.OPT_SORT_KEYS)).hexdigest()


def openapi_route(schema: GraphQLSchema) -> Route:
    body: list[bytes] = []

    async def openapi(_request: Request) -> Response:
        if not body:
            body.append(orjson.dumps(build_openapi(schema)))
        return Response(body[0], media_type="application/json")

    return Route(OPENAPI_PATH, openapi, methods=["GET"], name="getOpenApi")


def main() -> None:
    from schema.root import build_schema

    parser = argparse.ArgumentParser(description="Print the OpenAPI document, or record its fingerprint.")
    parser.add_argument("--lock", action="store_true", help=f"write VERSION and the fingerprint to {LOCK.name}")
    args = parser.parse_args()
    document = build_openapi(build_schema()._schema)
    if args.lock:
        LOCK.write_text(json.dumps({"version": VERSION, "fingerprint": fingerprint(document)}, indent=2) + "\n")
        print(f"{LOCK}: {VERSION} {fingerprint(document)}")
    else:
        print(json.dumps(document, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
