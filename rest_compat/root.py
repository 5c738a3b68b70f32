"""`GET /api/v2`: the public front door, which teaches the cold-start recipe live.

The worked example is a real artist of the fleet, taken from the published ones-to-watch snapshot
(so the public root never calls a producer); without a snapshot the recipe stands without one.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gateway.snapshots import SnapshotReader

__all__ = ["root_route"]


def _example(snapshots: SnapshotReader) -> dict[str, Any] | None:
    watch = snapshots.read("ones_to_watch")
    if not watch.rows:
        return None
    artist = watch.rows[0]
    name, cid = artist["name"], artist["cluster_id"]
    return {
        "artist": name,
        "calls": [
            f"GET /api/v2/resolve?q={quote(name, safe='')}",
            f"GET /api/v2/artist/{cid}",
            f"GET /api/v2/artist/{cid}?fields=identity,discography",
            f"GET /api/v2/search?q={quote(name.split(' ')[0], safe='')}&grain=artist,master",
        ],
    }


def root_route(snapshots: SnapshotReader) -> Route:
    async def api_root(request: Request) -> Response:
        body = {
            "name": "crate",
            "api_version": "v2",
            "about": "One dossier per artist, label or festival, joined from every producer of the fleet, each piece "
            "labelled with its source and freshness. An empty answer is a 200 with an honest gap.",
            "authentication": {
                "header": "X-API-Key",
                "format": "ck_(live|test)_<32 base62>",
                "public": ["GET /api/v2", "GET /api/v2/openapi.json"],
            },
            "recipe": [
                {
                    "step": 1,
                    "call": "GET /api/v2/resolve?q=<a name, a pasted link or a discogs:/mbid: locator>",
                    "gives": "cluster_id (null is an honest gap, not an error)",
                },
                {
                    "step": 2,
                    "call": "GET /api/v2/artist/{cluster_id}",
                    "gives": "the artist dossier; trim it with ?fields=identity,discography",
                },
                {"step": 3, "call": "GET /api/v2/dossier/manifest", "gives": "every field of every grain"},
            ],
            "example": _example(snapshots),
            "links": {
                "self": "/api/v2",
                "graphql": "/graphql",
                "manifest": "/api/v2/dossier/manifest",
                "search": "/api/v2/search?q=",
                "openapi": "/api/v2/openapi.json",
                "migration": "/docs/migration/v1-to-v2",
            },
        }
        return Response(orjson.dumps(body), media_type="application/json")

    return Route("/api/v2", api_root, methods=["GET"])
