"""GraphQL types of the discovery surfaces. Declarations only."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

__all__ = ["Breakout", "Breakouts", "OneToWatch", "OnesToWatch", "Tastemaker", "Tastemakers"]


@strawberry.type(description="A curator whose backing comes early.")
class Tastemaker:
    rank: int
    curator: str
    own_tier: str
    brokerage_score: float
    corroborating_axes: list[str]
    lead_time_days: float | None
    bandcamp_demand: JSON | None


@strawberry.type(description="An artist to watch: momentum backed by other axes.")
class OneToWatch:
    rank: int
    cluster_id: str
    name: str
    own_tier: str
    brokerage_score: float
    corroborating_axes: list[str]
    lead_time_days: float | None
    bandcamp_demand: JSON | None


@strawberry.type(description="A breakout or rising artist: booking momentum cross-checked against press.")
class Breakout:
    cluster_id: str
    name: str
    tier: str
    corroboration: str = strawberry.field(description="corroborated (press agrees) or booking_ahead")
    booking_momentum: float
    press_mentions: int


@strawberry.type(description="A published snapshot: present, empty, or degraded (still an answer) and stale.")
class Tastemakers:
    state: str
    stale: bool
    published_at: str | None
    reason: str | None
    tastemakers: list[Tastemaker]


@strawberry.type
class OnesToWatch:
    state: str
    stale: bool
    published_at: str | None
    reason: str | None
    ones_to_watch: list[OneToWatch]


@strawberry.type
class Breakouts:
    state: str
    stale: bool
    published_at: str | None
    reason: str | None
    breakouts: list[Breakout]
