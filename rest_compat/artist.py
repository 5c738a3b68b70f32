"""`GET /api/v2/artist/{key}` and `/api/v2/dossier/artist/{slug}`: the artist dossier.

The GraphQL document is generated from the facet registry and the schema's types, so
`?fields=` is exactly the registry's facet names and every facet's data is selected whole.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from graphql import GraphQLObjectType, GraphQLSchema, get_named_type
from starlette.requests import Request

from gateway.context import Context
from gateway.errors import ApiError
from resolvers import artist as resolvers
from resolvers.artist import address_artist
from rest_compat.plan import plain
from rest_compat.table import GraphQLCall, RestRoute, single_param, snake_keys
from schema.manifest import provenance_entry
from schema.registry import ARTIST_FACETS, IDENTITY_SOURCE, FacetSpec, IdentitySource, artist_facet

__all__ = ["ARTIST_ROUTES", "FIELDS", "selection"]

FIELDS: tuple[str, ...] = ("identity", *(spec.name for spec in ARTIST_FACETS))
_SPECS: dict[str, FacetSpec | IdentitySource] = {"identity": IDENTITY_SOURCE, **{s.name: s for s in ARTIST_FACETS}}
_GRAPHQL_NAME = {"identity": "identity", **{spec.name: spec.graphql_name for spec in ARTIST_FACETS}}


def selection(kind: GraphQLObjectType) -> str:
    """Every field of a type, nested objects included: `{ a b { c } }`."""
    parts = []
    for name, field in kind.fields.items():
        inner = get_named_type(field.type)
        parts.append(f"{name} {selection(inner)}" if isinstance(inner, GraphQLObjectType) else name)
    return "{ " + " ".join(parts) + " }"


@lru_cache(maxsize=1024)
def _document(schema: GraphQLSchema, facets: tuple[str, ...]) -> str:
    artist = schema.type_map["Artist"]
    assert isinstance(artist, GraphQLObjectType)
    parts = ["key clusterId resolvedVia"]
    for name in facets:
        field_name = _GRAPHQL_NAME[name]
        kind = get_named_type(artist.fields[field_name].type)
        assert isinstance(kind, GraphQLObjectType)
        parts.append(f"{field_name} {selection(kind)}")
    return "query ArtistDossier($key: String!) { artist(key: $key) { " + " ".join(parts) + " } }"


def _fields(request: Request, key: str) -> tuple[str, ...]:
    raw = single_param(request, "fields")
    if raw is None:
        return FIELDS
    asked = [name.strip() for name in raw.split(",") if name.strip()]
    unknown = [name for name in asked if name not in _SPECS]
    if unknown or not asked:
        message = (
            f"Unknown field(s): {', '.join(unknown)}." if unknown else "fields must name at least one facet."
        ) + " Valid fields are listed in valid_fields."
        raise ApiError(
            400, "invalid_fields", message,
            details=[{"path": "fields", "message": f"unknown field {name!r}", "code": "unknown_field"}
                     for name in unknown] or [{"path": "fields", "message": "empty", "code": "empty"}],
            extras={"valid_fields": list(FIELDS),
                    "example": f"{request.url.path}?fields=identity,discography"},
        )  # fmt: skip
    # The order of the answer is the registry's, whatever order they were asked in.
    return tuple(name for name in FIELDS if name in asked)


def call(request: Request, schema: GraphQLSchema) -> GraphQLCall:
    key = request.path_params["key"]
    address_artist(key)  # a foreign locator or an unusable key is a 400 before anything runs
    facets = _fields(request, key)
    return GraphQLCall(_document(schema, facets), {"key": key}, {"facets": facets})


async def plan(call: GraphQLCall, context: Context) -> dict[str, Any]:
    """The data `call.document` selects, from the same resolvers, without the executor."""
    key = call.variables["key"]
    address = address_artist(key)
    loaders = context.loaders
    facets: tuple[str, ...] = call.hints["facets"]
    pending: list[Awaitable[Any]] = [resolvers.cluster_id(address, loaders), resolvers.resolved_via(address, loaders)]
    for name in facets:
        if name == "identity":
            pending.append(resolvers.identity(address, loaders))
        else:
            pending.append(resolvers.facet(artist_facet(name), address, loaders))
    cluster, via, *values = await asyncio.gather(*pending)
    artist: dict[str, Any] = {"key": key, "clusterId": cluster, "resolvedVia": plain(via)}
    for name, value in zip(facets, values, strict=True):
        artist[_GRAPHQL_NAME[name]] = plain(value)
    return {"artist": artist}


def _lower(value: str | None) -> str | None:
    return None if value is None else value.lower()


def shape(data: Mapping[str, Any], call: GraphQLCall) -> dict[str, Any]:
    artist = data["artist"]
    body: dict[str, Any] = {
        "key": artist["key"],
        "grain": "artist",
        "cluster_id": artist["clusterId"],
        "resolved_via": _lower(artist["resolvedVia"]),
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "provenance": [],
    }
    for name in call.hints["facets"]:
        value = artist[_GRAPHQL_NAME[name]]
        entry = provenance_entry(_SPECS[name])
        if name == "identity":
            as_of = value.pop("asOf") if value else None
            body[name] = snake_keys(value)
        else:
            as_of = value["asOf"]
            body[name] = snake_keys({**value, "state": value["state"].lower()})
        body["provenance"].append({**entry, "as_of": as_of})
    return body


def _route(path: str, operation_id: str, summary: str) -> RestRoute:
    return RestRoute(
        path=path, operation_id=operation_id, summary=summary, call=call, shape=shape, etag=True, plan=plan
    )


ARTIST_ROUTES = [
    _route("/api/v2/artist/{key}", "getArtist",
           "The artist dossier by 64-hex cluster_id or human slug; ?fields= trims it"),
    _route("/api/v2/dossier/artist/{key}", "getArtistDossier",
           "The artist dossier by slug (a cluster_id works too); ?fields= trims it"),
]  # fmt: skip
