"""Every `/api/v2` route that is defined as a GraphQL selection, in one table."""

from __future__ import annotations

from rest_compat.artist import ARTIST_ROUTES
from rest_compat.discovery import DISCOVERY_ROUTES
from rest_compat.grains import FESTIVAL_ROUTES, LABEL_ROUTES
from rest_compat.manifest import MANIFEST
from rest_compat.resolve import RESOLVE
from rest_compat.search import SEARCH
from rest_compat.table import RestRoute

__all__ = ["ROUTES"]

ROUTES: list[RestRoute] = [
    RESOLVE,
    SEARCH,
    *ARTIST_ROUTES,
    *LABEL_ROUTES,
    *FESTIVAL_ROUTES,
    MANIFEST,
    *DISCOVERY_ROUTES,
]
