"""Search: the index's ranked documents as typed hits, cube fields on masters, a beacon per answer."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from gateway.context import Context
from producers.outcomes import Failed, Found
from resolvers.cube import cube_label, cube_quadrant
from resolvers.errors import ClientInputError
from resolvers.identity import query_problem
from schema.search import ArtistHit, Beacon, FestivalHit, LabelHit, MasterHit, SearchGrain, SearchResult

__all__ = ["MAX_LIMIT", "cube_link", "search"]

MAX_LIMIT = 50


def cube_link(cluster_id: str, master_id: int) -> str:
    return f"/cube?artist={quote(cluster_id)}&master={master_id}"


def _hit(doc: dict[str, Any]) -> Any:
    grain = doc["grain"]
    if grain == "artist":
        return ArtistHit(grain=grain, cluster_id=doc["cluster_id"], name=doc["name"], slug=doc["slug"])
    if grain == "label":
        return LabelHit(grain=grain, label_id=doc["label_id"], name=doc["name"], slug=doc["slug"])
    if grain == "festival":
        return FestivalHit(grain=grain, festival_id=doc["festival_id"], name=doc["name"], slug=doc["slug"])
    quadrant = cube_quadrant(doc["owner_count"], doc["dj_count"], doc["critic_count"])
    return MasterHit(
        grain=grain,
        discogs_master_id=doc["discogsMasterId"],
        title=doc["title"],
        artist=doc["artist"],
        cluster_id=doc["cluster_id"],
        cube_quadrant=quadrant,
        cube_label=cube_label(quadrant),
        owner_count=doc["owner_count"],
        dj_count=doc["dj_count"],
        critic_count=doc["critic_count"],
        link_to_cube=cube_link(doc["cluster_id"], doc["discogsMasterId"]),
    )


async def search(q: str, grains: list[SearchGrain] | None, limit: int, context: Context) -> SearchResult:
    problem = query_problem(q)
    if problem:
        raise ClientInputError(problem, field="q")
    if not 1 <= limit <= MAX_LIMIT:
        raise ClientInputError(f"limit must be 1 to {MAX_LIMIT} (got {limit})", field="limit")
    wanted = [g.value for g in (grains or list(SearchGrain))]
    if not wanted:
        raise ClientInputError("grains must name at least one grain", field="grains")
    outcome = await context.loaders.search(q, list(dict.fromkeys(wanted)), limit)
    sev, token, expires = context.issue_beacon()
    beacon = Beacon(token=token, expires_at=datetime.fromtimestamp(expires, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    if isinstance(outcome, Failed):
        reason = f"search-index {outcome.reason.replace('_', ' ')}"
        return SearchResult(q=q, search_event_id=sev, beacon=beacon, state="degraded", reason=reason, results=[])
    hits = [_hit(doc) for doc in (outcome.row["results"] if isinstance(outcome, Found) else [])]
    state = "present" if hits else "empty"
    return SearchResult(q=q, search_event_id=sev, beacon=beacon, state=state, reason=None, results=hits)
