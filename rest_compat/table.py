"""The REST route table: each `/api/v2` route is a GraphQL document, a parameter reader that
turns the request into variables (or a 400), and a shaper from GraphQL data to the snake_case body.

Handlers are generated from the table, so REST can never do what GraphQL would not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
import strawberry
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gateway.errors import ApiError, request_id_of
from gateway.services import Services

__all__ = ["RestRoute", "endpoints", "single_param", "snake_keys"]

_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")


@dataclass(frozen=True, slots=True)
class RestRoute:
    path: str
    operation_id: str
    summary: str
    document: str
    variables: Callable[[Request], dict[str, Any]]
    shape: Callable[[Mapping[str, Any]], Any]
    method: str = "GET"


def single_param(request: Request, name: str, *, required: bool = False) -> str | None:
    """A query parameter given at most once; a repeat is ambiguous, so it is a 400."""
    values = request.query_params.getlist(name)
    if len(values) > 1:
        raise ApiError(
            400,
            "invalid_request",
            f"{name} was given {len(values)} times; give it once.",
            details=[{"path": name, "message": "given more than once", "code": "duplicate"}],
        )
    if not values:
        if required:
            raise ApiError(
                400,
                "invalid_request",
                f"The query parameter {name} is required.",
                details=[{"path": name, "message": "required", "code": "missing"}],
            )
        return None
    return values[0]


def snake_keys(value: Any) -> Any:
    """GraphQL's camelCase keys, recursively, as REST's snake_case."""
    if isinstance(value, dict):
        return {_CAMEL.sub(r"_\1", key).lower(): snake_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [snake_keys(item) for item in value]
    return value


def _endpoint(route: RestRoute, schema: strawberry.Schema, services: Services) -> Callable[[Request], Any]:
    async def endpoint(request: Request) -> Response:
        variables = route.variables(request)
        request_id = request_id_of(request.scope)
        context = services.context(request_id, request.scope.get("state", {}).get("caller"))
        result = await schema.execute(route.document, variable_values=variables, context_value=context)
        if result.errors or result.data is None:
            # Parameters were validated above, so any error here is ours, not the caller's.
            raise RuntimeError(f"{route.operation_id}: {result.errors}")
        return Response(orjson.dumps(route.shape(result.data)), media_type="application/json")

    endpoint.__name__ = route.operation_id
    return endpoint


def endpoints(table: list[RestRoute], schema: strawberry.Schema, services: Services) -> list[Route]:
    return [Route(r.path, _endpoint(r, schema, services), methods=[r.method], name=r.operation_id) for r in table]
