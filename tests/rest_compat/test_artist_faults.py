"""One failing producer degrades its own facets and nothing else, over real HTTP, for every producer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from gateway.app import create_app
from gateway.settings import Settings
from producers.catalog import PRODUCERS
from resolvers.identity_norm import cluster_id
from schema.registry import ARTIST_FACETS
from tests.conftest import running
from tests.servers import crate_process

pytestmark = [pytest.mark.http, pytest.mark.fault]


@pytest.fixture(scope="module")
def failing_fleet(fleet_db: Path) -> Iterator[str]:
    every = ",".join(spec.name for spec in PRODUCERS)
    with crate_process(["fleet", "serve", "--db", str(fleet_db)], env={"CRATE_FLEET_FAIL": every}) as base:
        yield base


@pytest.mark.parametrize("producer", [spec.name for spec in PRODUCERS])
async def test_a_failing_producer_degrades_only_its_facets(
    make_settings: Callable[..., Settings], served_fleet: str, failing_fleet: str, producer: str
) -> None:
    settings = make_settings(fleet_url=served_fleet, producer_urls={producer: f"{failing_fleet}/{producer}"})
    app = create_app(settings)
    async with running(app) as client:
        key = app.state.services.keys.create("test")[1]
        response = await client.get("/api/v2/artist/chemical-brothers", headers={"X-API-Key": key})
    assert response.status_code == 200
    body = response.json()
    degraded = {spec.name for spec in ARTIST_FACETS if body[spec.name]["state"] == "degraded"}
    assert degraded == {spec.name for spec in ARTIST_FACETS if spec.producer == producer}
    for name in degraded:
        assert body[name]["reason"] == f"{producer} http error"
    if producer == "identity-graph":
        # Identity is the object or null; unable to read it, crate says null rather than guess. The
        # cluster id is still the slug's (pe-norm-v1 is pure), unverified: resolved_via null.
        assert (body["identity"], body["cluster_id"], body["resolved_via"]) == (
            None,
            cluster_id("chemical-brothers"),
            None,
        )
        assert body["collector"]["state"] == "present"  # the rest still answer for the key's cluster
    else:
        assert body["identity"]["name"] == "The Chemical Brothers"
