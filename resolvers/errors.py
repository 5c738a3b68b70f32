"""Errors a resolver raises for bad client input. They reach GraphQL clients with a code; every
other exception is masked (MaskErrors) so internals never leak."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError

__all__ = ["ClientInputError"]


class ClientInputError(GraphQLError):
    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid_request",
        field: str | None = None,
        next: str | None = None,
        valid_forms: list[str] | None = None,
    ) -> None:
        extensions: dict[str, Any] = {"code": code}
        if field:
            extensions["field"] = field
        if next:
            extensions["next"] = next
        if valid_forms:
            extensions["valid_forms"] = valid_forms
        super().__init__(message, extensions=extensions)
