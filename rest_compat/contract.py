"""What the OpenAPI document is made of: each route's parameters and its response model.

REST bodies that are GraphQL selections get pydantic models made from those selections
(`ModelBook`), by the same rules the shapers follow: snake_case keys (`rest_name`), enum values in
lower case, GraphQL's nullability. Bodies REST writes itself (errors, the root index, provenance,
beacons, v1) are declared here as pydantic models. Either way the spec is derived from code, so it
cannot say something the routes do not do — and the contract tests hold every answer to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Union

from graphql import (
    FieldNode,
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
)
from pydantic import BaseModel, ConfigDict, Field, create_model

from schema.manifest import rest_name

__all__ = [
    "BeaconErrorBody",
    "BeaconStored",
    "ErrorBody",
    "ModelBook",
    "Param",
    "ProvenanceEntry",
    "RootIndex",
    "absent_or",
    "query_text",
]


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter of a route, as OpenAPI states it (`schema` is JSON Schema)."""

    name: str
    location: Literal["query", "path"]
    description: str
    schema: dict[str, Any]
    required: bool = False
    #: a comma-separated list (`style: form, explode: false`)
    comma_list: bool = False
    example: Any = None

    def openapi(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "in": self.location,
            "required": self.required or self.location == "path",
            "description": self.description,
            "schema": self.schema,
        }
        if self.comma_list:
            out.update(style="form", explode=False)
        if self.example is not None:
            out["example"] = self.example
        return out


def query_text(description: str) -> Param:
    """`q`: what resolve and search read: 1–512 characters, not only whitespace."""
    return Param(
        "q", "query", description, {"type": "string", "minLength": 1, "maxLength": 512, "pattern": "\\S"}, required=True
    )


def absent_or(description: str) -> Any:
    """A field that may be left out of the body (e.g. a facet ?fields= did not ask for); when it is
    there it is never null."""
    return Field(default=None, description=description, json_schema_extra=_drop_default)


def _drop_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---- errors -------------------------------------------------------------------------------------


class ErrorDetail(_Body):
    path: str = Field(description="the parameter or field at fault ('' for the request as a whole)")
    message: str
    code: str


class ErrorObject(_Body):
    model_config = ConfigDict(extra="allow")  # route extras: retry_after_seconds, …

    code: str = Field(description="stable, machine-readable: invalid_request, invalid_fields, rate_limited, …")
    message: str = Field(description="for people; may change")
    details: list[ErrorDetail]
    request_id: str
    retry_after_seconds: int | None = absent_or("on 429: the same number as the Retry-After header")


class ErrorBody(_Body):
    """The error envelope of every 4xx and 5xx, with a route's extras beside `error`."""

    model_config = ConfigDict(extra="allow", title="Error")

    error: ErrorObject
    next: str | None = absent_or("foreign_locator: the call that resolves the locator")
    valid_fields: list[str] | None = absent_or("invalid_fields: the grain's facet names")
    example: str | None = absent_or("invalid_fields: a copy-pasteable URL")
    valid_forms: list[str] | None = absent_or("what keys this route accepts")


class FlattenedErrors(_Body):
    formErrors: list[str]
    fieldErrors: dict[str, list[str]]


class BeaconErrorObject(_Body):
    code: str
    message: str
    details: FlattenedErrors = Field(description="the body's problems as Zod's error.flatten() gives them")
    request_id: str


class BeaconErrorBody(_Body):
    """The beacon routes' 400: `details` is Zod's flattened shape, not the list."""

    model_config = ConfigDict(title="BeaconError")

    error: BeaconErrorObject


# ---- bodies REST writes itself ------------------------------------------------------------------


class ProvenanceEntry(_Body):
    field: str
    producer: str
    sourceTable: str
    refreshCadence: Literal["hourly", "daily", "weekly"]
    tier: str
    honestGapState: Literal["honest_gap", "empty"]
    as_of: str | None


class BeaconStored(_Body):
    stored: Literal[True]
    search_event_id: str


class RecipeStep(_Body):
    step: int
    call: str
    gives: str


class RootExample(_Body):
    artist: str
    calls: list[str]


class RootAuthentication(_Body):
    header: str
    format: str
    public: list[str]


class RootIndex(_Body):
    name: str
    api_version: str
    about: str
    authentication: RootAuthentication
    recipe: list[RecipeStep]
    example: RootExample | None = Field(description="a worked example from the fleet; null before a snapshot")
    links: dict[str, str]


