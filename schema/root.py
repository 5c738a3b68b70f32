"""The Query root and the schema, with the extensions every execution goes through."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, cast

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors, ParserCache, SchemaExtension, ValidationCache
from strawberry.scalars import JSON
from strawberry.types import ExecutionContext, Info

from gateway.context import Context
from resolvers import discovery
from resolvers.artist import address_artist
from resolvers.errors import ClientInputError
from resolvers.festival import address_festival
from resolvers.identity import query_problem, resolve
from resolvers.label import address_label
from resolvers.search import search as run_search
from schema.artist import Artist
from schema.discovery import Breakouts, OnesToWatch, Tastemakers
from schema.festival import Festival
from schema.identity import Resolution
from schema.label import Label
from schema.limits import limit_extensions
from schema.manifest import build_manifest
from schema.search import SearchGrain, SearchResult

__all__ = ["INTERNAL_ERROR", "Query", "build_schema"]

INTERNAL_ERROR = "Internal error. Quote the request_id if you report it."


MAX_ARTISTS = 100


@strawberry.type
class Query:
    @strawberry.field(description="Resolve a name, a pasted link or a foreign locator to a cluster_id.")
    async def resolve(self, info: Info[Context, None], q: str) -> Resolution:
        problem = query_problem(q)
        if problem:
            raise ClientInputError(problem, field="q")
        return await resolve(q, info.context.loaders)

    @strawberry.field(description="An artist dossier by 64-hex cluster_id or human slug (not a foreign locator).")
    def artist(self, key: str) -> Artist:
        return Artist(key=key, address=address_artist(key))

    @strawberry.field(description=f"Up to {MAX_ARTISTS} artist dossiers; every facet batches across them.")
    def artists(self, keys: list[str]) -> list[Artist]:
        if len(keys) > MAX_ARTISTS:
            raise ClientInputError(f"at most {MAX_ARTISTS} keys per call (got {len(keys)})", field="keys")
        return [Artist(key=key, address=address_artist(key)) for key in keys]

    @strawberry.field(description="Ranked matches across grains; every answer carries a beacon for its search.")
    async def search(
        self, info: Info[Context, None], q: str, grains: list[SearchGrain] | None = None, limit: int = 10
    ) -> SearchResult:
        return await run_search(q, grains, limit, info.context)

    @strawberry.field(description="Curators ranked by how early they back rising artists (a published snapshot).")
    def tastemakers(self, info: Info[Context, None], limit: int = 50) -> Tastemakers:
        return discovery.tastemakers(limit, info.context)

    @strawberry.field(description="Artists to watch, ranked by brokerage (a published snapshot).")
    def ones_to_watch(self, info: Info[Context, None], limit: int = 50) -> OnesToWatch:
        return discovery.ones_to_watch(limit, info.context)

    @strawberry.field(description="Breakout and rising artists, booking momentum checked against press.")
    def breakouts(
        self, info: Info[Context, None], tier: str | None = None, corroboration: str | None = None, limit: int = 50
    ) -> Breakouts:
        return discovery.breakouts(tier, corroboration, limit, info.context)

    @strawberry.field(description="A label dossier by 64-hex label_id or slug.")
    def label(self, key: str) -> Label:
        return Label(key=key, address=address_label(key))

    @strawberry.field(description="A festival dossier by slug; the slug of any raw name it was filed under works.")
    def festival(self, slug: str) -> Festival:
        return Festival(key=slug, address=address_festival(slug))

    @strawberry.field(description="The data dictionary: every grain, its addresses, facets, fields and sources.")
    def manifest(self, info: Info[Context, None]) -> JSON:
        return cast(JSON, build_manifest(info.schema._schema))


def _masked(error: GraphQLError) -> bool:
    """Hide what a resolver raised unless it is a ClientInputError; syntax and validation errors are
    the caller's and stay readable."""
    original = error.original_error
    return original is not None and not isinstance(original, ClientInputError)


def _tag(errors: Iterable[GraphQLError]) -> None:
    """Give every error a code, so clients branch on codes rather than messages."""
    for error in errors:
        if (error.extensions or {}).get("code"):
            continue
        if error.message == INTERNAL_ERROR or error.original_error is not None:
            code = "internal_error"
        elif error.message.startswith("Syntax Error") and "tokens" in error.message:
            code = "too_many_tokens"
        elif error.message.startswith("Syntax Error"):
            code = "graphql_parse_failed"
        else:
            code = "graphql_validation_failed"
        error.extensions = {**(error.extensions or {}), "code": code}


class ErrorCodes(SchemaExtension):
    """Codes the errors MaskErrors puts in place of internal ones (it runs outside MaskErrors)."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        _tag((result.errors if result else None) or ())


class GatewaySchema(strawberry.federation.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        # A caller's bad input, a syntax error or a rejected operation is the caller's business;
        # only errors that MaskErrors hides are ours to log.
        _tag(errors)  # parse and validation errors reach clients through here, not through extensions
        super().process_errors([e for e in errors if _masked(e)], execution_context)


def build_schema() -> strawberry.Schema:
    # Factories, as Strawberry asks; the parse and validation LRUs they use live at module level,
    # keyed by document (and schema), so they persist across requests.
    extensions: list[Any] = [
        ErrorCodes,
        *limit_extensions(),
        lambda: ParserCache(maxsize=512),
        lambda: ValidationCache(maxsize=512),
        lambda: MaskErrors(should_mask_error=_masked, error_message=INTERNAL_ERROR),
    ]
    return GatewaySchema(query=Query, extensions=extensions)
