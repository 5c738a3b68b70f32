"""`GET /api/v2/search?q=&grain=&limit=`: ranked matches across grains; no match is results: []."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import GraphQLSchema
from starlette.requests import Request

from gateway.errors import ApiError
from resolvers.identity import query_problem
from resolvers.search import MAX_LIMIT
from rest_compat.contract import Param, query_text
from rest_compat.table import GraphQLCall, RestRoute, list_param, single_param, snake_keys, whole_number
from schema.search import SearchGrain

__all__ = ["SEARCH"]

DOCUMENT = """
query Search($q: String!, $grains: [SearchGrain!], $limit: Int!) {
  search(q: $q, grains: $grains, limit: $limit) {
    q searchEventId beacon { token expiresAt } state reason
    results {
      ... on ArtistHit { grain clusterId name slug }
      ... on LabelHit { grain labelId name slug }
      ... on FestivalHit { grain festivalId name slug }
      ... on MasterHit { grain discogsMasterId title artist clusterId cubeQuadrant cubeLabel ownerCount djCount
                         criticCount linkToCube }
    }
  }
}
"""
_GRAINS = {g.value: g.name for g in SearchGrain}


def _invalid(name: str, message: str) -> ApiError:
    return ApiError(400, "invalid_request", message, details=[{"path": name, "message": message, "code": "invalid"}])


def call(request: Request, _schema: GraphQLSchema) -> GraphQLCall:
    q = str(single_param(request, "q", required=True))
    if problem := query_problem(q):
        raise _invalid("q", problem)
    limit = whole_number(single_param(request, "limit") or "10")
    if limit is None or not 1 <= limit <= MAX_LIMIT:
        raise _invalid("limit", f"limit must be a whole number from 1 to {MAX_LIMIT}")
    asked = list_param(request, "grain")
    grains = None
    if asked is not None:
        unknown = [g for g in asked if g not in _GRAINS]
        if unknown or not asked:
            raise _invalid("grain", f"grain takes a comma list of {', '.join(_GRAINS)}")
        grains = [_GRAINS[g] for g in dict.fromkeys(asked)]
    return GraphQLCall(DOCUMENT, {"q": q, "grains": grains, "limit": limit})


def shape(data: Mapping[str, Any], _call: GraphQLCall) -> dict[str, Any]:
    return dict(snake_keys(data["search"]))


SEARCH = RestRoute(
    path="/api/v2/search",
    operation_id="search",
    summary="Ranked matches for a query across artists, labels, festivals and release groups (masters)",
    call=call,
    shape=shape,
    response=lambda book: book.of_document(DOCUMENT),
    params=(
        query_text("What to look for; the last word matches as a prefix"),
        Param(
            "grain",
            "query",
            "Which grains to search (default: all)",
            {"type": "array", "items": {"enum": list(_GRAINS)}, "minItems": 1},
            comma_list=True,
            example=["artist", "master"],
        ),
        Param(
            "limit",
            "query",
            "How many results at most",
            {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 10},
        ),
    ),
)
