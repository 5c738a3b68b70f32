"""The Artist type: an envelope, identity, and one lazily resolved field per registry facet."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from strawberry.types import Info

from gateway.context import Context
from producers.loaders import Loaders
from resolvers import artist as resolvers
from resolvers.artist import ArtistAddress
from resolvers.facet_state import facet_resolver
from schema.facets import Identity
from schema.identity import ResolvedVia
from schema.registry import ARTIST_FACETS, FacetSpec

__all__ = ["Artist", "with_facets"]


def with_facets(
    specs: tuple[FacetSpec, ...], load: Callable[[FacetSpec, Any, Loaders], Awaitable[Any]]
) -> Callable[[type], type]:
    """Add one lazily resolved field per registry facet to a dossier type."""

    def decorate(cls: type) -> type:
        for spec in specs:
            field = strawberry.field(resolver=facet_resolver(spec, load), description=spec.description)
            setattr(cls, spec.name, field)
        return cls

    return decorate


async def _artist_facet(spec: FacetSpec, root: Any, loaders: Loaders) -> Any:
    return await resolvers.facet(spec, root.address, loaders)


@strawberry.federation.type(
    keys=["clusterId"], description="An artist dossier: identity plus every facet the fleet has."
)
@with_facets(ARTIST_FACETS, _artist_facet)
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
