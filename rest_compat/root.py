"""`GET /api/v2`: the public front door, which teaches the cold-start recipe."""

from __future__ import annotations

import orjson
from starlette.requests import Request
from starlette.responses import Response

__all__ = ["api_root"]


async def api_root(request: Request) -> Response:
    body = {
        "name": "crate",
        "api_version": "v2",
        "about": "One dossier per artist, label or festival, joined from every producer of the fleet, "
        "each piece labelled with its source and freshness. An empty answer is a 200 with an honest gap.",
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
        "links": {
            "self": "/api/v2",
            "openapi": "/api/v2/openapi.json",
            "graphql": "/graphql",
            "migration": "/docs/migration/v1-to-v2",
        },
    }
    return Response(orjson.dumps(body), media_type="application/json")
