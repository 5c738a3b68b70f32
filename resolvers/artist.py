"""Artist dossier resolvers: addressing, identity, and every facet through the request's loaders.

A facet's load and its artist's identity load go out in the same tick, so a dossier costs one
round of batch calls whatever it selects (latency follows the slowest producer, not the sum).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from producers.loaders import Loaders
from producers.outcomes import Failed, Found, Missing, Outcome
from resolvers.errors import ClientInputError
from resolvers.facet_state import load_facet
from resolvers.identity import binding_tier, require_key, resolve_path
from resolvers.identity_norm import cluster_id as name_cluster_id
from resolvers.identity_norm import pe_norm_v1, slug_for
from resolvers.locators import is_cluster_hex, is_foreign_locator
from schema.facets import Facet, Identity
from schema.identity import ResolvedVia
from schema.registry import FacetSpec

__all__ = ["ArtistAddress", "address_artist", "facet", "identity", "resolved_via"]

_IDENTITY = "identity-graph"


@dataclass(frozen=True, slots=True)
class ArtistAddress:
    key: str
    by_cluster: bool  # a 64-hex key: the cluster alone, never the Discogs bind
    cluster_id: str | None  # None: the key has nothing identifying in it


def address_artist(key: str) -> ArtistAddress:
    """Classify an artist key (DESIGN §2); a foreign locator or an unusable key is a client error."""
    require_key(key, "an artist key", field="key")
    if is_cluster_hex(key):
        return ArtistAddress(key, True, key)
    if is_foreign_locator(key):
        raise ClientInputError(
            f"{key.split(':', 1)[0]}: locators are not artist addresses; resolve it first",
            code="foreign_locator",
            field="key",
            next=resolve_path(key),
        )
    return ArtistAddress(key, False, name_cluster_id(key))


async def _identity_rows(address: ArtistAddress, loaders: Loaders) -> tuple[Outcome | None, Outcome | None]:
    """The artist's cluster row and (for a name address) its Discogs bind, loaded once per request."""
    return await loaders.once(("identity", address), lambda: _load_identity_rows(address, loaders))


async def _load_identity_rows(address: ArtistAddress, loaders: Loaders) -> tuple[Outcome | None, Outcome | None]:
    if address.cluster_id is None:
        return None, None
    if address.by_cluster:
        return await loaders.load(_IDENTITY, "clusters", address.cluster_id), None
    cluster, bind = await asyncio.gather(
        loaders.load(_IDENTITY, "clusters", address.cluster_id),
        loaders.load(_IDENTITY, "discogs_bind", address.cluster_id),
    )
    return cluster, bind


def _row(outcome: Outcome | None) -> Any | None:
    return outcome.row if isinstance(outcome, Found) else None


async def known(address: ArtistAddress, loaders: Loaders) -> bool | None:
    """Whether the identity graph knows the artist; None when it could not say."""
    cluster, bind = await _identity_rows(address, loaders)
    if isinstance(cluster, Failed) or isinstance(bind, Failed):
        return None
    return _row(cluster) is not None or _row(bind) is not None


async def resolved_via(address: ArtistAddress, loaders: Loaders) -> ResolvedVia | None:
    if address.by_cluster:
        return ResolvedVia.CLUSTER  # by design, even for a cluster nobody has
    cluster, bind = await _identity_rows(address, loaders)
    return binding_tier(_row(cluster), _row(bind))


async def cluster_id(address: ArtistAddress, loaders: Loaders) -> str | None:
    """The key's cluster; None only when the identity graph says it knows no such artist. (When the
    graph cannot answer, the id a name maps to is still that name's cluster: pe-norm-v1 is pure.)"""
    if address.by_cluster:
        return address.cluster_id
    return None if await known(address, loaders) is False else address.cluster_id


async def identity(address: ArtistAddress, loaders: Loaders) -> Identity | None:
    cluster_outcome, bind_outcome = await _identity_rows(address, loaders)
    cluster, bind = _row(cluster_outcome), _row(bind_outcome)
    if cluster is None and bind is None:
        return None
    row = cluster or {}
    ids = (bind or {}).get("discogs_ids") or []
    as_of = cluster_outcome.as_of if isinstance(cluster_outcome, Found | Missing) else None
    name = row.get("name") or ((bind or {}).get("names") or [""])[0]
    return Identity(
        cluster_id=str(address.cluster_id),
        name=name,
        slug=row.get("slug") or slug_for(pe_norm_v1(name) or ""),
        aliases=list(row.get("aliases") or (bind or {}).get("names") or []),
        tier="canonical" if bind else "observed",
        discogs_id=ids[0] if ids else None,
        mbid=row.get("mbid"),
        bandcamp=row.get("bandcamp"),
        ambiguous=None if address.by_cluster else bool(bind and bind.get("ambiguous")),
        as_of=as_of,
    )


async def facet(spec: FacetSpec, address: ArtistAddress, loaders: Loaders) -> Facet[Any]:
    return await load_facet(spec, address.cluster_id, lambda: known(address, loaders), loaders)
