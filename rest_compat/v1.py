"""v1, frozen and deprecated: the three source-keyed routes from before the cluster-first model,
and the route-by-route migration page.

Every v1 answer carries `Deprecation` (RFC 9745: since when), `Sunset` (RFC 8594: when it goes) and
`Link: </docs/migration/v1-to-v2>; rel="deprecation"`. Like v2, an unknown or unreachable entity is
a 200 that says so (`state`), never a 404. Each body ends with `v2`: where the same data lives now.
Per-release Bandcamp listings (`bandcamp_item_id`, `track_url` — the public track page, never an
audio stream) exist only here.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from typing import Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.errors import ApiError, request_id_of
from gateway.services import Services
from producers.loaders import Loaders
from producers.outcomes import Failed, Found, Outcome
from rest_compat.contract import Param
from rest_compat.table import whole_number

__all__ = [
    "DEPRECATED_SINCE",
    "MIGRATION",
    "MIGRATION_PATH",
    "SUNSET",
    "V1_ROUTES",
    "DeprecationMiddleware",
    "v1_routes",
]

DEPRECATED_SINCE = datetime(2026, 12, 1, tzinfo=UTC)
SUNSET = datetime(2027, 6, 30, tzinfo=UTC)
MIGRATION_PATH = "/docs/migration/v1-to-v2"
DEPRECATION_HEADERS = {
    "Deprecation": f"@{int(DEPRECATED_SINCE.timestamp())}",
    "Sunset": format_datetime(SUNSET, usegmt=True),
    "Link": f'<{MIGRATION_PATH}>; rel="deprecation"',
}
_SUBDOMAIN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


def _whole_number(request: Request, name: str) -> int:
    raw = request.path_params[name]
    number = whole_number(raw)
    if number is None or not 1 <= number <= 2**53 - 1 or raw.startswith("0"):
        message = f"{name} must be a positive whole number"
        raise ApiError(400, "invalid_request", message, details=[{"path": name, "message": message, "code": "invalid"}])
    return number


def _subdomain(request: Request) -> str:
    raw = request.path_params["subdomain"]
    if not _SUBDOMAIN.fullmatch(raw):
        message = "subdomain must be a Bandcamp subdomain: lowercase letters, digits and inner hyphens, 1–63 long"
        raise ApiError(
            400, "invalid_request", message, details=[{"path": "subdomain", "message": message, "code": "invalid"}]
        )
    return raw


def _state(outcome: Outcome, what: str) -> tuple[State, str | None]:
    if isinstance(outcome, Found):
        return "present", None
    if isinstance(outcome, Failed):
        return "degraded", f"the producer could not answer ({outcome.reason})"
    return "honest_gap", f"no {what} is known"


def _row(outcome: Outcome) -> Any | None:
    return outcome.row if isinstance(outcome, Found) else None


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


State = Literal["present", "honest_gap", "degraded"]


class V1Artist(_Body):
    name: str
    aliases: list[str]
    mbid: str | None
    bandcamp_subdomain: str | None


class V1ArtistV2(_Body):
    cluster_id: str
    dossier: str


class V1ArtistBody(_Body):
    discogs_id: int
    state: State
    reason: str | None
    artist: V1Artist | None
    v2: V1ArtistV2 | None = Field(description="where this artist lives in v2")


class V1Label(_Body):
    label_id: str
    name: str


class V1Master(_Body):
    title: str
    artist: str
    year: int | None
    formats: list[str]
    labels: list[V1Label]
    artwork_url: str | None
    owner_count: int | None
    want_count: int | None


class V1MasterV2(_Body):
    cluster_id: str
    discography: str


class V1MasterBody(_Body):
    discogs_master_id: int
    state: State
    reason: str | None
    master: V1Master | None
    v2: V1MasterV2 | None = Field(description="the artist whose discography holds this release group in v2")


class V1Release(_Body):
    bandcamp_item_id: int
    title: str
    track_url: str = Field(description="the public track page (never an audio stream)")
    release_date: str


class V1BandcampBody(_Body):
    subdomain: str
    state: State
    reason: str | None
    releases: list[V1Release]
    v2: V1ArtistV2 | None = Field(description="where this artist's Bandcamp demand signals live in v2")


async def artist(request: Request, loaders: Loaders) -> V1ArtistBody:
    discogs_id = _whole_number(request, "discogs_id")
    bound = await loaders.load("identity-graph", "foreign_ids", f"discogs:{discogs_id}")
    cluster = (_row(bound) or {}).get("cluster_id")
    found = await loaders.load("identity-graph", "clusters", cluster) if cluster else bound
    state, reason = _state(found, f"artist with Discogs id {discogs_id}")
    row = _row(found)
    return V1ArtistBody(
        discogs_id=discogs_id,
        state=state,
        reason=reason,
        artist=None
        if row is None
        else V1Artist(name=row["name"], aliases=row["aliases"], mbid=row["mbid"], bandcamp_subdomain=row["bandcamp"]),
        v2=None if cluster is None else V1ArtistV2(cluster_id=cluster, dossier=f"/api/v2/artist/{cluster}"),
    )


async def master(request: Request, loaders: Loaders) -> V1MasterBody:
    master_id = _whole_number(request, "discogs_master_id")
    found = await loaders.load("discogs-catalog", "masters", str(master_id))
    doc = _row(found)
    group: dict[str, Any] = {}
    if doc is not None:
        groups = _row(await loaders.load("discogs-catalog", "release_groups", doc["cluster_id"])) or []
        group = next((g for g in groups if g["discogsMasterId"] == master_id), {})
    state, reason = _state(found, f"master with Discogs id {master_id}")
    return V1MasterBody(
        discogs_master_id=master_id,
        state=state,
        reason=reason,
        master=None
        if doc is None
        else V1Master(
            title=doc["title"],
            artist=doc["artist"],
            year=group.get("year"),
            formats=group.get("formats", []),
            labels=[V1Label(label_id=lab["label_id"], name=lab["name"]) for lab in group.get("labels", [])],
            artwork_url=group.get("artwork_url"),
            owner_count=doc["owner_count"],
            want_count=group.get("want_count"),
        ),
        v2=None
        if doc is None
        else V1MasterV2(
            cluster_id=doc["cluster_id"], discography=f"/api/v2/artist/{doc['cluster_id']}?fields=discography"
        ),
    )


async def bandcamp_releases(request: Request, loaders: Loaders) -> V1BandcampBody:
    sub = _subdomain(request)
    found, bound = await asyncio.gather(
        loaders.load("bandcamp-demand", "bc_releases", sub),
        loaders.load("identity-graph", "foreign_ids", f"bandcamp:{sub}"),
    )
    cluster = (_row(bound) or {}).get("cluster_id")
    state, reason = _state(found, f"Bandcamp artist {sub!r}")
    return V1BandcampBody(
        subdomain=sub,
        state=state,
        reason=reason,
        releases=[
            V1Release(
                bandcamp_item_id=r["bandcamp_item_id"],
                title=r["title"],
                track_url=r["track_url"],
                release_date=r["release_date"],
            )
            for r in _row(found) or []
        ],
        v2=None
        if cluster is None
        else V1ArtistV2(
            cluster_id=cluster, dossier=f"/api/v2/artist/{cluster}?fields=bandcamp_emergence,bandcamp_tastemaker"
        ),
    )


_ID_SCHEMA: dict[str, Any] = {"type": "integer", "minimum": 1, "maximum": 2**53 - 1}


@dataclass(frozen=True, slots=True)
class V1Route:
    path: str
    operation_id: str
    summary: str
    answer: Callable[[Request, Loaders], Awaitable[BaseModel]]
    response: type[BaseModel]
    param: Param
    #: where the same data lives in v2, and what changed (the migration page's row)
    v2: str
    change: str


V1_ROUTES = (
    V1Route(
        "/api/v1/artists/{discogs_id}",
        "getArtistV1",
        "An artist by Discogs artist id (deprecated: v2 keys artists by cluster_id)",
        artist,
        V1ArtistBody,
        Param("discogs_id", "path", "A Discogs artist id", _ID_SCHEMA),
        "GET /api/v2/resolve?q=discogs:{discogs_id} → cluster_id → GET /api/v2/artist/{cluster_id}",
        "Artists are keyed by cluster_id, one id for the artist across Discogs, MusicBrainz and Bandcamp. "
        "Resolve the Discogs id once, keep the cluster_id, and read the dossier: identity carries the name, "
        "aliases and foreign ids v1 gave, and every other facet comes with it.",
    ),
    V1Route(
        "/api/v1/masters/{discogs_master_id}",
        "getMasterV1",
        "A release group by Discogs master id (deprecated: masters live in the artist's discography)",
        master,
        V1MasterBody,
        Param("discogs_master_id", "path", "A Discogs master id", _ID_SCHEMA),
        "GET /api/v2/artist/{cluster_id}?fields=discography (find it by title: GET /api/v2/search?q=…&grain=master)",
        "The master is no longer a grain of its own. Its release group is a row of the artist's discography "
        "(discogsMasterId, title, year, formats, labels, artwork, owner and want counts); search finds masters "
        "by title and gives their cluster_id and cube quadrant.",
    ),
    V1Route(
        "/api/v1/bandcamp/{subdomain}/releases",
        "getBandcampReleasesV1",
        "Per-release Bandcamp listings of an artist (deprecated; only in v1)",
        bandcamp_releases,
        V1BandcampBody,
        Param(
            "subdomain",
            "path",
            "The artist's Bandcamp subdomain (<subdomain>.bandcamp.com)",
            {"type": "string", "pattern": "^" + _SUBDOMAIN.pattern + "$"},
        ),
        "GET /api/v2/artist/{cluster_id}?fields=bandcamp_emergence,bandcamp_tastemaker",
        "v2 carries Bandcamp as demand signals of the artist (emergence and early-supporter quality), not as "
        "release listings. bandcamp_item_id and track_url stay in v1 until its sunset and are not carried over.",
    ),
)

MIGRATION = [(f"GET {r.path}", r.v2, r.change) for r in V1_ROUTES]


class DeprecationMiddleware:
    """Adds the deprecation headers to every answer under /api/v1/ — 2xx, 400, and the 401 and 429
    the middleware below it write — so no v1 answer goes out unmarked."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._headers = [(name.lower().encode(), value.encode()) for name, value in DEPRECATION_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/v1/"):
            await self.app(scope, receive, send)
            return

        async def marked(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *self._headers]}
            await send(message)

        await self.app(scope, receive, marked)


