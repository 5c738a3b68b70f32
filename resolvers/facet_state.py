"""How a load becomes a facet (DESIGN §4), for every grain: present, empty, honest_gap or degraded,
with as_of, staleness and a reason."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from strawberry.types import Info

from producers.catalog import NoRowState
from producers.loaders import Loaders
from producers.outcomes import Failed, Missing, Outcome
from schema.facets import Facet, FacetState

if TYPE_CHECKING:
    from schema.registry import FacetSpec

__all__ = ["facet_from", "facet_resolver", "load_facet"]


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


def _gap(reason: str) -> Facet[Any]:
    return Facet(state=FacetState.HONEST_GAP, present=False, as_of=None, stale=False, reason=reason, data=None)


def facet_from(spec: FacetSpec, outcome: Outcome, is_known: bool | None, now: datetime) -> Facet[Any]:
    """The facet a load came to. `is_known` is the identity graph's word on the entity (None: unknown)."""
    grain = spec.grain
    source = spec.source
    if isinstance(outcome, Failed):
        reason = f"{spec.producer} {outcome.reason.replace('_', ' ')}"
        return Facet(state=FacetState.DEGRADED, present=False, as_of=None, stale=False, reason=reason, data=None)
    stale = _stale(outcome.as_of, source.cadence_seconds, now)
    if isinstance(outcome, Missing):
        if is_known is False:
            state, reason = FacetState.HONEST_GAP, f"no {grain} with this key is known to the identity graph"
        elif source.no_row is NoRowState.HONEST_GAP:
            state, reason = FacetState.HONEST_GAP, f"{spec.producer} cannot see this {grain}"
        else:
            state, reason = FacetState.EMPTY, f"{spec.producer} sees this {grain} and has nothing to report"
        return Facet(state=state, present=False, as_of=outcome.as_of, stale=stale, reason=reason, data=None)
    data = spec.build(outcome.row)
    if data is None:
        reason = f"{spec.producer} sees this {grain} and has nothing to report"
        return Facet(state=FacetState.EMPTY, present=False, as_of=outcome.as_of, stale=stale, reason=reason, data=None)
    return Facet(state=FacetState.PRESENT, present=True, as_of=outcome.as_of, stale=stale, reason=None, data=data)


async def load_facet(
    spec: FacetSpec, entity_id: str | None, known: Callable[[], Awaitable[bool | None]], loaders: Loaders
) -> Facet[Any]:
    """Load one facet for an entity; its own load and the identity check share a tick."""
    now = datetime.now(UTC)
    if entity_id is None:
        return _gap(f"nothing in this key identifies a {spec.grain}")
    load = spec.collect(entity_id, loaders) if spec.collect else loaders.load(spec.producer, spec.table, entity_id)
    outcome, is_known = await asyncio.gather(load, known())
    return facet_from(spec, outcome, is_known, now)


def facet_resolver(
    spec: FacetSpec, load: Callable[[FacetSpec, Any, Loaders], Awaitable[Facet[Any]]]
) -> Callable[..., Awaitable[Facet[Any]]]:
    """A GraphQL field resolver for one registry entry; its return annotation names the concrete type."""

    async def resolve(root: Any, info: Info) -> Facet[Any]:
        return await load(spec, root, info.context.loaders)

    resolve.__name__ = spec.name
    resolve.__annotations__ = {"root": Any, "info": Info, "return": Facet[spec.data_type]}  # type: ignore[name-defined]
    return resolve
