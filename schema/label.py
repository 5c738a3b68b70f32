"""The Label type: envelope, identity, and the registry's label facets."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from gateway.context import Context
from producers.loaders import Loaders
from resolvers import label as resolvers
from resolvers.facet_state import load_facet
from resolvers.label import LabelAddress
from schema.artist import with_facets
from schema.facets import LabelIdentity
from schema.identity import ResolvedVia
from schema.registry import LABEL_FACETS, FacetSpec

__all__ = ["Label"]


async def _label_facet(spec: FacetSpec, root: Any, loaders: Loaders) -> Any:
    address: LabelAddress = root.address
    return await load_facet(spec, address.label_id, lambda: resolvers.known(address, loaders), loaders)


@strawberry.federation.type(keys=["labelId"], description="A label dossier: identity, sublabel lineage, collectors.")
@with_facets(LABEL_FACETS, _label_facet)
class Label:
    key: str = strawberry.field(description="the key the label was addressed by")
    address: strawberry.Private[LabelAddress]

    @strawberry.field(description="the label's id; null when the key resolved to nothing")
    async def label_id(self, info: Info[Context, None]) -> str | None:
        known = await resolvers.known(self.address, info.context.loaders)
        return None if known is False else self.address.label_id

    @strawberry.field(description="discogs when the label is bound to a Discogs label, null when unresolved")
    async def resolved_via(self, info: Info[Context, None]) -> ResolvedVia | None:
        found = await resolvers.identity(self.address, info.context.loaders)
        return ResolvedVia.DISCOGS if found and found.discogs_label_id is not None else None

    @strawberry.field(description="who the label is; null when the identity graph does not know the key")
    async def identity(self, info: Info[Context, None]) -> LabelIdentity | None:
        return await resolvers.identity(self.address, info.context.loaders)

    @classmethod
    def resolve_reference(cls, labelId: str, **_: Any) -> Label:
        return cls(key=labelId, address=resolvers.address_label(labelId))
