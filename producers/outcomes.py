"""What one key's load came to: a row, no row, or a failure. Loads never raise."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeAlias

__all__ = ["Failed", "Found", "Missing", "Outcome"]


@dataclass(frozen=True, slots=True)
class Found:
    row: Any
    as_of: str


@dataclass(frozen=True, slots=True)
class Missing:
    """The producer holds no row for the key: the facet takes its table's no-row state."""

    as_of: str


@dataclass(frozen=True, slots=True)
class Failed:
    """The producer could not answer for the key: the facet is degraded with this reason."""

    reason: str
    detail: str = ""


Outcome: TypeAlias = Found | Missing | Failed
