"""Real servers for tests and benchmarks: `crate` subprocesses on free loopback ports."""

from __future__ import annotations

import os
import shutil
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


class RedisServer:
    """A throwaway `redis-server` on a free port, no persistence; it can be stopped and started again
    on the same port to play an outage."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed (`make test` installs it)")
        self._proc = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            if self._proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not come up on port {self.port}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self._proc is not None:
            self._proc.terminate()
            self._proc.wait(timeout=10)
            self._proc = None


@contextmanager
def redis_process() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
