"""`GET /cube?artist=<key>[&master=<id>]`: the cube explorer that search's `link_to_cube` opens.

A page for people: the artist's release groups in the eight quadrants, and for one release group
its three counts against the thresholds, drawn in inline SVG — no script, no outside asset, so it
works offline. Its data is a GraphQL selection executed through the schema, like every route.
"""

from __future__ import annotations

from html import escape
from typing import Any

import strawberry
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from gateway.errors import ApiError, request_id_of
from gateway.services import Services
from resolvers.artist import address_artist
from resolvers.cube import CUBE_LABELS, THRESHOLDS
from resolvers.errors import ClientInputError
from rest_compat.table import GraphQLCall, client_error, execute, single_param, whole_number

__all__ = ["cube_route"]

DOCUMENT = """
query Cube($key: String!) {
  artist(key: $key) {
    identity { name }
    discography { state reason data { total releaseGroups {
      discogsMasterId title year cubeQuadrant ownerCount djCount criticCount } } }
  }
}
"""
# Strongest signal first; the empty quadrant last.
_ORDER = ("111", "110", "101", "011", "100", "010", "001", "000")
_AXES = (
    ("ownerCount", "owner_count", "collectors (owners)"),
    ("djCount", "dj_count", "DJ plays"),
    ("criticCount", "critic_count", "critic reviews"),
)
_STYLE = """
body{font:15px/1.4 system-ui,sans-serif;margin:2rem;color:#222;max-width:70rem}
h1{font-size:1.5rem;margin:0 0 .2rem} .muted{color:#666}
.grid{display:grid;grid-template-columns:repeat(4,1fr);gap:.6rem;margin-top:1rem}
.q{border:1px solid #ccc;border-radius:6px;padding:.5rem;min-height:6rem;background:#fafafa}
.q h3{margin:0 0 .3rem;font-size:.95rem} .q ul{margin:0;padding-left:1.1rem;font-size:.85rem}
.sel{background:#fff3c4;font-weight:600} .focus{border:2px solid #d49b00;border-radius:8px;padding:1rem;margin:1rem 0}
"""


def _bars(group: dict[str, Any]) -> str:
    rows = []
    for n, (field, threshold_key, label) in enumerate(_AXES):
        value, threshold = group[field], THRESHOLDS[threshold_key]
        scale = max(threshold * 4, value or 0, 1)
        width = 0 if value is None else 400 * value / scale
        mark = 400 * threshold / scale
        y = 10 + n * 40
        met = value is not None and value >= threshold
        shown = "unknown" if value is None else str(value)
        rows.append(
            f'<text x="0" y="{y + 14}">{escape(label)}</text>'
            f'<rect x="170" y="{y}" width="{width:.1f}" height="20" fill="{"#2e7d32" if met else "#9e9e9e"}"/>'
            f'<line x1="{170 + mark:.1f}" x2="{170 + mark:.1f}" y1="{y - 4}" y2="{y + 24}" stroke="#c62828" '
            f'stroke-width="2"/><text x="{580}" y="{y + 14}">{shown} (threshold {threshold})</text>'
        )
    return f'<svg role="img" aria-label="cube axes" width="760" height="130" font-size="13">{"".join(rows)}</svg>'


def render(name: str, key: str, groups: list[dict[str, Any]], total: int, master: int | None) -> str:
    by_quadrant: dict[str | None, list[dict[str, Any]]] = {}
    for group in groups:
        by_quadrant.setdefault(group["cubeQuadrant"], []).append(group)
    focus = next((g for g in groups if g["discogsMasterId"] == master), None)
    parts = [
        f"<h1>{escape(name)} on the cube</h1>",
        f'<p class="muted">{total} release groups placed by who owns them (collectors ≥ {THRESHOLDS["owner_count"]}), '
        f"who plays them (DJs ≥ {THRESHOLDS['dj_count']}) and who writes about them (critics ≥ "
        f"{THRESHOLDS['critic_count']}).</p>",
    ]
    if focus is not None:
        quadrant = focus["cubeQuadrant"]
        label = CUBE_LABELS.get(quadrant or "", "unclassified: no counts known")
        parts.append(
            f'<section class="focus" id="master-{focus["discogsMasterId"]}"><h2>{escape(focus["title"])}'
            f' <span class="muted">({focus["year"] or "year unknown"})</span></h2>'
            f"<p>Quadrant <b>{quadrant or '—'}</b>: {escape(label)}</p>{_bars(focus)}</section>"
        )
    elif master is not None:
        parts.append(f'<p class="focus">Release group {master} is not in this discography.</p>')
    cells = []
    for quadrant in (*_ORDER, None):
        members = by_quadrant.get(quadrant, [])
        if quadrant is None and not members:
            continue
        title = f"{quadrant} · {CUBE_LABELS[quadrant]}" if quadrant else "unclassified"
        items = "".join(
            f'<li class="{"sel" if g["discogsMasterId"] == master else ""}">{escape(g["title"])} '
            f'<span class="muted">{g["year"] or ""}</span></li>'
            for g in members[:15]
        )
        more = f'<li class="muted">and {len(members) - 15} more</li>' if len(members) > 15 else ""
        cells.append(
            f'<div class="q"><h3>{escape(title)} <span class="muted">({len(members)})</span></h3>'
            f"<ul>{items}{more}</ul></div>"
        )
    parts.append(f'<div class="grid">{"".join(cells)}</div>')
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(name)} · crate cube</title>'
        f'<style>{_STYLE}</style></head><body data-artist="{escape(key)}">{"".join(parts)}</body></html>'
    )


def cube_route(schema: strawberry.Schema, services: Services) -> Route:
    async def cube(request: Request) -> Response:
        key = str(single_param(request, "artist", required=True))
        raw_master = single_param(request, "master")
        master = None if raw_master is None else whole_number(raw_master)
        if raw_master is not None and master is None:
            raise ApiError(
                400,
                "invalid_request",
                "master is a Discogs master id (digits)",
                details=[{"path": "master", "message": "not a number", "code": "invalid"}],
            )
        try:
            address_artist(key)
        except ClientInputError as exc:
            raise client_error(exc) from None
        context = services.context(request_id_of(request.scope), None)
        data = (await execute(schema, GraphQLCall(DOCUMENT, {"key": key}), context, "cube"))["artist"]
        facet = data["discography"]
        name = (data["identity"] or {}).get("name") or key
        if facet["data"] is None:
            body = (
                f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>crate cube</title></head>'
                f"<body><h1>{escape(name)}</h1><p>No release groups to place: {escape(facet['reason'] or '')}"
                f" ({escape(facet['state'].lower())}).</p></body></html>"
            )
            return HTMLResponse(body)
        groups = facet["data"]["releaseGroups"]
        return HTMLResponse(render(name, key, groups, facet["data"]["total"], master))

    return Route("/cube", cube, methods=["GET"])
