"""The data dictionary (`/api/v2/dossier/manifest`, `Query.manifest`), generated from the facet
registry and the schema's own types and descriptions, so it cannot drift from what is served."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLType, get_named_type

from schema.registry import ARTIST_FACETS, IDENTITY_SOURCE, FacetSpec, IdentitySource

__all__ = ["build_manifest", "provenance_entry"]

_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")
# REST keeps these keys as the spec writes them.
CAMEL_KEPT = frozenset({"discogsMasterId"})
ENVELOPE = [
    {"name": "key", "type": "String!", "description": "the key the entity was addressed by"},
    {"name": "grain", "type": "String!", "description": "artist, label or festival"},
    {"name": "cluster_id", "type": "String", "description": "the canonical id; null when unresolved"},
    {"name": "resolved_via", "type": "String", "description": "discogs, cluster or null"},
    {"name": "generated_at", "type": "String!", "description": "when this answer was composed (ISO 8601, UTC)"},
    {"name": "provenance", "type": "[Provenance!]!", "description": "one entry per facet returned"},
]


@lru_cache(maxsize=4096)
def rest_name(name: str) -> str:
    return name if name in CAMEL_KEPT else _CAMEL.sub(r"_\1", name).lower()


def _type_text(kind: GraphQLType) -> str:
    if isinstance(kind, GraphQLNonNull):
        return _type_text(kind.of_type) + "!"
    if isinstance(kind, GraphQLList):
        return f"[{_type_text(kind.of_type)}]"
    return str(get_named_type(kind))


def _fields(kind: GraphQLObjectType, depth: int = 0) -> list[dict[str, Any]]:
    out = []
    for name, field in kind.fields.items():
        entry: dict[str, Any] = {"name": rest_name(name), "type": _type_text(field.type),
                                 "description": field.description}  # fmt: skip
        inner = get_named_type(field.type)
        if isinstance(inner, GraphQLObjectType) and depth < 3:
            entry["fields"] = _fields(inner, depth + 1)
        out.append(entry)
    return out


def provenance_entry(spec: FacetSpec | IdentitySource) -> dict[str, Any]:
    """The static part of a provenance entry; a dossier adds the facet's as_of."""
    source = spec.source
    return {
        "field": spec.name,
        "producer": spec.producer,
        "sourceTable": spec.table,
        "refreshCadence": source.cadence.value,
        "tier": source.tier,
        "honestGapState": source.no_row.value,
    }


def _graphql_name(spec: FacetSpec) -> str:
    return str(spec.data_type.__strawberry_definition__.name)  # type: ignore[attr-defined]


def build_manifest(schema: GraphQLSchema) -> dict[str, Any]:
    types = schema.type_map
    identity = types["Identity"]
    assert isinstance(identity, GraphQLObjectType)
    artist_facets: list[dict[str, Any]] = [
        {
            "name": "identity",
            "description": IDENTITY_SOURCE.description + " The object itself, or null when unresolved.",
            "shape": "object_or_null",
            "fields": _fields(identity),
            "provenance": provenance_entry(IDENTITY_SOURCE),
        }
    ]
    for spec in ARTIST_FACETS:
        data = types[_graphql_name(spec)]
        assert isinstance(data, GraphQLObjectType)
        artist_facets.append({
            "name": spec.name,
            "description": spec.description,
            "shape": "facet",
            "fields": _fields(data),
            "provenance": provenance_entry(spec),
        })  # fmt: skip
    return {
        "facet_shape": {
            "state": "present | empty | honest_gap | degraded",
            "present": "state == present",
            "as_of": "when the producer's data was current",
            "stale": "as_of older than twice the refresh cadence",
            "reason": "why the facet is not present",
            "data": "the facet's fields, null unless present",
        },
        "grains": {
            "artist": {
                "available": True,
                "key": "cluster_id",
                "addresses": ["GET /api/v2/artist/{key}", "GET /api/v2/dossier/artist/{slug}", "Query.artist(key)",
                              "Query.artists(keys)"],
                "envelope": ENVELOPE,
                "facets": artist_facets,
            },
            "label": {
                "available": False,
                "key": "label_id",
                "reason": "coming: the label dossier (identity, sublabel lineage, collector) is being built",
                "addresses": ["GET /api/v2/label/{key}", "GET /api/v2/dossier/label/{slug}", "Query.label(key)"],
            },
            "festival": {
                "available": False,
                "key": "festival_id",
                "reason": "coming: the festival dossier (identity, editions joined to lineups) is being built",
                "addresses": ["GET /api/v2/dossier/festival/{slug}", "Query.festival(slug)"],
            },
            "song": {"available": False, "reason": "the fleet has no track key, so songs cannot be joined"},
            "master": {
                "available": False,
                "demoted": True,
                "reason": "a release group is a dimension of its artist: read it in the artist's discography facet",
                "see": "artist.discography",
            },
        },
    }  # fmt: skip
