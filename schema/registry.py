"""The facet registry: the one list of dossier facets (STYLE 7).

The Artist type's facet fields, the REST `?fields=` vocabulary, provenance entries and the
manifest are all generated from it. Adding a facet is an entry here, its data type in
schema/facets.py and its builder in resolvers/facet_data.py.

(The registry reads the producer catalog for cadence, tier and no-row state: that module is
plain data, so schema/ still does no I/O.)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from producers.catalog import TableSpec
from producers.catalog import table as table_spec
from producers.outcomes import Outcome
from resolvers import facet_data, festival, label
from schema import facets

if TYPE_CHECKING:
    from producers.loaders import Loaders

__all__ = [
    "ARTIST_FACETS", "FESTIVAL_FACETS", "GRAINS", "IDENTITY_SOURCE", "LABEL_FACETS", "FacetSpec", "Grain",
    "IdentitySource", "artist_facet",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class FacetSpec:
    name: str
    producer: str
    table: str
    data_type: type
    build: Callable[[Any], Any | None]
    description: str
    grain: str = "artist"
    #: how to load the facet when it is more than one row of its table (a chain, a join)
    collect: Callable[[str, Loaders], Awaitable[Outcome]] | None = None

    @property
    def source(self) -> TableSpec:
        return table_spec(self.producer, self.table)

    @property
    def graphql_name(self) -> str:
        head, *rest = self.name.split("_")
        return head + "".join(part.capitalize() for part in rest)


@dataclass(frozen=True, slots=True)
class IdentitySource:
    """identity is not a facet object (it is the object or null), but it has a source all the same."""

    name: str
    producer: str
    table: str
    description: str

    @property
    def source(self) -> TableSpec:
        return table_spec(self.producer, self.table)


IDENTITY_SOURCE = IdentitySource(
    "identity", "identity-graph", "clusters", "Who the artist is: name, slug, aliases, tier and foreign ids."
)

ARTIST_FACETS: tuple[FacetSpec, ...] = (
    FacetSpec("collector", "discogs-collector", "artist_community", facets.Collector, facet_data.collector,
              "Discogs collector behaviour: owners, wants, the most-collected release groups."),
    FacetSpec("editorial", "press-index", "editorial_coverage", facets.Editorial, facet_data.editorial,
              "Press coverage: mentions, outlets and the latest reviews."),
    FacetSpec("emergence", "emergence-model", "momentum", facets.Emergence, facet_data.emergence,
              "Breakout momentum: score, tier, booking velocity, press corroboration."),
    FacetSpec("live", "booking-graph", "live_presence", facets.Live, facet_data.live,
              "Live demand: bookings, festivals, cities, demand index."),
    FacetSpec("web", "web-presence", "web_links", facets.Web, facet_data.web,
              "Web presence: official site, socials and stores (links only)."),
    FacetSpec("compositions", "mb-works", "compositions", facets.Compositions, facet_data.compositions,
              "Compositions from MusicBrainz works."),
    FacetSpec("discography", "discogs-catalog", "release_groups", facets.Discography, facet_data.discography,
              "Discogs release groups with collector/DJ/critic counts and cube quadrants."),
    FacetSpec("bandcamp_emergence", "bandcamp-demand", "bc_emergence", facets.BandcampEmergence,
              facet_data.bandcamp_emergence, "Purchase-backed Bandcamp demand signals."),
    FacetSpec("bandcamp_tastemaker", "bandcamp-demand", "bc_tastemaker", facets.BandcampTastemaker,
              facet_data.bandcamp_tastemaker, "Quality of the artist's early Bandcamp supporters."),
)  # fmt: skip

LABEL_IDENTITY = IdentitySource(
    "identity", "identity-graph", "labels", "Who the label is: name, slug, aliases and its Discogs label id."
)

LABEL_FACETS: tuple[FacetSpec, ...] = (
    FacetSpec("lineage", "discogs-catalog", "label_lineage", facets.Lineage, facet_data.lineage,
              "The sublabel -> parent chain up to the root; a cycle or a chain deeper than 16 is cut, with a reason.",
              grain="label", collect=label.walk_lineage),
    FacetSpec("collector", "discogs-collector", "label_community", facets.LabelCollector, facet_data.label_collector,
              "Discogs collector behaviour across the label's catalogue.", grain="label"),
)  # fmt: skip

FESTIVAL_IDENTITY = IdentitySource(
    "identity", "identity-graph", "festival_aliases",
    "The de-fragmented festival: canonical name, slug and the raw fragments it absorbed.",
)  # fmt: skip

FESTIVAL_FACETS: tuple[FacetSpec, ...] = (
    FacetSpec("editions", "festival-graph", "editions", facets.Editions, facet_data.editions,
              "Editions per year, consolidated across fragments, each lineup joined to artist identity.",
              grain="festival", collect=festival.collect_editions),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Grain:
    """A kind of dossier: what keys it, where its identity comes from, its facets."""

    name: str
    id_field: str  # the envelope's id: cluster_id, label_id or festival_id
    identity: IdentitySource
    facets: tuple[FacetSpec, ...]

    def facet(self, name: str) -> FacetSpec:
        return next(spec for spec in self.facets if spec.name == name)

    @property
    def fields(self) -> tuple[str, ...]:
        """The `?fields=` vocabulary: identity, then every facet in registry order."""
        return ("identity", *(spec.name for spec in self.facets))


GRAINS = {
    "artist": Grain("artist", "cluster_id", IDENTITY_SOURCE, ARTIST_FACETS),
    "label": Grain("label", "label_id", LABEL_IDENTITY, LABEL_FACETS),
    "festival": Grain("festival", "festival_id", FESTIVAL_IDENTITY, FESTIVAL_FACETS),
}


def artist_facet(name: str) -> FacetSpec:
    return GRAINS["artist"].facet(name)