# ---- models of GraphQL selections ---------------------------------------------------------------

_SCALARS: dict[str, Any] = {"String": str, "ID": str, "Int": int, "Float": float, "Boolean": bool, "JSON": Any}


@dataclass
class ModelBook:
    """Pydantic models of REST bodies made from GraphQL selections, one per GraphQL type name (two
    different selections of one type would need two names: that is an error, not a silent merge)."""

    schema: GraphQLSchema
    _made: dict[str, tuple[tuple[str, ...], type[BaseModel]]] = field(default_factory=dict)
    _named: dict[str, type[BaseModel]] = field(default_factory=dict)

    def named(self, name: str, build: Callable[[ModelBook], type[BaseModel]]) -> type[BaseModel]:
        """A model several routes share (e.g. one dossier for two paths), built once."""
        if name not in self._named:
            self._named[name] = build(self)
        return self._named[name]

    def enum(self, name: str) -> Any:
        """A GraphQL enum as REST writes it: a Literal of the lower-cased values."""
        return self._required(self.schema.type_map[name], None)

    def of_document(self, document: str) -> type[BaseModel]:
        """The model of the value of the document's one top-level field."""
        operation = next(d for d in parse(document).definitions if isinstance(d, OperationDefinitionNode))
        (top,) = [s for s in operation.selection_set.selections if isinstance(s, FieldNode)]
        query = self.schema.query_type
        assert query is not None
        kind = _unwrap(query.fields[top.name.value].type)
        assert isinstance(kind, GraphQLObjectType) and top.selection_set is not None
        return self.of_type(kind, top.selection_set)

    def of_type(
        self, kind: GraphQLObjectType, selection: SelectionSetNode | None = None, exclude: tuple[str, ...] = ()
    ) -> type[BaseModel]:
        """The model of `kind` as selected (every field, nested objects whole, without a selection)."""
        chosen = _selected(kind, selection)
        names = tuple(name for name in chosen if name not in exclude)
        made = self._made.get(kind.name)
        if made is not None:
            if made[0] != names:
                raise ValueError(f"{kind.name} is selected two ways: {made[0]} and {names}")
            return made[1]
        fields: dict[str, Any] = {}
        for name in names:
            gql = kind.fields[name]
            fields[rest_name(name)] = (
                self._annotation(gql.type, chosen[name]),
                Field(..., description=gql.description) if gql.description else ...,
            )
        model = create_model(kind.name, __config__=ConfigDict(extra="forbid"), __doc__=kind.description, **fields)
        self._made[kind.name] = (names, model)
        return model

    def _annotation(self, kind: GraphQLOutputType, selection: SelectionSetNode | None) -> Any:
        if isinstance(kind, GraphQLNonNull):
            return self._required(kind.of_type, selection)
        return self._required(kind, selection) | None

    def _required(self, kind: Any, selection: SelectionSetNode | None) -> Any:
        if isinstance(kind, GraphQLList):
            return list[self._annotation(kind.of_type, selection)]  # type: ignore[misc]
        if isinstance(kind, GraphQLEnumType):
            return Literal[tuple(value.lower() for value in kind.values)]
        if isinstance(kind, GraphQLScalarType):
            return _SCALARS[kind.name]
        if isinstance(kind, GraphQLObjectType):
            return self.of_type(kind, selection)
        if isinstance(kind, GraphQLUnionType):
            assert selection is not None
            members = []
            for fragment in selection.selections:
                assert isinstance(fragment, InlineFragmentNode) and fragment.type_condition is not None
                member = self.schema.type_map[fragment.type_condition.name.value]
                assert isinstance(member, GraphQLObjectType)
                members.append(self.of_type(member, fragment.selection_set))
            return Union[tuple(members)]  # noqa: UP007 (a runtime tuple of types)
        raise TypeError(f"no REST model for GraphQL type {kind}")


def _unwrap(kind: Any) -> Any:
    while isinstance(kind, GraphQLNonNull | GraphQLList):
        kind = kind.of_type
    return kind


def _selected(kind: GraphQLObjectType, selection: SelectionSetNode | None) -> dict[str, SelectionSetNode | None]:
    """Field name -> its sub-selection, in selection order (the type's order when all are taken)."""
    if selection is None:
        return dict.fromkeys(kind.fields)
    return {s.name.value: s.selection_set for s in selection.selections if isinstance(s, FieldNode)}
