"""Fault injection for the reference fleet, read from the environment (for benchmarks and fault tests).

CRATE_FLEET_LATENCY_MS            added latency for every producer, in milliseconds
CRATE_FLEET_LATENCY_MS_<NAME>     added latency for one producer (NAME upper-snake, e.g. DISCOGS_COLLECTOR)
CRATE_FLEET_FAIL=<name,...>       those producers answer 500
CRATE_FLEET_HANG=<name,...>       those producers never answer
CRATE_FLEET_GARBAGE=<name,...>    those producers answer 200 with a body that is not JSON
CRATE_FLEET_STALE=<name,...>      those producers report an as_of three cadences old
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from producers.catalog import PRODUCERS

__all__ = ["FleetFaults"]

_NAMES = {spec.name for spec in PRODUCERS}


def _names(raw: str, variable: str) -> frozenset[str]:
    names = frozenset(part.strip() for part in raw.split(",") if part.strip())
    unknown = names - _NAMES
    if unknown:
        raise ValueError(f"{variable}: unknown producer(s) {', '.join(sorted(unknown))}")
    return names


def _millis(raw: str, variable: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{variable} must be a number of milliseconds, got {raw!r}") from None
    if value < 0:
        raise ValueError(f"{variable} must not be negative")
    return value


@dataclass(frozen=True, slots=True)
class FleetFaults:
    latency_ms: float = 0.0
    latency_ms_by: Mapping[str, float] = field(default_factory=dict)
    fail: frozenset[str] = frozenset()
    hang: frozenset[str] = frozenset()
    garbage: frozenset[str] = frozenset()
    stale: frozenset[str] = frozenset()

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> FleetFaults:
        by = {}
        for spec in PRODUCERS:
            variable = f"CRATE_FLEET_LATENCY_MS_{spec.env_name}"
            if environ.get(variable):
                by[spec.name] = _millis(environ[variable], variable)
        return cls(
            latency_ms=_millis(environ.get("CRATE_FLEET_LATENCY_MS") or "0", "CRATE_FLEET_LATENCY_MS"),
            latency_ms_by=by,
            fail=_names(environ.get("CRATE_FLEET_FAIL", ""), "CRATE_FLEET_FAIL"),
            hang=_names(environ.get("CRATE_FLEET_HANG", ""), "CRATE_FLEET_HANG"),
            garbage=_names(environ.get("CRATE_FLEET_GARBAGE", ""), "CRATE_FLEET_GARBAGE"),
            stale=_names(environ.get("CRATE_FLEET_STALE", ""), "CRATE_FLEET_STALE"),
        )

    def latency_seconds(self, producer: str) -> float:
        return self.latency_ms_by.get(producer, self.latency_ms) / 1000.0
