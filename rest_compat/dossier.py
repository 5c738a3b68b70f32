"""Dossier routes for every grain, generated from the registry: the GraphQL document selects the
envelope, identity and the asked-for facets whole; `?fields=` is exactly the grain's facet names."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Literal

from graphql import GraphQLObjectType, GraphQLSchema, get_named_type
from pydantic import BaseModel, ConfigDict, Field, create_model
from starlette.requests import Request

from gateway.context import Context
from gateway.errors import ApiError
from resolvers.errors import ClientInputError
from rest_compat.contract import ModelBook, Param, ProvenanceEntry, absent_or
from rest_compat.table import GraphQLCall, RestRoute, list_param, snake_keys
from schema.manifest import provenance_entry
from schema.registry import GRAINS, Grain

__all__ = ["dossier_route", "selection"]

# grain -> (GraphQL type, Query field, its argument, the envelope's id field in GraphQL)
_ROOTS = {
    "artist": ("Artist", "artist", "key", "clusterId"),
    "label": ("Label", "label", "key", "labelId"),
    "festival": ("Festival", "festival", "slug", "festivalId"),
}


def selection(kind: GraphQLObjectType) -> str:
    """Every field of a type, nested objects included: `{ a b { c } }`."""
    parts = []
    for name, field in kind.fields.items():
        inner = get_named_type(field.type)
        parts.append(f"{name} {selection(inner)}" if isinstance(inner, GraphQLObjectType) else name)
    return "{ " + " ".join(parts) + " }"


def graphql_name(grain: Grain, name: str) -> str:
    return "identity" if name == "identity" else grain.facet(name).graphql_name


@lru_cache(maxsize=1024)
def document(schema: GraphQLSchema, grain_name: str, facets: tuple[str, ...]) -> str:
    grain = GRAINS[grain_name]
    type_name, field, argument, id_field = _ROOTS[grain_name]
    root = schema.type_map[type_name]
    assert isinstance(root, GraphQLObjectType)
    parts = [f"key {id_field} resolvedVia"]
    for name in facets:
        kind = get_named_type(root.fields[graphql_name(grain, name)].type)
        assert isinstance(kind, GraphQLObjectType)
        parts.append(f"{graphql_name(grain, name)} {selection(kind)}")
    return f"query Dossier(${argument}: String!) {{ {field}({argument}: ${argument}) {{ {' '.join(parts)} }} }}"


def _fields(request: Request, grain: Grain) -> tuple[str, ...]:
    asked = list_param(request, "fields")
    if asked is None:
        return grain.fields
    unknown = [name for name in asked if name not in grain.fields]
    if unknown or not asked:
        message = (
            f"Unknown field(s): {', '.join(unknown)}." if unknown else "fields must name at least one facet."
        ) + " Valid fields are listed in valid_fields."
        raise ApiError(
            400,
            "invalid_fields",
            message,
            details=[
                {"path": "fields", "message": f"unknown field {name!r}", "code": "unknown_field"} for name in unknown
            ]
            or [{"path": "fields", "message": "empty", "code": "empty"}],
            extras={
                "valid_fields": list(grain.fields),
                "example": f"{request.url.path}?fields={','.join(grain.fields[:2])}",
            },
        )
    # The answer keeps the registry's order, whatever order the fields were asked in.
    return tuple(name for name in grain.fields if name in asked)


def _lower(value: str | None) -> str | None:
    return None if value is None else value.lower()


def _model(grain_name: str) -> Callable[[ModelBook], type[BaseModel]]:
    """The dossier body: the envelope, then each facet (absent when ?fields= left it out)."""
    grain = GRAINS[grain_name]
    type_name = _ROOTS[grain_name][0]

    def build(book: ModelBook) -> type[BaseModel]:
        root = book.schema.type_map[type_name]
        assert isinstance(root, GraphQLObjectType)
        fields: dict[str, Any] = {
            "key": (str, Field(description="the key the dossier was addressed by")),
            "grain": (Literal[grain_name], ...),
            grain.id_field: (str | None, Field(description="null when the key names no known entity")),
            "resolved_via": (book.enum("ResolvedVia") | None, ...),
            "generated_at": (str, Field(description="when this answer was made (UTC, ISO 8601)")),
            "provenance": (list[ProvenanceEntry], Field(description="one entry per facet in the body")),
        }
        for name in grain.fields:
            kind = get_named_type(root.fields[graphql_name(grain, name)].type)
            assert isinstance(kind, GraphQLObjectType)
            if name == "identity":
                model: Any = book.of_type(kind, exclude=("asOf",)) | None
            else:
                model = book.of_type(kind)
            source = grain.identity if name == "identity" else grain.facet(name)
            fields[name] = (model, absent_or(source.description))
        return create_model(f"{type_name}Dossier", __config__=ConfigDict(extra="forbid"), **fields)

    return lambda book: book.named(f"{type_name}Dossier", build)


def _params(grain: Grain, key_description: str) -> tuple[Param, ...]:
    return (
        Param("key", "path", key_description, {"type": "string", "minLength": 1, "maxLength": 512, "pattern": "\\S"}),
        Param(
            "fields",
            "query",
            "Only these facets (the envelope always comes)",
            {"type": "array", "items": {"enum": list(grain.fields)}, "minItems": 1},
            comma_list=True,
            example=list(grain.fields[:2]),
        ),
    )


def dossier_route(
    grain_name: str,
    path: str,
    operation_id: str,
    summary: str,
    check: Callable[[str], object],
    key_description: str,
    plan: Callable[[GraphQLCall, Context], Awaitable[dict[str, Any]]] | None = None,
) -> RestRoute:
    """A dossier route; `check` validates the key up front (raising ClientInputError for a 400)."""
    grain = GRAINS[grain_name]
    _type, field, argument, id_field = _ROOTS[grain_name]

    def call(request: Request, schema: GraphQLSchema) -> GraphQLCall:
        key = request.path_params["key"]
        try:
            check(key)
        except ClientInputError as exc:
            # The resolvers name their GraphQL argument (slug for festivals); in REST it is `key`.
            if exc.extensions is not None and "field" in exc.extensions:
                exc.extensions["field"] = "key"
            raise
        facets = _fields(request, grain)
        return GraphQLCall(document(schema, grain_name, facets), {argument: key}, {"facets": facets})

    def shape(data: Mapping[str, Any], call: GraphQLCall) -> dict[str, Any]:
        entity = data[field]
        body: dict[str, Any] = {
            "key": entity["key"],
            "grain": grain_name,
            grain.id_field: entity[id_field],
            "resolved_via": _lower(entity["resolvedVia"]),
            "generated_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "provenance": [],
        }
        for name in call.hints["facets"]:
            value = entity[graphql_name(grain, name)]
            source = grain.identity if name == "identity" else grain.facet(name)
            if name == "identity":
                as_of = value.pop("asOf") if value else None
                body[name] = snake_keys(value)
            else:
                as_of = value["asOf"]
                body[name] = snake_keys({**value, "state": value["state"].lower()})
            body["provenance"].append({**provenance_entry(source), "as_of": as_of})
        return body

    return RestRoute(
        path=path,
        operation_id=operation_id,
        summary=summary,
        call=call,
        shape=shape,
        response=_model(grain_name),
        params=_params(grain, key_description),
        etag=True,
        plan=plan,
    )