def _endpoint(route: V1Route, services: Services) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        context = services.context(request_id_of(request.scope), request.scope.get("state", {}).get("caller"))
        body = await route.answer(request, context.loaders)
        return Response(orjson.dumps(body.model_dump()), media_type="application/json")

    endpoint.__name__ = route.operation_id
    return endpoint


def migration_page(_request: Request) -> Response:
    rows = "".join(
        f"<tr><td><code>{escape(old)}</code></td><td><code>{escape(new)}</code></td><td>{escape(change)}</td></tr>"
        for old, new, change in MIGRATION
    )
    sunset = SUNSET.strftime("%-d %B %Y")
    html = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>crate: migrating from v1 to v2</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}}
table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #ccc;padding:.5rem;vertical-align:top;text-align:left}}
code{{font-size:.9em}}</style></head><body>
<h1>Migrating from v1 to v2</h1>
<p>v1 is frozen and deprecated since {DEPRECATED_SINCE.strftime("%-d %B %Y")}; it will be switched off on
<strong>{sunset}</strong>. Every v1 answer says so in its <code>Deprecation</code>, <code>Sunset</code> and
<code>Link</code> headers, and its body ends with <code>v2</code>: where the same data lives now.</p>
<h2>What changed</h2>
<p>v2 is cluster-first: one opaque <code>cluster_id</code> per artist, whatever source you start from. Resolve a
name, a pasted Discogs / MusicBrainz / Bandcamp link or a <code>discogs:</code> / <code>mbid:</code> locator with
<code>GET /api/v2/resolve?q=</code>, keep the <code>cluster_id</code> verbatim, and read the dossier with
<code>GET /api/v2/artist/{{cluster_id}}</code>. Every facet says where it came from and how fresh it is; an
artist a source does not know is a 200 with an honest gap, never a 404.</p>
<h2>Route by route</h2>
<table><thead><tr><th>v1</th><th>v2</th><th>What to change</th></tr></thead><tbody>{rows}</tbody></table>
<h2>Unchanged</h2>
<p>The same <code>X-API-Key</code> works for both versions and counts against one rate limit. The error envelope
is the same. The v2 contract is at <a href="/api/v2/openapi.json">/api/v2/openapi.json</a>, the recipe at
<a href="/api/v2">/api/v2</a>.</p>
</body></html>"""
    return HTMLResponse(html)


def v1_routes(services: Services) -> list[Route]:
    return [
        *(Route(r.path, _endpoint(r, services), methods=["GET"], name=r.operation_id) for r in V1_ROUTES),
        Route(MIGRATION_PATH, migration_page, methods=["GET"], name="migrationV1toV2"),
    ]
