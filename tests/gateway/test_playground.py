"""GraphiQL works in a real browser with no internet: assets served by the gateway, key in headers."""

from __future__ import annotations

import json
from urllib.parse import quote

import httpx
import pytest

from fleet.store import FleetStore
from gateway.graphql import ASSET_FILES
from tests.browser import offline_page

pytestmark = pytest.mark.http


def test_the_playground_page_and_its_assets_are_public_and_local(served_gateway: tuple[str, str]) -> None:
    base, _key = served_gateway
    page = httpx.get(base + "/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "<title>crate · GraphiQL</title>" in page.text
    assert "unpkg.com" not in page.text
    for asset in ASSET_FILES:
        assert f'"/static/graphiql/{asset}"' in page.text
        assert httpx.get(f"{base}/static/graphiql/{asset}").status_code == 200
    # The page is public; operations are not.
    assert httpx.post(base + "/graphql", json={"query": "{ __typename }"}).status_code == 401
    assert httpx.get(base + "/graphql", params={"query": "{ __typename }"}).status_code == 401


def test_a_resolve_query_runs_in_headless_chromium_offline(
    served_gateway: tuple[str, str], fleet_store: FleetStore
) -> None:
    base, key = served_gateway
    artist = fleet_store.samples("artist", 2)[1]
    query = f'{{ resolve(q: "{artist["name"]}") {{ clusterId resolvedVia }} }}'
    url = f"{base}/graphql?q={quote(query)}&headers={quote(json.dumps({'X-API-Key': key}))}"
    with offline_page(url) as (page, blocked):
        page.locator(".graphiql-execute-button").click()
        result = page.locator(".result-window")
        result.get_by_text(artist["cluster_id"]).wait_for(timeout=20_000)
        text = result.inner_text()
    assert f'"clusterId": "{artist["cluster_id"]}"' in text
    assert '"resolvedVia": "DISCOGS"' in text
    assert blocked == []  # everything the page needed came from the gateway


async def test_without_its_assets_the_playground_says_how_to_get_them(make_settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from gateway.app import create_app
    from tests.conftest import running

    async with running(create_app(make_settings(graphiql_assets=tmp_path / "none"))) as client:
        page = await client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 503
    assert "run <code>make assets</code>" in page.text
