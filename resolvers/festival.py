"""Festival dossier resolvers: de-fragmenting raw festival names, consolidating editions per year,
and joining each lineup entry to artist identity — one batch per identity table for the whole bill."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from producers.loaders import Loaders
from producers.outcomes import Failed, Found, Outcome
from resolvers.identity import binding_tier, require_key
from resolvers.identity_norm import cluster_id, pe_norm_v1
from resolvers.identity_norm import festival_id as name_festival_id
from schema.facets import FestivalFragment, FestivalIdentity

__all__ = ["FestivalAddress", "address_festival", "collect_editions", "identity", "known"]

_ALIASES = ("identity-graph", "festival_aliases")
_FRAGMENTS = ("festival-graph", "festival_fragments")
_EDITIONS = ("festival-graph", "editions")


@dataclass(frozen=True, slots=True)
class FestivalAddress:
    key: str
    #: the alias key the slug maps to; any fragment spelling's slug leads to the same festival
    alias_id: str | None


def address_festival(slug: str) -> FestivalAddress:
    require_key(slug, "a festival slug", field="slug")
    return FestivalAddress(slug, name_festival_id(slug))


async def alias(alias_id: str | None, loaders: Loaders) -> Outcome | None:
    return None if alias_id is None else await loaders.load(*_ALIASES, alias_id)


async def known(address: FestivalAddress, loaders: Loaders) -> bool | None:
    outcome = await alias(address.alias_id, loaders)
    return None if isinstance(outcome, Failed) else isinstance(outcome, Found)


async def canonical_id(address: FestivalAddress, loaders: Loaders) -> str | None:
    outcome = await alias(address.alias_id, loaders)
    return outcome.row["festival_id"] if isinstance(outcome, Found) else None


async def identity(address: FestivalAddress, loaders: Loaders) -> FestivalIdentity | None:
    outcome = await alias(address.alias_id, loaders)
    if not isinstance(outcome, Found):
        return None
    row = outcome.row
    fragments = await loaders.load_many(*_FRAGMENTS, row["fragment_ids"])
    return FestivalIdentity(
        festival_id=row["festival_id"],
        name=row["name"],
        slug=row["slug"],
        fragments=[
            FestivalFragment(fragment_id=f.row["fragment_id"], raw_name=f.row["raw_name"], source=f.row["source"])
            for f in fragments
            if isinstance(f, Found)
        ],
        as_of=outcome.as_of,
    )


def _city(cities: list[str]) -> str | None:
    # The same city filed twice ("Berlin", "BERLIN"): keep the one not shouted.
    for city in cities:
        if not city.isupper():
            return city
    return cities[0] if cities else None


def _consolidate(filed: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """Merge one year's editions from several fragments: dates widened, places and acts deduplicated."""
    starts = [e["start_date"] for _, e in filed if e.get("start_date")]
    ends = [e["end_date"] for _, e in filed if e.get("end_date")]
    acts: dict[str, str] = {}
    for _, edition in filed:
        for raw in edition["lineup"]:
            acts.setdefault(pe_norm_v1(raw) or raw, raw)
    return {
        "year": filed[0][1]["year"],
        "start_date": min(starts) if starts else None,
        "end_date": max(ends) if ends else None,
        "city": _city([e["city"] for _, e in filed if e.get("city")]),
        "country": next((e["country"] for _, e in filed if e.get("country")), None),
        "sources": list(dict.fromkeys(source for source, _ in filed)),
        "lineup": list(acts.values()),
    }


async def collect_editions(alias_id: str, loaders: Loaders) -> Outcome:
    """Every fragment's editions, consolidated per year, each act joined to artist identity."""
    found = await loaders.load(*_ALIASES, alias_id)
    if not isinstance(found, Found):
        return found
    fragment_ids: list[str] = found.row["fragment_ids"]
    names, editions = await asyncio.gather(
        loaders.load_many(*_FRAGMENTS, fragment_ids), loaders.load_many(*_EDITIONS, fragment_ids)
    )
    failed = next((o for o in (*names, *editions) if isinstance(o, Failed)), None)
    if failed is not None:
        return failed
    by_year: dict[int, list[tuple[str, dict[str, Any]]]] = {}
    for name, outcome in zip(names, editions, strict=True):
        raw_name = name.row["raw_name"] if isinstance(name, Found) else ""
        for edition in outcome.row if isinstance(outcome, Found) else ():
            by_year.setdefault(edition["year"], []).append((raw_name, edition))
    consolidated = [_consolidate(by_year[year]) for year in sorted(by_year)]
    acts = list(dict.fromkeys(raw for edition in consolidated for raw in edition["lineup"]))
    joined = await _join(acts, loaders)
    for edition in consolidated:
        edition["lineup"] = [joined[raw] for raw in edition["lineup"]]
    as_of = next((o.as_of for o in editions if isinstance(o, Found)), found.as_of)
    return Found({"editions": consolidated}, as_of)


async def _join(acts: list[str], loaders: Loaders) -> dict[str, dict[str, Any]]:
    """raw act name -> {raw_name, cluster_id, resolved_via, slug}: one load_many per identity table."""
    ids = {raw: cluster_id(raw) for raw in acts}
    keys = sorted({cid for cid in ids.values() if cid})
    clusters, binds = await asyncio.gather(
        loaders.load_many("identity-graph", "clusters", keys), loaders.load_many("identity-graph", "discogs_bind", keys)
    )
    rows = {key: (c.row if isinstance(c, Found) else None, b.row if isinstance(b, Found) else None)
            for key, c, b in zip(keys, clusters, binds, strict=True)}  # fmt: skip
    joined = {}
    for raw, cid in ids.items():
        cluster, bind = rows.get(cid, (None, None)) if cid else (None, None)
        via = binding_tier(cluster, bind)
        resolved = via is not None
        joined[raw] = {
            "raw_name": raw,
            "cluster_id": cid if resolved else None,
            "resolved_via": via.value if via else None,
            "slug": (cluster or {}).get("slug") if resolved else None,
        }
    return joined
