"""The dashboard served on this machine for a while, then stopped with its children: what the
real-browser test and docs/screenshots.py drive. It is `creditgraph dashboard` in a process
of its own (a new session, so the whole group is stopped), on a free port of 127.0.0.1."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def local_dashboard(store: Path, env: Mapping[str, str], wait: float = 90.0) -> Iterator[str]:
    """Serve the embedded ``store`` with ``env`` added to this process's environment; yields
    the base URL once the server answers its health check. Raises RuntimeError when it does
    not start within ``wait`` seconds."""
    port = free_port()
    command = [str(Path(sys.executable).with_name("creditgraph")), "--store", str(store),
               "dashboard", "--port", str(port), "--address", "127.0.0.1"]
    server = subprocess.Popen(command, env={**os.environ, **env}, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as answer:
                    if answer.read() == b"ok":
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the dashboard did not start on {url}")
            time.sleep(0.5)
        yield url
    finally:
        with suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)
