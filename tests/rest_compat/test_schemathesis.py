"""schemathesis fuzzes the live gateway (real uvicorn) from its own OpenAPI document, with every
check on: no 5xx, no status, header or body the document does not declare, invalid input refused,
valid input accepted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

ST = str(Path(sys.executable).with_name("st"))
CONFIG = Path(__file__).parents[1] / "schemathesis.toml"


@pytest.mark.http
@pytest.mark.timeout(600)
def test_schemathesis_finds_nothing(served_gateway: tuple[str, str], tmp_path: Path) -> None:
    base, key = served_gateway
    # A search's beacon token, so the beacon routes are fuzzed past authentication.
    search = httpx.get(base + "/api/v2/search", params={"q": "the"}, headers={"X-API-Key": key})
    token = search.json()["beacon"]["token"]
    # One worker: schemathesis' generators parse lambdas' source, and CPython 3.11's ast.parse is not
    # safe across threads ("AST constructor recursion depth mismatch").
    run = subprocess.run(
        [
            ST,
            "--config-file",
            str(CONFIG),
            "run",
            base + "/api/v2/openapi.json",
            "--header",
            f"X-API-Key: {key}",
            "--header",
            f"Authorization: Bearer {token}",
            "--checks",
            "all",
            "--max-examples",
            "25",
            "--seed",
            "20261204",
            "--workers",
            "1",
            "--phases",
            "examples,coverage,fuzzing,stateful",
            "--no-color",
            "--report",
            "junit",
            "--report-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=540,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-6000:]
    assert "17 selected / 17 total" in output and "Tested: 17" in output, output[-3000:]
    assert " 0 generated" not in output
