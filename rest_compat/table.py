"""The REST route table: each `/api/v2` route builds a GraphQL call from the request (or a 400),
executes it in-process through the same schema as /graphql, and shapes the data into the
snake_case body. Handlers are generated from the table, so REST never does what GraphQL would not.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
import strawberry
from graphql import GraphQLSchema
from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gateway.context import Context
from gateway.errors import ApiError, request_id_of
from gateway.services import Services
from resolvers.errors import ClientInputError
from rest_compat.contract import ModelBook, Param
from schema.manifest import rest_name

__all__ = [
    "GraphQLCall",
    "RestRoute",
    "client_error",
    "endpoints",
    "execute",
    "list_param",
    "single_param",
    "snake_keys",
    "whole_number",
]


@dataclass(frozen=True, slots=True)
class GraphQLCall:
    document: str
    variables: dict[str, Any]
    #: what the shaper needs to know about the request (e.g. the facets asked for)
    hints: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RestRoute:
    path: str
    operation_id: str
    summary: str
    call: Callable[[Request, GraphQLSchema], GraphQLCall]
    shape: Callable[[Mapping[str, Any], GraphQLCall], Any]
    #: the 200 body's model (rest_compat/contract.py), for the OpenAPI document
    response: Callable[[ModelBook], type[BaseModel]]
    #: the parameters `call` reads, with the bounds and choices it enforces
    params: tuple[Param, ...] = ()
    method: str = "GET"
    #: answer with an ETag over the body (less `generated_at`) and honour If-None-Match
    etag: bool = False
    #: a compiled plan (rest_compat/plan.py): the document's data without the GraphQL executor
    plan: Callable[[GraphQLCall, Context], Awaitable[dict[str, Any]]] | None = None


def single_param(request: Request, name: str, *, required: bool = False) -> str | None:
    """A query parameter given at most once; a repeat is ambiguous, so it is a 400."""
    values = request.query_params.getlist(name)
    if len(values) > 1:
        raise ApiError(
            400, "invalid_request", f"{name} was given {len(values)} times; give it once.",
            details=[{"path": name, "message": "given more than once", "code": "duplicate"}],
        )  # fmt: skip
    if not values:
        if required:
            raise ApiError(
                400, "invalid_request", f"The query parameter {name} is required.",
                details=[{"path": name, "message": "required", "code": "missing"}],
            )  # fmt: skip
        return None
    return values[0]


def whole_number(text: str) -> int | None:
    """The number ASCII digits spell; None for anything else (str.isdigit alone lets "²" and "٣" in)."""
    return int(text) if text.isascii() and text.isdigit() else None


def list_param(request: Request, name: str) -> list[str] | None:
    """A list parameter: comma-separated (`a,b`, as the document states it) or repeated
    (`name=a&name=b`, OpenAPI's default form, which generated clients send). Items in order,
    blanks dropped; None when the parameter is absent."""
    values = request.query_params.getlist(name)
    if not values:
        return None
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def snake_keys(value: Any) -> Any:
    """GraphQL's camelCase keys, recursively, as REST's snake_case (a few spec names stay camel)."""
    if isinstance(value, dict):
        return {rest_name(key): snake_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [snake_keys(item) for item in value]
    return value


def client_error(error: ClientInputError) -> ApiError:
    extensions = error.extensions or {}
    code = str(extensions.get("code", "invalid_request"))
    path = str(extensions.get("field", ""))
    extras: dict[str, Any] = {name: extensions[name] for name in ("next", "valid_forms") if name in extensions}
    return ApiError(
        400, code, error.message, details=[{"path": path, "message": error.message, "code": code}], extras=extras
    )


def etag_of(body: Mapping[str, Any]) -> str:
    stable = {key: value for key, value in body.items() if key != "generated_at"}
    return '"' + hashlib.sha256(orjson.dumps(stable, option=orjson.OPT_SORT_KEYS)).hexdigest()[:32] + '"'


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    offered = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in offered or etag in offered


async def execute(schema: strawberry.Schema, call: GraphQLCall, context: Context, operation: str) -> dict[str, Any]:
    """Run a route's document through the schema: what the route is defined as."""
    result = await schema.execute(call.document, variable_values=call.variables, context_value=context)
    for error in result.errors or ():
        if isinstance(error.original_error, ClientInputError):
            raise client_error(error.original_error)
    if result.errors or result.data is None:
        # Parameters were validated before, so any other error here is ours, not the caller's.
        raise RuntimeError(f"{operation}: {result.errors}")
    return result.data


def _endpoint(route: RestRoute, schema: strawberry.Schema, services: Services) -> Callable[[Request], Any]:
    async def endpoint(request: Request) -> Response:
        try:
            call = route.call(request, schema._schema)
        except ClientInputError as exc:
            raise client_error(exc) from None
        request_id = request_id_of(request.scope)
        context = services.context(request_id, request.scope.get("state", {}).get("caller"))
        if route.plan is not None:
            try:
                data = await route.plan(call, context)
            except ClientInputError as exc:
                raise client_error(exc) from None
        else:
            data = await execute(schema, call, context, route.operation_id)
        body = route.shape(data, call)
        headers = {}
        if route.etag:
            tag = etag_of(body)
            headers["ETag"] = tag
            if _matches(request.headers.get("if-none-match"), tag):
                return Response(status_code=304, headers=headers)
        return Response(orjson.dumps(body), media_type="application/json", headers=headers)

    endpoint.__name__ = route.operation_id
    return endpoint


def endpoints(table: list[RestRoute], schema: strawberry.Schema, services: Services) -> list[Route]:
    return [Route(r.path, _endpoint(r, schema, services), methods=[r.method], name=r.operation_id) for r in table]
