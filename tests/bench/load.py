"""HTTP load with wrk (Debian's package) against a real gateway, rotating over a list of paths."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

_SCRIPT = """
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = line end
local key = os.getenv("WRK_KEY")
local body = nil
if os.getenv("WRK_BODY") ~= "" then
  local f = io.open(os.getenv("WRK_BODY"), "rb"); body = f:read("*a"); f:close()
end
local i = 0
request = function()
  i = i % #paths + 1
  if body then
    return wrk.format("POST", paths[i], {["X-API-Key"] = key, ["Content-Type"] = "application/json"}, body)
  end
  return wrk.format("GET", paths[i], {["X-API-Key"] = key})
end
"""


@dataclass(frozen=True)
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(
    base: str, paths: list[str], key: str, seconds: int = 8, connections: int = 16, body: Path | None = None
) -> Load:
    """GET each path in turn (or POST `body` to each) for `seconds`; a 2-second pass warms up first."""
    if seconds > 2:
        wrk(base, paths, key, seconds=2, connections=connections, body=body)
    with tempfile.TemporaryDirectory() as tmp:
        script, listing = Path(tmp) / "rotate.lua", Path(tmp) / "paths.txt"
        script.write_text(_SCRIPT)
        listing.write_text("\n".join(paths) + "\n")
        env = {**os.environ, "WRK_PATHS": str(listing), "WRK_KEY": key, "WRK_BODY": str(body or "")}
        out = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), base],
            env=env, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = int(bad.group(1)) if bad else 0
    return Load(rps, p50, p99, total, errors)
