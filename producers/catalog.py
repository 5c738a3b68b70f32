"""The producers of the fleet and the tables each one owns (DESIGN §3).

This is the single list the fleet serves and the gateway's clients call; the
facet registry (schema) points into it by (producer, table).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "CADENCE_SECONDS",
    "PRODUCERS",
    "Cadence",
    "NoRowState",
    "ProducerSpec",
    "TableSpec",
    "producer",
    "table",
]


class Cadence(StrEnum):
    HOURLY = "hourly"
    DAILY = "daily"
    WEEKLY = "weekly"


CADENCE_SECONDS = {Cadence.HOURLY: 3600, Cadence.DAILY: 86_400, Cadence.WEEKLY: 604_800}


class NoRowState(StrEnum):
    """What a facet says when its producer holds no row for the key."""

    HONEST_GAP = "honest_gap"  # the producer cannot see the entity
    EMPTY = "empty"  # the producer sees every entity; no row means nothing to report


@dataclass(frozen=True, slots=True)
class TableSpec:
    name: str
    key: str
    cadence: Cadence
    tier: str
    no_row: NoRowState
    shape: type  # dict or list: what one row is

    @property
    def cadence_seconds(self) -> int:
        return CADENCE_SECONDS[self.cadence]


@dataclass(frozen=True, slots=True)
class ProducerSpec:
    name: str
    tables: tuple[TableSpec, ...]

    @property
    def env_name(self) -> str:
        """`discogs-collector` -> `DISCOGS_COLLECTOR`, as used in CRATE_PRODUCER_<NAME>_URL."""
        return self.name.upper().replace("-", "_")

    def table(self, name: str) -> TableSpec:
        for spec in self.tables:
            if spec.name == name:
                return spec
        raise KeyError(f"{self.name} has no table {name!r}")


def _t(name: str, key: str, cadence: Cadence, tier: str, no_row: NoRowState, shape: type = dict) -> TableSpec:
    return TableSpec(name, key, cadence, tier, no_row, shape)


_D, _H, _W = Cadence.DAILY, Cadence.HOURLY, Cadence.WEEKLY
_GAP, _EMPTY = NoRowState.HONEST_GAP, NoRowState.EMPTY

PRODUCERS: tuple[ProducerSpec, ...] = (
    ProducerSpec(
        "identity-graph",
        (
            _t("clusters", "cluster_id", _D, "observed", _GAP),
            _t("discogs_bind", "cluster_id", _D, "canonical", _GAP),
            _t("foreign_ids", "locator", _D, "observed", _GAP),
            _t("labels", "label_id", _D, "observed", _GAP),
            _t("festival_aliases", "festival_id", _D, "observed", _GAP),
            # Near-match candidates: name token or 4-letter token prefix -> the most popular
            # clusters carrying it, so "did you mean" never scans every name.
            _t("name_index", "token", _D, "observed", _GAP, list),
        ),
    ),
    ProducerSpec(
        "discogs-collector",
        (
            _t("artist_community", "cluster_id", _W, "canonical", _GAP),
            _t("label_community", "label_id", _W, "canonical", _GAP),
        ),
    ),
    ProducerSpec(
        "discogs-catalog",
        (
            _t("release_groups", "cluster_id", _D, "canonical", _GAP, list),
            _t("label_lineage", "label_id", _D, "canonical", _GAP),
            # One release group by its Discogs master id (served by the v1 masters route).
            _t("masters", "discogs_master_id", _D, "canonical", _GAP),
        ),
    ),
    ProducerSpec("press-index", (_t("editorial_coverage", "cluster_id", _D, "derived", _EMPTY),)),
    ProducerSpec("booking-graph", (_t("live_presence", "cluster_id", _H, "observed", _EMPTY),)),
    ProducerSpec("emergence-model", (_t("momentum", "cluster_id", _D, "modelled", _GAP),)),
    ProducerSpec("web-presence", (_t("web_links", "cluster_id", _W, "observed", _EMPTY),)),
    ProducerSpec("mb-works", (_t("compositions", "cluster_id", _W, "canonical", _GAP),)),
    ProducerSpec(
        "bandcamp-demand",
        (
            _t("bc_emergence", "cluster_id", _D, "observed", _GAP),
            _t("bc_tastemaker", "cluster_id", _W, "observed", _GAP),
            _t("bc_releases", "bandcamp_subdomain", _D, "observed", _GAP, list),
        ),
    ),
    ProducerSpec(
        "festival-graph",
        (
            _t("festival_fragments", "fragment_id", _D, "observed", _GAP),
            _t("editions", "fragment_id", _D, "observed", _GAP, list),
        ),
    ),
    # The search index speaks POST /search rather than table batches.
    ProducerSpec("search-index", ()),
)

_BY_NAME = {spec.name: spec for spec in PRODUCERS}


def producer(name: str) -> ProducerSpec:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown producer {name!r}") from None


def table(producer_name: str, table_name: str) -> TableSpec:
    return producer(producer_name).table(table_name)
