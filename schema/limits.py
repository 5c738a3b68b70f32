"""Operation limits, checked during validation, before any resolver (or producer) runs.

Depth, aliases and an estimated cost are measured over the document with fragments expanded
(a fragment cycle is cut, and reported by graphql's own rule). Cost: 1 per field, 5 per artist
facet (each is a producer table), multiplied below `artists(keys:)` by the number of keys (100
when they come from a variable). Every rejection carries `extensions.code`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLObjectType,
    InlineFragmentNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    get_named_type,
)
from strawberry.extensions import AddValidationRules, MaxTokensLimiter

__all__ = ["LIMITS", "OperationLimitsRule", "limit_extensions"]

LIMITS = {"max_depth": 10, "max_aliases": 30, "max_cost": 25_000, "max_tokens": 4_000}
FACET_COST = 5
MAX_KEYS = 100
_MULTIPLIED = {("Query", "artists"): "keys"}
_COSTLY_PARENTS = {"Artist"}


class _Walk:
    def __init__(self, context: ValidationContext) -> None:
        self.context = context
        self.fragments = {
            d.name.value: d for d in context.document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.aliases = 0
        self.max_depth = 0

    def _selections(self, node: SelectionSetNode | None, seen: frozenset[str]) -> Iterator[tuple[FieldNode, Any]]:
        """Fields of a selection set, fragments expanded, each with the type condition it sits under."""
        if node is None:
            return
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                yield selection, None
            elif isinstance(selection, InlineFragmentNode):
                yield from self._selections(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:
                    yield from self._selections(fragment.selection_set, seen | {name})

    def cost(self, parent: Any, node: SelectionSetNode | None, depth: int, seen: frozenset[str]) -> int:
        self.max_depth = max(self.max_depth, depth)
        total = 0
        for field, _ in self._selections(node, seen):
            if field.alias is not None:
                self.aliases += 1
            name = field.name.value
            definition = parent.fields.get(name) if isinstance(parent, GraphQLObjectType) else None
            child = get_named_type(definition.type) if definition is not None else None
            own = FACET_COST if parent is not None and parent.name in _COSTLY_PARENTS and name != "key" else 1
            inner = self.cost(child, field.selection_set, depth + 1, seen) if field.selection_set else 0
            total += (own + inner) * self._multiplier(parent, field)
        return total

    def _multiplier(self, parent: Any, field: FieldNode) -> int:
        argument = _MULTIPLIED.get((getattr(parent, "name", ""), field.name.value))
        if argument is None:
            return 1
        for arg in field.arguments or ():
            if arg.name.value == argument:
                return len(arg.value.values) if isinstance(arg.value, ListValueNode) else MAX_KEYS
        return 1


def _error(message: str, code: str, node: Any) -> GraphQLError:
    return GraphQLError(message, node, extensions={"code": code})


class OperationLimitsRule(ValidationRule):
    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        walk = _Walk(self.context)
        root = self.context.schema.get_root_type(node.operation)
        cost = walk.cost(root, node.selection_set, 0, frozenset())
        name = node.name.value if node.name else "the operation"
        if walk.max_depth > LIMITS["max_depth"]:
            self.report_error(_error(f"{name} nests {walk.max_depth} deep; the limit is {LIMITS['max_depth']}",
                                     "query_too_deep", node))  # fmt: skip
        if walk.aliases > LIMITS["max_aliases"]:
            self.report_error(_error(f"{name} uses {walk.aliases} aliases; the limit is {LIMITS['max_aliases']}",
                                     "too_many_aliases", node))  # fmt: skip
        if cost > LIMITS["max_cost"]:
            self.report_error(_error(f"{name} is estimated at cost {cost}; the limit is {LIMITS['max_cost']}",
                                     "query_too_costly", node))  # fmt: skip


def limit_extensions() -> list[Any]:
    return [
        lambda: MaxTokensLimiter(max_token_count=LIMITS["max_tokens"]),
        lambda: AddValidationRules([OperationLimitsRule]),
    ]
