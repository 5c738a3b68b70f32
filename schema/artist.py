"""The Artist type: an envelope, identity, and one lazily resolved field per registry facet."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from gateway.context import Context
from resolvers import artist as resolvers
from resolvers.artist import ArtistAddress
from schema.facets import Identity
from schema.identity import ResolvedVia
from schema.registry import ARTIST_FACETS

__all__ = ["Artist"]


def _with_registry_facets(cls: type) -> type:
    for spec in ARTIST_FACETS:
        setattr(cls, spec.name, strawberry.field(resolver=resolvers.facet_resolver(spec), description=spec.description))
    return cls


@strawberry.federation.type(
    keys=["clusterId"], description="An artist dossier: identity plus every facet the fleet has."
)
@_with_registry_facets
class Artist:
    key: str = strawberry.field(description="the key the artist was addressed by")
    address: strawberry.Private[ArtistAddress]

    @strawberry.field(description="the canonical cluster id; null when the key resolved to nothing")
    async def cluster_id(self, info: Info[Context, None]) -> str | None:
        return await resolvers.cluster_id(self.address, info.context.loaders)

    @strawberry.field(description="discogs (canonical), cluster (observed) or null (unresolved)")
    async def resolved_via(self, info: Info[Context, None]) -> ResolvedVia | None:
        return await resolvers.resolved_via(self.address, info.context.loaders)

    @strawberry.field(description="who the artist is; null when the identity graph does not know the key")
    async def identity(self, info: Info[Context, None]) -> Identity | None:
        return await resolvers.identity(self.address, info.context.loaders)

    @classmethod
    def resolve_reference(cls, clusterId: str, **_: Any) -> Artist:
        return cls(key=clusterId, address=resolvers.address_artist(clusterId))
