"""Label dossier resolvers: addressing, identity and the sublabel -> parent lineage walk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from producers.loaders import Loaders
from producers.outcomes import Failed, Found, Outcome
from resolvers.errors import ClientInputError
from resolvers.identity import require_key
from resolvers.identity_norm import label_id as name_label_id
from resolvers.identity_norm import pe_norm_v1, slug_for
from resolvers.locators import is_cluster_hex, is_foreign_locator
from schema.facets import LabelIdentity

__all__ = ["MAX_LINEAGE_DEPTH", "LabelAddress", "address_label", "identity", "known", "walk_lineage"]

MAX_LINEAGE_DEPTH = 16
_IDENTITY = ("identity-graph", "labels")
_LINEAGE = ("discogs-catalog", "label_lineage")


@dataclass(frozen=True, slots=True)
class LabelAddress:
    key: str
    by_id: bool
    label_id: str | None


def address_label(key: str) -> LabelAddress:
    require_key(key, "a label key", field="key")
    if is_cluster_hex(key):
        return LabelAddress(key, True, key)
    if is_foreign_locator(key):
        raise ClientInputError(
            f"{key.split(':', 1)[0]}: keys are not label addresses; use the label_id or the label's slug",
            field="key",
            valid_forms=["a 64-hex label_id", "the label's slug, e.g. warp-records"],
        )
    return LabelAddress(key, False, name_label_id(key))


async def _row(address: LabelAddress, loaders: Loaders) -> Outcome | None:
    if address.label_id is None:
        return None
    return await loaders.load(*_IDENTITY, address.label_id)


async def known(address: LabelAddress, loaders: Loaders) -> bool | None:
    outcome = await _row(address, loaders)
    return None if isinstance(outcome, Failed) else isinstance(outcome, Found)


async def identity(address: LabelAddress, loaders: Loaders) -> LabelIdentity | None:
    outcome = await _row(address, loaders)
    if not isinstance(outcome, Found):
        return None
    row = outcome.row
    return LabelIdentity(
        label_id=row["label_id"], name=row["name"], slug=row["slug"], aliases=list(row["aliases"]),
        discogs_label_id=row.get("discogs_label_id"), as_of=outcome.as_of,
    )  # fmt: skip


def _step(row: dict[str, Any]) -> dict[str, str]:
    return {"label_id": row["label_id"], "name": row["name"], "slug": slug_for(pe_norm_v1(row["name"]) or "")}


async def walk_lineage(label_id: str, loaders: Loaders) -> Outcome:
    """The chain from a label up to its root, one parent per step (each step a batched load).

    The producer's raw data may hold a cycle or an absurdly deep chain: the walk stops at the
    first label seen twice or past MAX_LINEAGE_DEPTH parents, and says so, rather than loop."""
    first = await loaders.load(*_LINEAGE, label_id)
    if not isinstance(first, Found):
        return first
    chain = [_step(first.row)]
    seen = {label_id}
    row, cut = first.row, None
    while (parent := row.get("parent_label_id")) is not None:
        if parent in seen:
            cut = (
                f"cycle: {row['name']} names {next(s['name'] for s in chain if s['label_id'] == parent)} as its parent"
            )
            break
        if len(chain) > MAX_LINEAGE_DEPTH:
            cut = f"deeper than {MAX_LINEAGE_DEPTH} parents"
            break
        outcome = await loaders.load(*_LINEAGE, parent)
        if isinstance(outcome, Failed):
            return outcome
        if not isinstance(outcome, Found):
            cut = f"parent {parent} is unknown to the catalog"
            break
        seen.add(parent)
        row = outcome.row
        chain.append(_step(row))
    return Found({"chain": chain, "cut_reason": cut}, first.as_of)
