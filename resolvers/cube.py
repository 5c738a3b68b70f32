"""The cube: a release group's place on three behavioural axes (DESIGN §7).

Bit 1 collector (owners ≥ 50), bit 2 DJ (DJ plays ≥ 5), bit 3 critic (reviews ≥ 2), written as
a 3-character string. With no counts known at all the quadrant is None: unclassified, an honest
gap; a count that alone is unknown counts as below its threshold.
"""

from __future__ import annotations

__all__ = ["CUBE_LABELS", "THRESHOLDS", "cube_label", "cube_quadrant"]

THRESHOLDS = {"owner_count": 50, "dj_count": 5, "critic_count": 2}

CUBE_LABELS = {
    "000": "No signal",
    "100": "Collector-only",
    "010": "DJ-only",
    "001": "Critic-only",
    "110": "Collector + DJ",
    "101": "Collector + critic",
    "011": "DJ + critic",
    "111": "Full intersection",
}


def cube_quadrant(owner_count: int | None, dj_count: int | None, critic_count: int | None) -> str | None:
    if owner_count is None and dj_count is None and critic_count is None:
        return None
    return "".join(
        "1" if value is not None and value >= THRESHOLDS[axis] else "0"
        for axis, value in (("owner_count", owner_count), ("dj_count", dj_count), ("critic_count", critic_count))
    )


def cube_label(quadrant: str | None) -> str | None:
    return None if quadrant is None else CUBE_LABELS[quadrant]
