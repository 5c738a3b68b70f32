"""GraphQL types of identity resolution (`Query.resolve`). Declarations only."""

from __future__ import annotations

from enum import Enum

import strawberry

__all__ = ["MatchedOn", "Resolution", "ResolveCandidate", "ResolvedFrom", "ResolvedVia"]


@strawberry.enum(description="How the query addressed the artist.")
class ResolvedFrom(Enum):
    URL = "url"
    NAME = "name"
    LOCATOR = "locator"


@strawberry.enum(description="The binding tier: how far to trust the identity.")
class ResolvedVia(Enum):
    DISCOGS = strawberry.enum_value("discogs", description="canonical: bound to Discogs (verified)")
    CLUSTER = strawberry.enum_value("cluster", description="observed: known to the booking graph, unverified")


@strawberry.enum(description="The surface of the query that matched.")
class MatchedOn(Enum):
    NAME = "name"
    SLUG = "slug"
    DISCOGS_ARTIST_ID = "discogs_artist_id"
    MBID = "mbid"
    BANDCAMP_SUBDOMAIN = "bandcamp_subdomain"
    TWITTER = "twitter"
    CLUSTER_ID = "cluster_id"


@strawberry.type(description="A near match offered for a name that did not resolve.")
class ResolveCandidate:
    cluster_id: str
    name: str
    slug: str
    score: float = strawberry.field(description="similarity to the query, 0-100")


@strawberry.type(description="What a name, link or locator resolved to. cluster_id null is an honest gap.")
class Resolution:
    query: str
    resolved_from: ResolvedFrom
    resolved_via: ResolvedVia | None
    cluster_id: str | None
    matched_on: MatchedOn | None
    note: str | None
    name: str | None
    next: str | None = strawberry.field(description="the dossier to call next, when resolved")
    candidates: list[ResolveCandidate]
