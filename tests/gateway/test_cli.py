"""`crate` commands, run as a user runs them."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import httpx
import orjson
import pytest

from fleet.generate import GENERATOR_VERSION
from tests.servers import CRATE, crate_process


def crate(*args: str, data_dir: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "CRATE_DATA_DIR": str(data_dir), **(env or {})}
    return subprocess.run([CRATE, *args], env=full_env, capture_output=True, text=True, timeout=120, check=False)


def test_keys_create_list_revoke(tmp_path: Path) -> None:
    first = crate("keys", "create", "--mode", "test", "--name", "first", "--if-none", data_dir=tmp_path)
    assert first.returncode == 0
    secret = first.stdout.split("keep it: ")[1].split()[0]
    assert secret.startswith("ck_test_") and len(secret) == 40
    again = crate("keys", "create", "--mode", "test", "--if-none", data_dir=tmp_path)
    assert "already exists" in again.stdout and "ck_test_" not in again.stdout
    live = orjson.loads(crate("keys", "create", "--mode", "live", "--json", data_dir=tmp_path).stdout)
    assert live["key"].startswith("ck_live_") and live["mode"] == "live"
    listed = orjson.loads(crate("keys", "list", "--json", data_dir=tmp_path).stdout)
    assert [k["mode"] for k in listed] == ["test", "live"]
    assert all(secret not in orjson.dumps(k).decode() for k in listed)
    assert listed[0]["hint"] == secret[:12] + "…"
    revoked = crate("keys", "revoke", listed[0]["id"], data_dir=tmp_path)
    assert revoked.returncode == 0 and revoked.stdout == f"revoked {listed[0]['id']}\n"
    assert crate("keys", "revoke", listed[0]["id"], data_dir=tmp_path).returncode == 1


def test_fleet_generate_if_missing_and_sample(tmp_path: Path) -> None:
    made = crate("fleet", "generate", "--artists", "300", "--quiet", data_dir=tmp_path)
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("fleet: 300 artists, ")
    skipped = crate("fleet", "generate", "--if-missing", data_dir=tmp_path)
    assert skipped.stdout == f"fleet data present at {tmp_path / 'fleet.db'}\n"
    artists = orjson.loads(
        crate("fleet", "sample", "--grain", "artist", "--limit", "3", "--json", data_dir=tmp_path).stdout
    )
    assert [a["name"] for a in artists] == ["The Chemical Brothers", "Björk", "Sigur Rós"]
    labels = orjson.loads(
        crate("fleet", "sample", "--grain", "label", "--limit", "2", "--json", data_dir=tmp_path).stdout
    )
    assert set(labels[1]) == {"name", "label_id", "slug", "parent"} and labels[1]["parent"] == labels[0]["name"]
    festivals = orjson.loads(
        crate("fleet", "sample", "--grain", "festival", "--limit", "1", "--json", data_dir=tmp_path).stdout
    )
    assert set(festivals[0]) == {"name", "festival_id", "slug", "fragments"}


def test_generation_shows_a_progress_bar(tmp_path: Path) -> None:
    made = crate("fleet", "generate", "--artists", "2000", data_dir=tmp_path)
    assert "generating fleet" in made.stderr and "2000/2000" in made.stderr


def test_an_outdated_fleet_file_is_regenerated_if_missing_and_refused_by_serve(tmp_path: Path) -> None:
    import sqlite3

    assert crate("fleet", "generate", "--artists", "100", "--quiet", data_dir=tmp_path).returncode == 0
    db = sqlite3.connect(tmp_path / "fleet.db")
    db.execute("UPDATE meta SET value = '1' WHERE name = 'generator_version'")
    db.commit()
    db.close()
    refused = crate("serve", data_dir=tmp_path)
    assert refused.returncode == 1
    assert f"was written by generator v1, this crate needs v{GENERATOR_VERSION}" in refused.stderr
    again = crate("fleet", "generate", "--if-missing", "--quiet", data_dir=tmp_path)
    assert again.stdout.startswith(f"fleet data at {tmp_path / 'fleet.db'} was written by generator v1; regenerating")


def test_bad_settings_exit_2_with_the_variable_named(tmp_path: Path) -> None:
    result = crate("keys", "list", data_dir=tmp_path, env={"CRATE_PORT": "eighty"})
    assert result.returncode == 2
    assert result.stderr.startswith("crate: invalid settings: CRATE_PORT:")


def test_serve_without_a_fleet_says_what_to_do(tmp_path: Path) -> None:
    result = crate("serve", data_dir=tmp_path)
    assert result.returncode == 1
    assert "run `crate fleet generate` first" in result.stderr


@pytest.mark.http
def test_serve_over_real_http_against_a_served_fleet(tmp_path: Path, served_fleet: str) -> None:
    secret = orjson.loads(crate("keys", "create", "--json", data_dir=tmp_path).stdout)["key"]
    env = {"CRATE_DATA_DIR": str(tmp_path), "CRATE_FLEET_URL": served_fleet}
    with crate_process(["serve"], env=env) as base:
        root = httpx.get(base + "/api/v2")
        assert root.status_code == 200 and root.json()["recipe"][0]["step"] == 1
        assert httpx.get(base + "/api/v2/nowhere").json()["error"]["code"] == "missing_api_key"
        found = httpx.get(base + "/api/v2/nowhere", headers={"X-API-Key": secret})
        assert found.status_code == 404 and found.json()["error"]["code"] == "not_found"
        big = httpx.post(base + "/api/v2/x", content=b"x" * 70_000, headers={"X-API-Key": secret})
        assert big.status_code == 413 and big.json()["error"]["code"] == "payload_too_large"


def test_snapshots_publish_and_if_missing(tmp_path: Path) -> None:
    assert crate("fleet", "generate", "--artists", "300", "--quiet", data_dir=tmp_path).returncode == 0
    first = crate("snapshots", "publish", "--if-missing", data_dir=tmp_path)
    assert first.returncode == 0 and first.stdout.startswith(f"snapshots published in {tmp_path / 'snapshots'}: ")
    again = crate("snapshots", "publish", "--if-missing", data_dir=tmp_path)
    assert again.stdout == f"snapshots present in {tmp_path / 'snapshots'}\n"
