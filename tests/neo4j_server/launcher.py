"""Start a private Neo4j 5.26 Community server for tests and benchmarks.

No Docker engine runs on our machines, so the server is Neo4j's own Java artifacts from Maven
Central (cached in ~/.m2) behind the few lines of ``TestServer.java``: Bolt on 127.0.0.1, a free
port, a random password, data in a temporary directory, gone when it stops. Readiness is polled
with ``RETURN 1``, never a fixed sleep.

    python -m tests.neo4j_server.launcher      # prints NEO4J_* exports, runs until Ctrl-C
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import neo4j

PROJECT = Path(__file__).resolve().parent
TARGET = PROJECT / "target"
CLASSPATH_FILE = TARGET / "classpath.txt"
MAIN_CLASS = "creditgraph.testserver.TestServer"
START_TIMEOUT_S = 240.0


class Neo4jStartError(RuntimeError):
    pass


@dataclass
class RunningServer:
    uri: str
    user: str
    password: str = field(repr=False)
    home: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    def env(self) -> dict[str, str]:
        return {
            "NEO4J_URI": self.uri,
            "NEO4J_USER": self.user,
            "NEO4J_PASSWORD": self.password,
            "NEO4J_DATABASE": "neo4j",
        }


def build() -> list[str]:
    """Compile the launcher and resolve Neo4j's jars (only when sources changed). Several
    test workers starting at once build one after the other (a lock in its target folder),
    and those after the first find the build done."""
    sources = [PROJECT / "pom.xml", *PROJECT.glob("src/**/*.java")]
    newest = max(p.stat().st_mtime for p in sources)
    TARGET.mkdir(parents=True, exist_ok=True)
    with open(TARGET / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _build_if_stale(newest)
    return [str(TARGET / "classes"), *CLASSPATH_FILE.read_text().strip().split(os.pathsep)]


def _build_if_stale(newest: float) -> None:
    if not CLASSPATH_FILE.exists() or CLASSPATH_FILE.stat().st_mtime < newest:
        mvn = shutil.which("mvn")
        if mvn is None:
            raise Neo4jStartError("Maven (mvn) is not installed; it fetches Neo4j for the tests")
        result = subprocess.run(
            [mvn, "-q", "-B", "-f", str(PROJECT / "pom.xml"), "compile",
             "dependency:build-classpath", f"-Dmdep.outputFile={CLASSPATH_FILE}"],
            capture_output=True, text=True, check=False,
        )
        if result.returncode != 0:
            raise Neo4jStartError("building the Neo4j test server failed:\n"
                                  + (result.stdout + result.stderr)[-4000:])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _java() -> str:
    home = os.environ.get("JAVA_HOME")
    java = Path(home, "bin", "java") if home else shutil.which("java")
    if not java:
        raise Neo4jStartError("Java 17 or 21 is needed to run Neo4j 5.26 and none was found")
    return str(java)


def import_database(files: Path, arguments: list[str]) -> Path:
    """Run ``neo4j-admin database import full`` (Neo4j's own AdminTool, from the same jars) on
    the CSV files in ``files`` into a new home; ``start(home=...)`` then serves it."""
    classpath = build()
    home = Path(tempfile.mkdtemp(prefix="creditgraph-neo4j-"))
    dbms = home / "neo4j"
    (dbms / "conf").mkdir(parents=True)
    (dbms / "conf" / "neo4j.conf").write_text("", encoding="utf-8")
    result = subprocess.run(
        [_java(), "-Xmx1g", "-cp", os.pathsep.join(classpath), "org.neo4j.cli.AdminTool",
         "database", "import", "full", "neo4j", "--overwrite-destination", *arguments],
        cwd=files, capture_output=True, text=True, check=False,
        env={**os.environ, "NEO4J_HOME": str(dbms), "NEO4J_CONF": str(dbms / "conf")},
    )
    if result.returncode != 0:
        shutil.rmtree(home, ignore_errors=True)
        raise Neo4jStartError("neo4j-admin import failed:\n" + (result.stdout + result.stderr)[-4000:])
    return home


def start(heap: str = "1g", pagecache: str = "256m", home: Path | None = None,
          port: int | None = None, password: str | None = None) -> RunningServer:
    """A server on ``home`` (new, or an earlier one's to restart it with its data), on ``port``
    (default: a free one) with ``password`` (default: a random one)."""
    classpath = build()
    home = home or Path(tempfile.mkdtemp(prefix="creditgraph-neo4j-"))
    password = password or secrets.token_urlsafe(18)
    port = port or _free_port()
    log = (home / "server.log").open("wb")
    process = subprocess.Popen(
        [_java(), f"-Xmx{heap}", "-XX:+UseG1GC", "-cp", os.pathsep.join(classpath), MAIN_CLASS,
         str(home / "neo4j"), str(port), pagecache],
        stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "NEO4J_TEST_PASSWORD": password},
    )
    server = RunningServer(f"bolt://127.0.0.1:{port}", "neo4j", password, home, process)
    try:
        _wait_ready(server)
    except BaseException:
        stop(server, keep_home=True)
        raise
    return server


def _wait_ready(server: RunningServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    last_error: Exception | None = None
    with neo4j.GraphDatabase.driver(
        server.uri, auth=(server.user, server.password), connection_timeout=2
    ) as driver:
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                raise Neo4jStartError(
                    f"Neo4j exited with code {server.process.returncode}; log:\n{_log_tail(server)}"
                )
            try:
                # An auto-commit query: the driver does not retry it behind our back.
                with driver.session() as session:
                    session.run("RETURN 1").consume()
                return
            except Exception as exc:  # not up yet: refused connection or auth not set
                last_error = exc
                time.sleep(0.25)
    raise Neo4jStartError(
        f"Neo4j did not answer RETURN 1 within {START_TIMEOUT_S:.0f} s ({last_error}); "
        f"log:\n{_log_tail(server)}"
    )


def _log_tail(server: RunningServer) -> str:
    log = server.home / "server.log"
    return log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)"


def stop(server: RunningServer, keep_home: bool = False) -> None:
    process = server.process
    if process.poll() is None:
        try:
            if process.stdin:
                process.stdin.close()  # the server shuts down cleanly when stdin closes
            process.wait(timeout=60)
        except (subprocess.TimeoutExpired, OSError):
            process.kill()
            process.wait()
    if not keep_home:
        shutil.rmtree(server.home, ignore_errors=True)


@contextmanager
def running(heap: str = "1g", pagecache: str = "256m",
            home: Path | None = None) -> Iterator[RunningServer]:
    server = start(heap=heap, pagecache=pagecache, home=home)
    try:
        yield server
    finally:
        stop(server)


def main() -> None:
    heap = os.environ.get("CREDITGRAPH_NEO4J_HEAP", "2g")
    pagecache = os.environ.get("CREDITGRAPH_NEO4J_PAGECACHE", "1g")
    with running(heap=heap, pagecache=pagecache) as server:
        for key, value in server.env().items():
            print(f"export {key}={value}", flush=True)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        with contextlib.suppress(KeyboardInterrupt):
            server.process.wait()


if __name__ == "__main__":
    main()
