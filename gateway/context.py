"""The per-request context resolvers see: who is asking, until when, and this request's loaders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gateway.keys import ApiKey
from gateway.snapshots import SnapshotReader
from producers.loaders import Loaders

__all__ = ["Context"]


@dataclass(frozen=True, slots=True)
class Context:
    caller: ApiKey | None
    request_id: str
    deadline: float  # time.monotonic() value
    loaders: Loaders
    #: mints (search_event_id, beacon token, expires_at) for a search answer
    issue_beacon: Callable[[], tuple[str, str, int]]
    #: the published discovery snapshots (files, never producers)
    snapshots: SnapshotReader
