"""Identity resolution: whatever a client pasted -> one cluster_id, or an honest gap saying why not.

Only the request's loaders are touched, so a page of resolves costs one batch per table.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import quote

from rapidfuzz import fuzz

from producers.loaders import Loaders
from producers.outcomes import Failed, Found, Outcome
from resolvers.errors import ClientInputError
from resolvers.identity_norm import cluster_id, name_tokens, pe_norm_v1, slug_for
from resolvers.locators import ParsedQuery, QueryKind, parse_query
from schema.identity import MatchedOn, Resolution, ResolveCandidate, ResolvedFrom, ResolvedVia

__all__ = [
    "MAX_QUERY_CHARS",
    "binding_tier",
    "dossier_path",
    "query_problem",
    "require_key",
    "resolve",
    "resolve_path",
]

MAX_QUERY_CHARS = 512
MAX_CANDIDATES = 5
MIN_CANDIDATE_SCORE = 60.0
_IDENTITY = "identity-graph"


def query_problem(q: str) -> str | None:
    """Why `q` cannot be resolved at all (a 400), or None."""
    if not q:
        return "q must not be empty"
    if len(q) > MAX_QUERY_CHARS:
        return f"q must be at most {MAX_QUERY_CHARS} characters (got {len(q)})"
    if not q.strip():
        return "q must contain more than whitespace"
    return None


def require_key(key: str, what: str, field: str = "key") -> None:
    """Reject a dossier key no entity could have: empty, blank or over MAX_QUERY_CHARS."""
    if not key or len(key) > MAX_QUERY_CHARS or not key.strip():
        raise ClientInputError(f"{what} is 1 to {MAX_QUERY_CHARS} characters, not blank", field=field)


def dossier_path(cid: str) -> str:
    return f"/api/v2/artist/{cid}"


def resolve_path(q: str) -> str:
    return f"/api/v2/resolve?q={quote(q, safe='')}"


def binding_tier(cluster: Any | None, bind: Any | None) -> ResolvedVia | None:
    """discogs when Discogs binds the cluster, cluster when only the booking graph knows it."""
    if bind is not None:
        return ResolvedVia.DISCOGS
    return ResolvedVia.CLUSTER if cluster is not None else None


def _row(outcome: Outcome) -> Any | None:
    return outcome.row if isinstance(outcome, Found) else None


def _unavailable(outcomes: list[Outcome]) -> str | None:
    failed = next((o for o in outcomes if isinstance(o, Failed)), None)
    if failed is None:
        return None
    return f"The identity graph did not answer ({failed.reason}), so this is not a 'no match'; try again."


class _Resolver:
    def __init__(self, q: str, loaders: Loaders) -> None:
        self.q = q
        self.loaders = loaders

    def answer(self, parsed: ParsedQuery, kind: QueryKind | None = None, **fields: Any) -> Resolution:
        values: dict[str, Any] = {
            "query": self.q,
            "resolved_from": ResolvedFrom((kind or parsed.kind).value),
            "resolved_via": None,
            "cluster_id": None,
            "matched_on": MatchedOn(parsed.matched_on) if parsed.matched_on else None,
            "note": parsed.note,
            "name": None,
            "next": None,
            "candidates": [],
        }
        values.update(fields)
        if values["cluster_id"]:
            values["next"] = dossier_path(values["cluster_id"])
        return Resolution(**values)

    async def bound(self, cid: str) -> tuple[Any | None, Any | None, str | None]:
        """The cluster row, its Discogs bind and a note when the graph failed."""
        cluster, bind = await asyncio.gather(
            self.loaders.load(_IDENTITY, "clusters", cid), self.loaders.load(_IDENTITY, "discogs_bind", cid)
        )
        return _row(cluster), _row(bind), _unavailable([cluster, bind])

    def resolved(self, parsed: ParsedQuery, cid: str, cluster: Any, bind: Any, **fields: Any) -> Resolution:
        via = binding_tier(cluster, bind)
        name = (cluster or {}).get("name") or (bind.get("names") or [None])[0]
        return self.answer(parsed, resolved_via=via, cluster_id=cid, name=name, **fields)

    async def by_cluster(self, parsed: ParsedQuery) -> Resolution:
        # A hex address never consults the Discogs bind: it must not re-anchor onto a Discogs row.
        cid = str(parsed.cluster_id)
        outcome = await self.loaders.load(_IDENTITY, "clusters", cid)
        row = _row(outcome)
        if row is None:
            note = _unavailable([outcome]) or "No cluster has this id."
            return self.answer(parsed, matched_on=None, note=note)
        return self.answer(
            parsed, resolved_via=ResolvedVia.CLUSTER, cluster_id=cid, name=row["name"], matched_on=MatchedOn.CLUSTER_ID
        )

    async def by_locator(self, parsed: ParsedQuery) -> Resolution:
        locator = str(parsed.locator)
        outcome = await self.loaders.load(_IDENTITY, "foreign_ids", locator)
        row = _row(outcome)
        if row is None:
            note = _unavailable([outcome]) or f"No artist in the fleet carries {locator}."
            return self.answer(parsed, note=note)
        cid = row["cluster_id"]
        cluster, bind, failure = await self.bound(cid)
        if cluster is None and bind is None:
            gone = f"{locator} points at a cluster the identity graph no longer has."
            return self.answer(parsed, note=failure or gone)
        return self.resolved(parsed, cid, cluster, bind, note=failure)

    async def by_name(self, parsed: ParsedQuery) -> Resolution | None:
        """The name's cluster, or None when it has none (the caller decides what to say)."""
        norm = pe_norm_v1(self.q)
        if norm is None:
            return None
        cid = str(cluster_id(self.q))
        cluster, bind, note = await self.bound(cid)
        if cluster is None and bind is None:
            return self.answer(parsed, kind=QueryKind.NAME, note=note) if note else None
        text = self.q.strip()
        matched = MatchedOn.SLUG if "-" in text and text == slug_for(norm) else MatchedOn.NAME
        return self.resolved(parsed, cid, cluster, bind, matched_on=matched, note=note)

    async def candidates(self) -> list[ResolveCandidate]:
        norm = pe_norm_v1(self.q)
        if norm is None:
            return []
        tokens = sorted(name_tokens(norm))
        outcomes = await self.loaders.load_many(_IDENTITY, "name_index", tokens)
        seen: dict[str, ResolveCandidate] = {}
        popularity: dict[str, float] = {}
        for outcome in outcomes:
            for cid, name, weight in _row(outcome) or ():
                if cid in seen:
                    continue
                their = pe_norm_v1(name) or ""
                score = round(fuzz.WRatio(norm, their), 1)
                if score >= MIN_CANDIDATE_SCORE:
                    seen[cid] = ResolveCandidate(cluster_id=cid, name=name, slug=slug_for(their), score=score)
                    popularity[cid] = weight
        ranked = sorted(seen.values(), key=lambda c: (-c.score, -popularity[c.cluster_id], c.cluster_id))
        return ranked[:MAX_CANDIDATES]

    async def run(self) -> Resolution:
        parsed = parse_query(self.q)
        if parsed.cluster_id:
            return await self.by_cluster(parsed)
        if parsed.locator:
            return await self.by_locator(parsed)
        if parsed.kind is QueryKind.URL:
            return self.answer(parsed)
        # A name, or something shaped like a locator of an unknown kind ("re:stacks" may be a band).
        named = await self.by_name(parsed)
        if named is not None:
            return named
        if parsed.kind is QueryKind.LOCATOR:
            return self.answer(parsed)
        note = None if pe_norm_v1(self.q) else "Nothing in this name identifies an artist."
        return self.answer(parsed, note=note, candidates=await self.candidates())


async def resolve(q: str, loaders: Loaders) -> Resolution:
    """Resolve a query that passed `query_problem`."""
    return await _Resolver(q, loaders).run()
