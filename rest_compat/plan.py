"""Compiled plans: a REST route's GraphQL document, evaluated without the GraphQL executor.

A plan calls the same resolvers the document selects and returns exactly the `data` dict that
executing the document would (tests assert the equality for every sample entity). What it saves
is graphql-core's per-field work: hundreds of fields per dossier, each resolved, checked and
completed one at a time. The GraphQL document stays the definition of the route.
"""

from __future__ import annotations

from enum import Enum
from functools import cache
from typing import Any

from strawberry.utils.str_converters import to_camel_case

__all__ = ["plain"]


@cache
def _fields(cls: type) -> tuple[tuple[str, str], ...]:
    definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
    return tuple((f.python_name, f.graphql_name or to_camel_case(f.python_name)) for f in definition.fields)


def plain(value: Any) -> Any:
    """A Strawberry object as GraphQL would serialise it with every field selected."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Enum):
        return value.name
    if isinstance(value, list):
        return [plain(item) for item in value]
    return {graphql: plain(getattr(value, python)) for python, graphql in _fields(type(value))}  # type: ignore[arg-type]
