"""Artist dossier resolvers: addressing, identity, and every facet through the request's loaders.

A facet's load and its artist's identity load go out in the same tick, so a dossier costs one
round of batch calls whatever it selects (latency follows the slowest producer, not the sum).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from strawberry.types import Info

from producers.catalog import NoRowState
from producers.loaders import Loaders
from producers.outcomes import Failed, Found, Missing, Outcome
from resolvers.errors import ClientInputError
from resolvers.identity import MAX_QUERY_CHARS, binding_tier, resolve_path
from resolvers.identity_norm import cluster_id as name_cluster_id
from resolvers.identity_norm import pe_norm_v1, slug_for
from resolvers.locators import is_cluster_hex, is_foreign_locator
from schema.facets import Facet, FacetState, Identity
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
    if not key or len(key) > MAX_QUERY_CHARS or not key.strip():
        raise ClientInputError(f"an artist key is 1 to {MAX_QUERY_CHARS} characters, not blank", field="key")
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


@lru_cache(maxsize=1024)
def _moment(as_of: str) -> datetime | None:
    # Producers repeat a handful of as_of values (one per table refresh): parse each once.
    try:
        return datetime.strptime(as_of, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def _stale(as_of: str, cadence_seconds: int, now: datetime) -> bool:
    moment = _moment(as_of)
    return moment is not None and (now - moment).total_seconds() > 2 * cadence_seconds


def facet_from(spec: FacetSpec, outcome: Outcome, is_known: bool | None, now: datetime) -> Facet[Any]:
    """The facet a load came to (DESIGN §4)."""
    source = spec.source
    if isinstance(outcome, Failed):
        reason = f"{spec.producer} {outcome.reason.replace('_', ' ')}"
        return Facet(state=FacetState.DEGRADED, present=False, as_of=None, stale=False, reason=reason, data=None)
    stale = _stale(outcome.as_of, source.cadence_seconds, now)
    if isinstance(outcome, Missing):
        if is_known is False:
            state, reason = FacetState.HONEST_GAP, "no artist with this key is known to the identity graph"
        elif source.no_row is NoRowState.HONEST_GAP:
            state, reason = FacetState.HONEST_GAP, f"{spec.producer} cannot see this artist"
        else:
            state, reason = FacetState.EMPTY, f"{spec.producer} sees this artist and has nothing to report"
        return Facet(state=state, present=False, as_of=outcome.as_of, stale=stale, reason=reason, data=None)
    data = spec.build(outcome.row)
    if data is None:
        reason = f"{spec.producer} sees this artist and has nothing to report"
        return Facet(state=FacetState.EMPTY, present=False, as_of=outcome.as_of, stale=stale, reason=reason, data=None)
    return Facet(state=FacetState.PRESENT, present=True, as_of=outcome.as_of, stale=stale, reason=None, data=data)


async def facet(spec: FacetSpec, address: ArtistAddress, loaders: Loaders) -> Facet[Any]:
    now = datetime.now(UTC)
    if address.cluster_id is None:
        reason = "nothing in this key identifies an artist"
        return Facet(state=FacetState.HONEST_GAP, present=False, as_of=None, stale=False, reason=reason, data=None)
    outcome, is_known = await asyncio.gather(
        loaders.load(spec.producer, spec.table, address.cluster_id), known(address, loaders)
    )
    return facet_from(spec, outcome, is_known, now)


def facet_resolver(spec: FacetSpec) -> Callable[..., Awaitable[Facet[Any]]]:
    """A field resolver for one registry entry; its return annotation names the concrete GraphQL type."""

    async def resolve(root: Any, info: Any) -> Facet[Any]:
        return await facet(spec, root.address, info.context.loaders)

    resolve.__name__ = spec.name
    resolve.__annotations__ = {"root": Any, "info": Info, "return": Facet[spec.data_type]}  # type: ignore[name-defined]
    return resolve
