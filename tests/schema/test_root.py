"""The schema executed directly (no HTTP): errors a client can read, internals masked."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from schema.root import INTERNAL_ERROR, Query, build_schema


async def test_validation_and_syntax_errors_stay_readable() -> None:
    schema = build_schema()
    assert [e.message for e in (await schema.execute("{ nope }")).errors or []] == [
        "Cannot query field 'nope' on type 'Query'."
    ]
    assert [e.message for e in (await schema.execute("{ resolve(q: ) }")).errors or []] == [
        "Syntax Error: Unexpected ')'."
    ]


async def test_client_input_errors_carry_a_code() -> None:
    result = await build_schema().execute('{ resolve(q: "") { clusterId } }')
    assert [(e.message, e.extensions) for e in result.errors or []] == [
        ("q must not be empty", {"code": "invalid_request", "field": "q"})
    ]


async def test_resolver_exceptions_are_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    raised: list[str] = []

    async def boom(q: str, loaders: Any) -> None:
        raised.append(q)
        raise RuntimeError("secret: /etc/passwd")

    monkeypatch.setattr("schema.root.resolve", boom)
    context = SimpleNamespace(loaders=None)
    result = await build_schema().execute('{ resolve(q: "x") { clusterId } }', context_value=context)
    assert raised == ["x"]
    assert [e.message for e in result.errors or []] == [INTERNAL_ERROR]


def test_the_query_root_is_documented() -> None:
    sdl = build_schema().as_str()
    assert '"""Resolve a name, a pasted link or a foreign locator to a cluster_id."""' in sdl
    assert "resolve(q: String!): Resolution!" in sdl
    assert Query.__name__ == "Query"
