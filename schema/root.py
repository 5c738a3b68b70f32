"""The Query root and the schema, with the extensions every execution goes through."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors, ParserCache, ValidationCache
from strawberry.types import ExecutionContext, Info

from gateway.context import Context
from resolvers.errors import ClientInputError
from resolvers.identity import query_problem, resolve
from schema.identity import Resolution

__all__ = ["INTERNAL_ERROR", "Query", "build_schema"]

INTERNAL_ERROR = "Internal error. Quote the request_id if you report it."


@strawberry.type
class Query:
    @strawberry.field(description="Resolve a name, a pasted link or a foreign locator to a cluster_id.")
    async def resolve(self, info: Info[Context, None], q: str) -> Resolution:
        problem = query_problem(q)
        if problem:
            raise ClientInputError(problem, field="q")
        return await resolve(q, info.context.loaders)


def _masked(error: Exception) -> bool:
    return not isinstance(getattr(error, "original_error", None), ClientInputError) and not isinstance(
        error, ClientInputError
    )


class GatewaySchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        # A caller's bad input, a syntax error or a rejected operation is the caller's business;
        # only errors that MaskErrors hides are ours to log.
        super().process_errors([e for e in errors if e.original_error is not None and _masked(e)], execution_context)


def build_schema() -> strawberry.Schema:
    # Factories, as Strawberry asks; the parse and validation LRUs they use live at module level,
    # keyed by document (and schema), so they persist across requests.
    extensions: list[Any] = [
        lambda: ParserCache(maxsize=512),
        lambda: ValidationCache(maxsize=512),
        lambda: MaskErrors(should_mask_error=_masked, error_message=INTERNAL_ERROR),
    ]
    return GatewaySchema(query=Query, extensions=extensions)
