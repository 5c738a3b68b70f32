"""Real servers for tests and benchmarks: `crate` subprocesses on free loopback ports."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

CRATE = str(Path(sys.executable).with_name("crate"))
UNLIMITED = "1000000000/60"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def crate_process(args: list[str], env: Mapping[str, str], ready_path: str = "/healthz") -> Iterator[str]:
    """Run `crate <args> --port P`, wait until it answers, yield its base URL, then stop it."""
    port = free_port()
    # Tests and benchmarks drive one key hard; only the rate-limit tests ask for a real limit.
    full_env = {**os.environ, "CRATE_RATE_LIMIT_TEST": UNLIMITED, **env}
    # Output goes to a file, not a pipe: nobody reads a pipe while the server runs, and a full one
    # (64 KiB of access log) would block the server mid-request.
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [CRATE, *args, "--host", "127.0.0.1", "--port", str(port)], env=full_env, stdout=log, stderr=log
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                if proc.poll() is not None:
                    log.seek(0)
                    output = log.read().decode(errors="replace")
                    raise RuntimeError(f"crate {' '.join(args)} exited {proc.returncode}: {output}")
                try:
                    if httpx.get(base + ready_path, timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"crate {' '.join(args)} did not come up")
                time.sleep(0.1)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
