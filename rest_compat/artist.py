"""`GET /api/v2/artist/{key}` and `/api/v2/dossier/artist/{key}`, with a compiled plan."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from gateway.context import Context
from resolvers import artist as resolvers
from resolvers.artist import address_artist
from rest_compat.dossier import dossier_route, graphql_name
from rest_compat.plan import plain
from rest_compat.table import GraphQLCall
from schema.registry import GRAINS

__all__ = ["ARTIST_ROUTES", "plan"]

_GRAIN = GRAINS["artist"]
_KEY = (
    "A 64-hex cluster_id, or a name or slug (chemical-brothers); a discogs:/mbid: locator is a 400 pointing to /resolve"
)


async def plan(call: GraphQLCall, context: Context) -> dict[str, Any]:
    """The data the dossier document selects, from the same resolvers, without the executor."""
    key = call.variables["key"]
    address = address_artist(key)
    loaders = context.loaders
    facets: tuple[str, ...] = call.hints["facets"]
    pending: list[Awaitable[Any]] = [resolvers.cluster_id(address, loaders), resolvers.resolved_via(address, loaders)]
    for name in facets:
        if name == "identity":
            pending.append(resolvers.identity(address, loaders))
        else:
            pending.append(resolvers.facet(_GRAIN.facet(name), address, loaders))
    cluster, via, *values = await asyncio.gather(*pending)
    artist: dict[str, Any] = {"key": key, "clusterId": cluster, "resolvedVia": plain(via)}
    for name, value in zip(facets, values, strict=True):
        artist[graphql_name(_GRAIN, name)] = plain(value)
    return {"artist": artist}


ARTIST_ROUTES = [
    dossier_route("artist", "/api/v2/artist/{key}", "getArtist",
                  "The artist dossier by 64-hex cluster_id or human slug; ?fields= trims it", address_artist,
                  _KEY, plan),
    dossier_route("artist", "/api/v2/dossier/artist/{key}", "getArtistDossier",
                  "The artist dossier by slug (a cluster_id works too); ?fields= trims it", address_artist,
                  _KEY, plan),
]  # fmt: skip
