"""GraphQL types of search (`Query.search`). Declarations only."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

__all__ = ["ArtistHit", "Beacon", "FestivalHit", "LabelHit", "MasterHit", "SearchGrain", "SearchHit", "SearchResult"]


@strawberry.enum(description="What a search may return.")
class SearchGrain(Enum):
    ARTIST = "artist"
    LABEL = "label"
    FESTIVAL = "festival"
    MASTER = "master"


@strawberry.type(description="The search's beacon credential: send it as Authorization: Bearer <token>.")
class Beacon:
    token: str
    expires_at: str


@strawberry.type
class ArtistHit:
    grain: str
    cluster_id: str
    name: str
    slug: str


@strawberry.type
class LabelHit:
    grain: str
    label_id: str
    name: str
    slug: str


@strawberry.type
class FestivalHit:
    grain: str
    festival_id: str
    name: str
    slug: str


@strawberry.type(description="A Discogs release group, placed on the cube.")
class MasterHit:
    grain: str
    discogs_master_id: int
    title: str
    artist: str
    cluster_id: str
    cube_quadrant: str | None
    cube_label: str | None
    owner_count: int | None
    dj_count: int | None
    critic_count: int | None
    link_to_cube: str


SearchHit = Annotated[ArtistHit | LabelHit | FestivalHit | MasterHit, strawberry.union("SearchHit")]


@strawberry.type(description="A search answer; no match is results: [] (state empty), not an error.")
class SearchResult:
    q: str
    search_event_id: str = strawberry.field(description="identifies this search for its beacons")
    beacon: Beacon
    state: str = strawberry.field(description="present, empty, or degraded when the index did not answer")
    reason: str | None
    results: list[SearchHit]
