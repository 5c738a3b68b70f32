"""`/api/v2/tastemakers`, `/api/v2/tastemakers/ones-to-watch`, `/api/v2/breakouts`: published
snapshots, fail-soft. tastemakers and ones-to-watch take limit 1..200 (else 400); breakouts clamps
limit to 200 and filters by tier and corroboration (unknown values are 400)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request

from gateway.errors import ApiError
from resolvers.discovery import BREAKOUT_TIERS, CORROBORATIONS, MAX_ROWS
from rest_compat.contract import Param
from rest_compat.table import GraphQLCall, RestRoute, single_param, snake_keys, whole_number

__all__ = ["DISCOVERY_ROUTES"]

_HEAD = "state stale publishedAt reason"
_TASTEMAKERS = f"query($limit: Int!) {{ tastemakers(limit: $limit) {{ {_HEAD} tastemakers {{ rank curator ownTier brokerageScore corroboratingAxes leadTimeDays bandcampDemand }} }} }}"
_WATCH = f"query($limit: Int!) {{ onesToWatch(limit: $limit) {{ {_HEAD} onesToWatch {{ rank clusterId name ownTier brokerageScore corroboratingAxes leadTimeDays bandcampDemand }} }} }}"
_BREAKOUTS = f"query($tier: String, $corroboration: String, $limit: Int!) {{ breakouts(tier: $tier, corroboration: $corroboration, limit: $limit) {{ {_HEAD} breakouts {{ clusterId name tier corroboration bookingMomentum pressMentions }} }} }}"


def _invalid(name: str, message: str) -> ApiError:
    return ApiError(400, "invalid_request", message, details=[{"path": name, "message": message, "code": "invalid"}])


def _limit(request: Request, *, clamp: bool) -> int:
    raw = single_param(request, "limit")
    if raw is None:
        return 50
    limit = whole_number(raw)
    if limit is None or limit < 1 or (not clamp and limit > MAX_ROWS):
        bounds = "a whole number of at least 1" if clamp else f"a whole number from 1 to {MAX_ROWS}"
        raise _invalid("limit", f"limit must be {bounds}")
    return min(limit, MAX_ROWS)


def _choice(request: Request, name: str, allowed: tuple[str, ...]) -> str | None:
    value = single_param(request, name)
    if value is not None and value not in allowed:
        raise _invalid(name, f"{name} must be one of {', '.join(allowed)}")
    return value


_LIMIT = Param(
    "limit", "query", "How many rows at most", {"type": "integer", "minimum": 1, "maximum": MAX_ROWS, "default": 50}
)
_CLAMPED_LIMIT = Param(
    "limit",
    "query",
    f"How many rows at most (more than {MAX_ROWS} is read as {MAX_ROWS})",
    {"type": "integer", "minimum": 1, "default": 50},
)


def _shape(field: str) -> Any:
    def shape(data: Mapping[str, Any], _call: GraphQLCall) -> dict[str, Any]:
        return dict(snake_keys(data[field]))

    return shape


DISCOVERY_ROUTES = [
    RestRoute(
        path="/api/v2/tastemakers",
        operation_id="getTastemakers",
        summary="Curators ranked by how early they back rising artists (snapshot, fail-soft)",
        call=lambda request, _s: GraphQLCall(_TASTEMAKERS, {"limit": _limit(request, clamp=False)}),
        shape=_shape("tastemakers"),
        response=lambda book: book.of_document(_TASTEMAKERS),
        params=(_LIMIT,),
    ),
    RestRoute(
        path="/api/v2/tastemakers/ones-to-watch",
        operation_id="getOnesToWatch",
        summary="Artists to watch, ranked by brokerage (snapshot, fail-soft)",
        call=lambda request, _s: GraphQLCall(_WATCH, {"limit": _limit(request, clamp=False)}),
        shape=_shape("onesToWatch"),
        response=lambda book: book.of_document(_WATCH),
        params=(_LIMIT,),
    ),
    RestRoute(
        path="/api/v2/breakouts",
        operation_id="getBreakouts",
        summary="Breakout and rising artists, booking momentum cross-checked against press (snapshot, fail-soft)",
        call=lambda request, _s: GraphQLCall(
            _BREAKOUTS,
            {
                "tier": _choice(request, "tier", BREAKOUT_TIERS),
                "corroboration": _choice(request, "corroboration", CORROBORATIONS),
                "limit": _limit(request, clamp=True),
            },
        ),
        shape=_shape("breakouts"),
        response=lambda book: book.of_document(_BREAKOUTS),
        params=(
            Param("tier", "query", "Only this tier", {"enum": list(BREAKOUT_TIERS)}),
            Param("corroboration", "query", "Only this corroboration", {"enum": list(CORROBORATIONS)}),
            _CLAMPED_LIMIT,
        ),
    ),
]
