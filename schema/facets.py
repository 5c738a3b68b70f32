"""GraphQL types of the artist dossier's facets. Declarations only; builders live in resolvers/."""

from __future__ import annotations

from enum import Enum
from typing import Generic, TypeVar

import strawberry

__all__ = [
    "AestheticQuality", "Artwork", "BandcampEmergence", "BandcampTastemaker", "Collector",
    "Compositions", "Discography", "Edition", "Editions", "Editorial", "Emergence", "Facet",
    "FacetState", "FestivalFragment", "FestivalIdentity", "Identity", "LabelCollector",
    "LabelIdentity", "LabelRef", "Lineage", "LineageStep", "LineupEntry", "Live", "ReleaseGroup",
    "Review", "TopRelease", "Web", "WebLink", "Work",
]  # fmt: skip

T = TypeVar("T")


@strawberry.enum(description="What a facet could see.")
class FacetState(Enum):
    PRESENT = strawberry.enum_value("present", description="the producer has data")
    EMPTY = strawberry.enum_value("empty", description="the producer sees the entity and has nothing")
    HONEST_GAP = strawberry.enum_value("honest_gap", description="the producer cannot see the entity")
    DEGRADED = strawberry.enum_value("degraded", description="the producer failed or timed out")


@strawberry.type(description="One facet: its state, freshness and data (null unless present).")
class Facet(Generic[T]):
    state: FacetState
    present: bool
    as_of: str | None = strawberry.field(description="when the producer's data was current (ISO 8601, UTC)")
    stale: bool = strawberry.field(description="as_of is older than twice the table's refresh cadence")
    reason: str | None = strawberry.field(description="why the facet is not present, when it is not")
    data: T | None


@strawberry.type(description="Who the artist is, as the identity graph knows them.")
class Identity:
    cluster_id: str
    name: str
    slug: str
    aliases: list[str] = strawberry.field(description="raw spellings the sources use")
    tier: str = strawberry.field(description="canonical (Discogs-bound) or observed")
    discogs_id: int | None
    mbid: str | None
    bandcamp: str | None = strawberry.field(description="Bandcamp subdomain")
    ambiguous: bool | None = strawberry.field(
        description="more than one Discogs artist binds to this cluster; null when the bind was not consulted"
    )
    as_of: str | None


@strawberry.type
class TopRelease:
    discogs_master_id: int
    title: str
    owners: int


@strawberry.type(description="Discogs collector behaviour across the artist's release groups.")
class Collector:
    owners: int = strawberry.field(description="collections holding any of the release groups (have)")
    wants: int
    want_have_ratio: float | None
    collected_release_groups: int
    top_releases: list[TopRelease] = strawberry.field(description="by owners, most first")


@strawberry.type
class Review:
    outlet: str
    title: str
    url: str
    published_at: str
    score: float | None


@strawberry.type(description="Press coverage.")
class Editorial:
    mention_count: int
    outlets: list[str]
    reviews: list[Review] = strawberry.field(description="latest first")


@strawberry.type(description="Breakout momentum from the emergence model.")
class Emergence:
    momentum_score: float
    tier: str = strawberry.field(description="breakout, rising or steady")
    booking_velocity: float
    press_corroborated: bool
    first_seen: str


@strawberry.type(description="Live demand from the booking graph.")
class Live:
    upcoming: int
    past: int
    festivals: list[str] = strawberry.field(description="festival slugs")
    cities: list[str]
    last_played: str | None
    demand_index: float


@strawberry.type
class WebLink:
    kind: str
    url: str


@strawberry.type(description="Web presence; links only.")
class Web:
    links: list[WebLink]


@strawberry.type
class Work:
    title: str
    iswc: str
    role: str
    co_writers: list[str]


@strawberry.type(description="Compositions from MusicBrainz works.")
class Compositions:
    works: list[Work]


@strawberry.type
class LabelRef:
    label_id: str
    name: str


@strawberry.type(description="A hotlink; crate never fetches or re-hosts artwork.")
class Artwork:
    url: str
    rehost: bool


@strawberry.type(description="A Discogs release group (master) of the artist.")
class ReleaseGroup:
    discogs_master_id: int
    title: str
    year: int | None
    formats: list[str]
    labels: list[LabelRef]
    artwork: Artwork | None
    cube_quadrant: str | None = strawberry.field(description="collector/DJ/critic bits, e.g. 101; null = unclassified")
    owner_count: int | None
    dj_count: int | None
    critic_count: int | None


@strawberry.type(description="The artist's release groups, oldest first, bounded.")
class Discography:
    release_groups: list[ReleaseGroup]
    total: int
    truncated: bool


@strawberry.type(description="Purchase-backed Bandcamp demand signals.")
class BandcampEmergence:
    emergence_class: str
    demand_lead_days: int
    demand_ratio: float
    owner_reach: int
    wishlist_demand: int
    distinct_releases: int
    earliest_wished_at: str


@strawberry.type
class AestheticQuality:
    coherence: float
    adventurousness: float
    consistency: float


@strawberry.type(description="Quality of the artist's early Bandcamp supporters.")
class BandcampTastemaker:
    supporter_cohort_size: int
    aesthetic_quality: AestheticQuality
    mean_first_buyer_earliness_days: float


# ---- the label grain -------------------------------------------------------------------------


@strawberry.type(description="Who the label is, as the identity graph knows it.")
class LabelIdentity:
    label_id: str
    name: str
    slug: str
    aliases: list[str]
    discogs_label_id: int | None
    as_of: str | None


@strawberry.type(description="One label in a sublabel -> parent chain.")
class LineageStep:
    label_id: str
    name: str
    slug: str


@strawberry.type(description="The sublabel -> parent chain, from the label itself up to its root.")
class Lineage:
    chain: list[LineageStep] = strawberry.field(description="the label first, then each parent in turn")
    depth: int = strawberry.field(description="parents above the label")
    complete: bool = strawberry.field(description="the chain reached a root (a label with no parent)")
    cut_reason: str | None = strawberry.field(description="why the chain stops short of a root, when it does")


@strawberry.type(description="Discogs collector behaviour across the label's catalogue.")
class LabelCollector:
    owners: int
    wants: int
    want_have_ratio: float | None
    catalogue_size: int = strawberry.field(description="release groups on the label")


# ---- the festival grain ----------------------------------------------------------------------


@strawberry.type(description="A raw name a source filed the festival under.")
class FestivalFragment:
    fragment_id: str
    raw_name: str
    source: str


@strawberry.type(description="The de-fragmented festival: its canonical name and the fragments it absorbed.")
class FestivalIdentity:
    festival_id: str
    name: str
    slug: str
    fragments: list[FestivalFragment]
    as_of: str | None


@strawberry.type(description="An act on a bill, joined to artist identity; cluster_id null is an honest gap.")
class LineupEntry:
    raw_name: str = strawberry.field(description="the act as the festival's sources wrote it")
    cluster_id: str | None
    resolved_via: str | None = strawberry.field(description="discogs, cluster or null")
    slug: str | None


@strawberry.type(description="One year of the festival, consolidated from every fragment that filed it.")
class Edition:
    year: int
    start_date: str | None
    end_date: str | None
    city: str | None
    country: str | None
    sources: list[str] = strawberry.field(description="the raw festival names this edition was filed under")
    lineup: list[LineupEntry]


@strawberry.type(description="Editions per year, each lineup joined to artist identity.")
class Editions:
    editions: list[Edition] = strawberry.field(description="oldest first")
    acts: int = strawberry.field(description="lineup entries across all editions")
    resolved_acts: int = strawberry.field(description="entries joined to an artist cluster")
