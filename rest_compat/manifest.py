"""`GET /api/v2/dossier/manifest`: the data dictionary, straight from Query.manifest."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import GraphQLSchema
from pydantic import BaseModel, ConfigDict, create_model
from starlette.requests import Request

from rest_compat.contract import ModelBook
from rest_compat.table import GraphQLCall, RestRoute

__all__ = ["MANIFEST"]

DOCUMENT = "query Manifest { manifest }"


def _manifest(_book: ModelBook) -> type[BaseModel]:
    return create_model("Manifest", __config__=ConfigDict(extra="allow"), facet_shape=(dict[str, str], ...),
                        grains=(dict[str, Any], ...))  # fmt: skip


def call(_request: Request, _schema: GraphQLSchema) -> GraphQLCall:
    return GraphQLCall(DOCUMENT, {})


def shape(data: Mapping[str, Any], _call: GraphQLCall) -> Any:
    return data["manifest"]


MANIFEST = RestRoute(
    path="/api/v2/dossier/manifest",
    operation_id="getManifest",
    summary="The data dictionary: every grain, its addresses, facets, fields and sources",
    call=call,
    shape=shape,
    response=lambda book: book.named("Manifest", _manifest),
    etag=True,
)
