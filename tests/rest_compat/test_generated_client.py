"""A client generated from the served document by openapi-python-client resolves a name and reads
that artist's dossier from the live gateway; its typed models read the bodies back unchanged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from fleet.store import FleetStore

BIN = Path(sys.executable).parent

SCRIPT = """
import json, sys
from crate_client import AuthenticatedClient
from crate_client.api.dossiers import get_artist
from crate_client.api.v2 import resolve
from crate_client.models import Resolution, ArtistDossier, GetArtistFieldsItem

base, key, name = sys.argv[1:4]
client = AuthenticatedClient(base_url=base, token=key, auth_header_name="X-API-Key", prefix="")
found = resolve.sync_detailed(client=client, q=name)
assert isinstance(found.parsed, Resolution), found
fields = [GetArtistFieldsItem("identity"), GetArtistFieldsItem("discography")]
dossier = get_artist.sync_detailed(client=client, key=found.parsed.cluster_id, fields=fields)
assert isinstance(dossier.parsed, ArtistDossier), dossier
full = get_artist.sync_detailed(client=client, key=found.parsed.cluster_id)
print(json.dumps({
    "cluster_id": found.parsed.cluster_id,
    "resolve_roundtrip": found.parsed.to_dict() == json.loads(found.content),
    "name": dossier.parsed.identity.name,
    "discography_state": dossier.parsed.discography.state,
    "dossier_roundtrip": dossier.parsed.to_dict() == json.loads(dossier.content),
    "full_roundtrip": full.parsed.to_dict() == json.loads(full.content),
    "remaining": dossier.headers.get("x-ratelimit-remaining"),
}))
"""


@pytest.mark.http
def test_a_generated_client_resolves_and_reads_the_dossier(
    served_gateway: tuple[str, str], fleet_store: FleetStore, tmp_path: Path
) -> None:
    base, key = served_gateway
    (tmp_path / "openapi.json").write_bytes(httpx.get(base + "/api/v2/openapi.json").content)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}  # the generator runs ruff
    generated = subprocess.run(
        [
            BIN / "openapi-python-client",
            "generate",
            "--path",
            "openapi.json",
            "--meta",
            "none",
            "--output-path",
            "crate_client",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert "Warning" not in generated.stdout + generated.stderr, generated.stdout + generated.stderr

    artist = next(a for a in fleet_store.samples("artist", 40) if "discography" in a["facets"])
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, base, key, artist["name"]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result == {
        "cluster_id": artist["cluster_id"],
        "resolve_roundtrip": True,
        "name": artist["name"],
        "discography_state": "present",
        "dossier_roundtrip": True,
        "full_roundtrip": True,
        "remaining": result["remaining"],
    }
    assert int(result["remaining"]) >= 0
