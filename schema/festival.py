"""The Festival type: envelope, de-fragmented identity, and the registry's festival facets."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from gateway.context import Context
from producers.loaders import Loaders
from resolvers import festival as resolvers
from resolvers.facet_state import load_facet
from resolvers.festival import FestivalAddress
from schema.artist import with_facets
from schema.facets import FestivalIdentity
from schema.identity import ResolvedVia
from schema.registry import FESTIVAL_FACETS, FacetSpec

__all__ = ["Festival"]


async def _festival_facet(spec: FacetSpec, root: Any, loaders: Loaders) -> Any:
    address: FestivalAddress = root.address
    return await load_facet(spec, address.alias_id, lambda: resolvers.known(address, loaders), loaders)


@strawberry.federation.type(keys=["festivalId"], description="A festival dossier: one festival out of its fragments.")
@with_facets(FESTIVAL_FACETS, _festival_facet)
class Festival:
    key: str = strawberry.field(description="the slug the festival was addressed by (any fragment's slug works)")
    address: strawberry.Private[FestivalAddress]

    @strawberry.field(description="the canonical festival id; null when the slug resolved to nothing")
    async def festival_id(self, info: Info[Context, None]) -> str | None:
        return await resolvers.canonical_id(self.address, info.context.loaders)

    @strawberry.field(description="cluster (observed: festivals have no canonical source) or null when unresolved")
    async def resolved_via(self, info: Info[Context, None]) -> ResolvedVia | None:
        found = await resolvers.canonical_id(self.address, info.context.loaders)
        return ResolvedVia.CLUSTER if found else None

    @strawberry.field(description="the canonical festival and its fragments; null when the slug is unknown")
    async def identity(self, info: Info[Context, None]) -> FestivalIdentity | None:
        return await resolvers.identity(self.address, info.context.loaders)

    @classmethod
    def resolve_reference(cls, festivalId: str, **_: Any) -> Festival:
        return cls(key=festivalId, address=FestivalAddress(festivalId, festivalId))
