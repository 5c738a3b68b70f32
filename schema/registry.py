"""The facet registry: the one list of dossier facets (STYLE 7).

The Artist type's facet fields, the REST `?fields=` vocabulary, provenance entries and the
manifest are all generated from it. Adding a facet is an entry here, its data type in
schema/facets.py and its builder in resolvers/facet_data.py.

(The registry reads the producer catalog for cadence, tier and no-row state: that module is
plain data, so schema/ still does no I/O.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from producers.catalog import TableSpec
from producers.catalog import table as table_spec
from resolvers import facet_data
from schema import facets

__all__ = ["ARTIST_FACETS", "IDENTITY_SOURCE", "FacetSpec", "IdentitySource", "artist_facet"]


@dataclass(frozen=True, slots=True)
class FacetSpec:
    name: str
    producer: str
    table: str
    data_type: type
    build: Callable[[Any], Any | None]
    description: str

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

_BY_NAME = {spec.name: spec for spec in ARTIST_FACETS}


def artist_facet(name: str) -> FacetSpec:
    return _BY_NAME[name]
