"""`GET /api/v2/resolve?q=`: a name, pasted link or foreign locator -> cluster_id (always 200)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import GraphQLSchema
from starlette.requests import Request

from gateway.errors import ApiError
from resolvers.identity import query_problem
from rest_compat.contract import query_text
from rest_compat.table import GraphQLCall, RestRoute, single_param, snake_keys

__all__ = ["RESOLVE"]

DOCUMENT = """
query Resolve($q: String!) {
  resolve(q: $q) {
    query resolvedFrom resolvedVia clusterId matchedOn note name next
    candidates { clusterId name slug score }
  }
}
"""


def call(request: Request, _schema: GraphQLSchema) -> GraphQLCall:
    q = str(single_param(request, "q", required=True))
    problem = query_problem(q)
    if problem:
        raise ApiError(400, "invalid_request", problem, details=[{"path": "q", "message": problem, "code": "invalid"}])
    return GraphQLCall(DOCUMENT, {"q": q})


def _lower(value: str | None) -> str | None:
    return None if value is None else value.lower()


def shape(data: Mapping[str, Any], _call: GraphQLCall) -> dict[str, Any]:
    body: dict[str, Any] = snake_keys(data["resolve"])
    for enum_field in ("resolved_from", "resolved_via", "matched_on"):
        body[enum_field] = _lower(body[enum_field])
    return body


RESOLVE = RestRoute(
    path="/api/v2/resolve",
    operation_id="resolve",
    summary="Resolve a name, a pasted link or a discogs:/mbid:/bandcamp: locator to a cluster_id",
    call=call,
    shape=shape,
    response=lambda book: book.of_document(DOCUMENT),
    params=(
        query_text("A name as any source spells it, a pasted Discogs / MusicBrainz / Bandcamp link, or a locator"),
    ),
)
