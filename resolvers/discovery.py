"""Discovery resolvers: published snapshots through the request context, with the limit and filter rules."""

from __future__ import annotations

from typing import Any

from gateway.context import Context
from resolvers.errors import ClientInputError
from schema.discovery import Breakout, Breakouts, OnesToWatch, OneToWatch, Tastemaker, Tastemakers

__all__ = ["BREAKOUT_TIERS", "CORROBORATIONS", "MAX_ROWS", "breakouts", "ones_to_watch", "tastemakers"]

MAX_ROWS = 200
BREAKOUT_TIERS = ("breakout", "rising")
CORROBORATIONS = ("corroborated", "booking_ahead")


def _bounded(limit: int) -> None:
    if not 1 <= limit <= MAX_ROWS:
        raise ClientInputError(f"limit must be 1 to {MAX_ROWS} (got {limit})", field="limit")


def _build(kind: type, row: dict[str, Any]) -> Any:
    fields = kind.__strawberry_definition__.fields  # type: ignore[attr-defined]
    return kind(**{f.python_name: row[f.python_name] for f in fields})


def tastemakers(limit: int, context: Context) -> Tastemakers:
    _bounded(limit)
    snap = context.snapshots.read("tastemakers")
    rows = [_build(Tastemaker, r) for r in snap.rows[:limit]]
    return Tastemakers(
        state=snap.state, stale=snap.stale, published_at=snap.published_at, reason=snap.reason, tastemakers=rows
    )


def ones_to_watch(limit: int, context: Context) -> OnesToWatch:
    _bounded(limit)
    snap = context.snapshots.read("ones_to_watch")
    rows = [_build(OneToWatch, r) for r in snap.rows[:limit]]
    return OnesToWatch(
        state=snap.state, stale=snap.stale, published_at=snap.published_at, reason=snap.reason, ones_to_watch=rows
    )


def breakouts(tier: str | None, corroboration: str | None, limit: int, context: Context) -> Breakouts:
    if tier is not None and tier not in BREAKOUT_TIERS:
        raise ClientInputError(f"tier must be one of {', '.join(BREAKOUT_TIERS)}", field="tier")
    if corroboration is not None and corroboration not in CORROBORATIONS:
        raise ClientInputError(f"corroboration must be one of {', '.join(CORROBORATIONS)}", field="corroboration")
    if limit < 1:
        raise ClientInputError("limit must be at least 1", field="limit")
    snap = context.snapshots.read("breakouts")
    chosen = [
        r
        for r in snap.rows
        if (tier is None or r["tier"] == tier) and (corroboration is None or r["corroboration"] == corroboration)
    ]
    rows = [_build(Breakout, r) for r in chosen[: min(limit, MAX_ROWS)]]  # clamped, as the spec says
    state = snap.state if snap.state == "degraded" or rows else "empty"
    return Breakouts(state=state, stale=snap.stale, published_at=snap.published_at, reason=snap.reason, breakouts=rows)
