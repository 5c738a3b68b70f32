"""The data dictionary (`/api/v2/dossier/manifest`, `Query.manifest`), generated from the facet
registry and the schema's own types and descriptions, so it cannot drift from what is served."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLType, get_named_type

from schema.registry import GRAINS, FacetSpec, Grain, IdentitySource

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
        entry: dict[str, Any] = {
            "name": rest_name(name),
            "type": _type_text(field.type),
            "description": field.description,
        }
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


def _grain_facets(schema: GraphQLSchema, grain: Grain) -> list[dict[str, Any]]:
    types = schema.type_map
    identity_type = types[_IDENTITY_TYPES[grain.name]]
    assert isinstance(identity_type, GraphQLObjectType)
    out: list[dict[str, Any]] = [
        {
            "name": "identity",
            "description": grain.identity.description + " The object itself, or null when unresolved.",
            "shape": "object_or_null",
            "fields": _fields(identity_type),
            "provenance": provenance_entry(grain.identity),
        }
    ]
    for spec in grain.facets:
        data = types[_graphql_name(spec)]
        assert isinstance(data, GraphQLObjectType)
        out.append(
            {
                "name": spec.name,
                "description": spec.description,
                "shape": "facet",
                "fields": _fields(data),
                "provenance": provenance_entry(spec),
            }
        )
    return out


_IDENTITY_TYPES = {"artist": "Identity", "label": "LabelIdentity", "festival": "FestivalIdentity"}
_ADDRESSES = {
    "artist": [
        "GET /api/v2/artist/{key}",
        "GET /api/v2/dossier/artist/{slug}",
        "Query.artist(key)",
        "Query.artists(keys)",
    ],
    "label": ["GET /api/v2/label/{key}", "GET /api/v2/dossier/label/{slug}", "Query.label(key)"],
    "festival": ["GET /api/v2/dossier/festival/{slug}", "Query.festival(slug)"],
}


def build_manifest(schema: GraphQLSchema) -> dict[str, Any]:
    grains: dict[str, Any] = {}
    for grain in GRAINS.values():
        envelope = [dict(e, name=grain.id_field) if e["name"] == "cluster_id" else e for e in ENVELOPE]
        grains[grain.name] = {
            "available": True,
            "key": grain.id_field,
            "addresses": _ADDRESSES[grain.name],
            "envelope": envelope,
            "facets": _grain_facets(schema, grain),
        }
    grains["song"] = {"available": False, "reason": "the fleet has no track key, so songs cannot be joined"}
    grains["master"] = {
        "available": False,
        "demoted": True,
        "reason": "a release group is a dimension of its artist: read it in the artist's discography facet",
        "see": "artist.discography",
    }
    return {
        "facet_shape": {
            "state": "present | empty | honest_gap | degraded",
            "present": "state == present",
            "as_of": "when the producer's data was current",
            "stale": "as_of older than twice the refresh cadence",
            "reason": "why the facet is not present",
            "data": "the facet's fields, null unless present",
        },
        "grains": grains,
    }
