"""Stopping ``creditgraph dashboard`` stops Streamlit too: nothing keeps serving the port.

A supervisor (systemd, Docker, a terminal's Ctrl-C, a test's ``terminate()``) signals the process
it started. If that process only waited on a Streamlit child, the child would live on, holding
the port, and the next start would fail. Each test starts the real command in its own session
and kills that whole process group in a ``finally``, so a failing test leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from creditgraph.access import audit

STOP_WITHIN = 15.0  # seconds from the signal until the port is free and no process remains
START_WITHIN = 90.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
            return bool(r.read() == b"ok")
    except OSError:
        return False


def processes_mentioning(port: int) -> list[tuple[int, str]]:
    """(pid, command line) of every live dashboard or Streamlit process with ``port`` among its
    arguments (read from /proc, so no extra dependency)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state == "Z":  # a zombie holds no port; its parent (this test) reaps it
            continue
        line = " ".join(args)
        if str(port) in args and ("streamlit" in line or "dashboard" in line):
            found.append((int(entry.name), line))
    return found


def environment_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().decode(errors="replace")
    return dict(item.split("=", 1) for item in raw.split("\0") if "=" in item)


@pytest.mark.embedded
@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_stopping_the_dashboard_frees_its_port(stop: signal.Signals, tmp_path: Path) -> None:
    """Run from another directory with relative settings: Streamlit gets absolute paths (the
    store, and the users, audit log and key files, set or defaulted), and one signal to the
    ``creditgraph`` process frees the port."""
    executable = Path(sys.executable).with_name("creditgraph")
    assert executable.exists(), "the creditgraph command is not installed (pip install -e .)"
    port = free_port()
    work = tmp_path / "work"
    work.mkdir()
    audit.init(work / "logs" / "audit.log")  # the log it is given, initialised as in production
    env = {k: v for k, v in os.environ.items()
           if k not in ("CREDITGRAPH_USERS", "CREDITGRAPH_ID_KEY_FILE", "CREDITGRAPH_AUDIT_LOG",
                        "CREDITGRAPH_AUDIT_KEY_FILE", "CREDITGRAPH_AUDIT_HEAD")}
    env.update({"CREDITGRAPH_DEMO": "1", "CREDITGRAPH_BACKEND": "embedded",
                "CREDITGRAPH_STORE": "store", "CREDITGRAPH_AUDIT_LOG": "logs/audit.log"})
    log = (tmp_path / "dashboard.log").open("wb")
    server = subprocess.Popen(
        [str(executable), "dashboard", "--port", str(port), "--address", "127.0.0.1"],
        cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + START_WITHIN
        while not healthy(port):
            assert server.poll() is None, (tmp_path / "dashboard.log").read_text()
            assert time.monotonic() < deadline, "the dashboard did not start"
            time.sleep(0.3)
        assert processes_mentioning(port)  # the scan sees the running server

        given = environment_of(server.pid)  # the Streamlit process is the creditgraph process
        assert given["CREDITGRAPH_STORE"] == str(work / "store")
        assert given["CREDITGRAPH_AUDIT_LOG"] == str(work / "logs" / "audit.log")
        assert given["CREDITGRAPH_USERS"] == str(work / "data" / "users.json")
        assert given["CREDITGRAPH_ID_KEY_FILE"] == str(work / "data" / "id.key")
        assert given["CREDITGRAPH_AUDIT_KEY_FILE"] == str(work / "data" / "audit.key")

        server.send_signal(stop)
        deadline = time.monotonic() + STOP_WITHIN
        while port_answers(port) or processes_mentioning(port):
            assert time.monotonic() < deadline, (
                f"{stop.name}: port {port} still served or held by {processes_mentioning(port)}")
            time.sleep(0.2)
        server.wait(timeout=STOP_WITHIN)
        with socket.socket() as sock:  # the next dashboard can bind the port right away
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Tornado does
            sock.bind(("127.0.0.1", port))
    finally:
        with contextlib.suppress(ProcessLookupError):  # the group is gone already
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
        log.close()
