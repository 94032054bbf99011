"""Test fixtures. Which to use for what:

- ``store``: a fresh, initialised, empty store — once per backend (``embedded`` and ``neo4j``,
  one parametrized fixture). Every query and loader test takes this one, so it runs on both.
- ``neo4j_env``: the NEO4J_* settings of the real server the session uses. Unless NEO4J_URI is
  set, a private Neo4j 5.26 is started for the session (tests/neo4j_server) and stopped after.
  If it cannot start, the neo4j tests error out: they are never skipped.
- ``embedded_settings``: settings for a new embedded store in the test's own temp directory.
- ``run_cli``: runs the installed ``creditgraph`` command in a subprocess, as a user would.
- ``fresh_audit_log``: a new, initialised audit log of the test's own (the session has one too).

Against a server you point us at (NEO4J_URI set), the suite refuses to touch a database that
already holds data unless CREDITGRAPH_TEST_RESET=1: the tests wipe it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from creditgraph.access import audit
from creditgraph.graph.settings import Settings
from creditgraph.graph.store import GraphStore, open_store


def pytest_configure(config: pytest.Config) -> None:
    """A Neo4j of your own (``NEO4J_URI``) is one database: several workers (pytest-xdist
    ``-n``) would wipe each other's data, so the run is refused before any starts."""
    workers = config.getoption("numprocesses", default=None)
    if os.environ.get("NEO4J_URI") and workers not in (None, 0, 1):
        raise pytest.UsageError(f"NEO4J_URI names one database for every worker (-n {workers})"
                                ": run the suite in one process against a Neo4j of your own")


@pytest.fixture(scope="session", autouse=True)
def private_logs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The audit log, its key and the dashboard's user store of the session live in its temp
    directory (the CLI subprocesses inherit them), never in the working tree's data/.

    CREDITGRAPH_AUDIT_HEAD is cleared rather than set: the head then defaults to `<log>.head`,
    beside whichever log a test points CREDITGRAPH_AUDIT_LOG at. One head shared by several
    logs would (rightly) make every log but one look cut or deleted. The log is initialised:
    appends refuse an uninitialised one (access/audit.py)."""
    root = tmp_path_factory.mktemp("private")
    keys = ("CREDITGRAPH_AUDIT_LOG", "CREDITGRAPH_USERS", "CREDITGRAPH_AUDIT_KEY",
            "CREDITGRAPH_AUDIT_KEY_FILE", "CREDITGRAPH_AUDIT_HEAD")
    saved = {k: os.environ.get(k) for k in keys}
    os.environ["CREDITGRAPH_AUDIT_LOG"] = str(root / "audit.log")
    os.environ["CREDITGRAPH_USERS"] = str(root / "users.json")
    os.environ["CREDITGRAPH_AUDIT_KEY"] = secrets.token_hex(32)
    os.environ["CREDITGRAPH_AUDIT_KEY_FILE"] = str(root / "audit.key")  # absent: no data/ key
    os.environ.pop("CREDITGRAPH_AUDIT_HEAD", None)
    audit.init()  # as `creditgraph audit init` does once for a real log
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def fresh_audit_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A new, initialised audit log of the test's own, `<tmp_path>/audit.log` (its head beside
    it): set in CREDITGRAPH_AUDIT_LOG for the test and the CLI runs it starts, and initialised
    because appends refuse a log nobody initialised."""
    path = tmp_path / "audit.log"
    monkeypatch.setenv("CREDITGRAPH_AUDIT_LOG", str(path))
    monkeypatch.delenv("CREDITGRAPH_AUDIT_HEAD", raising=False)
    audit.init()
    return path


@pytest.fixture(scope="session", autouse=True)
def no_process_left_behind() -> Iterator[None]:
    """Every process the session starts (dashboards, servers, CLI runs) carries a token in its
    environment; any still alive once the session's own fixtures have stopped is killed and
    reported as an error, so a leak cannot pass unnoticed. Requested first, torn down last."""
    token = secrets.token_hex(8)
    os.environ["CREDITGRAPH_TEST_SESSION"] = token
    yield
    os.environ.pop("CREDITGRAPH_TEST_SESSION", None)
    left = _processes_carrying(f"CREDITGRAPH_TEST_SESSION={token}")
    for pid, _ in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    assert not left, f"the test session left processes running: {left}"


def _processes_carrying(marker: str) -> list[tuple[int, str]]:
    found = []
    needle = marker.encode() + b"\0"
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle in (entry / "environ").read_bytes():
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                found.append((int(entry.name), command.strip()[:200]))
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found


BACKENDS = [
    pytest.param("embedded", marks=pytest.mark.embedded, id="embedded"),
    pytest.param("neo4j", marks=pytest.mark.neo4j, id="neo4j"),
]


@pytest.fixture(scope="session")
def neo4j_env() -> Iterator[dict[str, str]]:
    if os.environ.get("NEO4J_URI"):
        env = {k: os.environ[k] for k in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD",
                                          "NEO4J_DATABASE") if k in os.environ}
        _refuse_if_in_use(env)
        yield env
        return
    from tests.neo4j_server import launcher

    with launcher.running() as server:
        yield server.env()


def _refuse_if_in_use(env: Mapping[str, str]) -> None:
    with _neo4j_store(env) as store:
        used = store.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
    if used and os.environ.get("CREDITGRAPH_TEST_RESET") != "1":
        pytest.exit(
            f"{env['NEO4J_URI']} holds {used} nodes; the tests would wipe them. "
            "Point NEO4J_URI at a scratch database or set CREDITGRAPH_TEST_RESET=1.",
            returncode=3,
        )


def _neo4j_store(env: Mapping[str, str]) -> GraphStore:
    return open_store(Settings.from_env({**env, "CREDITGRAPH_BACKEND": "neo4j"}))


@pytest.fixture(scope="session")
def neo4j_schema_ready(neo4j_env: dict[str, str]) -> dict[str, str]:
    with _neo4j_store(neo4j_env) as store:
        store.init_schema()
    return neo4j_env


@pytest.fixture(scope="module")
def seed_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The module's synthetic data set, made once per module: its ``SEED`` gives generate()'s
    arguments (enterprises, seed, ...). The planted cases: ``tests.shared.planted_cases``."""
    spec = getattr(request.module, "SEED", None)
    if spec is None:
        raise pytest.UsageError(f"{request.module.__name__} asks for seed_dir without SEED")
    from creditgraph.seed.generator import generate

    out = tmp_path_factory.mktemp("seed-" + request.module.__name__.rsplit(".", 1)[-1])
    generate(out, **spec)
    return out


@pytest.fixture
def embedded_settings(tmp_path: Path) -> Settings:
    return Settings(backend="embedded", store_path=tmp_path / "store")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    if backend == "neo4j":
        env = request.getfixturevalue("neo4j_schema_ready")
        opened = _neo4j_store(env)
        opened.wipe()
    else:
        opened = open_store(Settings(backend="embedded", store_path=tmp_path / "store"))
        opened.init_schema()
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def backend_env(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """Environment for a CLI subprocess using the test's backend (store initialised, empty)."""
    if backend == "neo4j":
        env = request.getfixturevalue("neo4j_schema_ready")
        with _neo4j_store(env) as opened:
            opened.wipe()
        return {**env, "CREDITGRAPH_BACKEND": "neo4j"}
    return {"CREDITGRAPH_BACKEND": "embedded", "CREDITGRAPH_STORE": str(tmp_path / "cli-store")}


CLI_ENV_KEYS = ("CREDITGRAPH_BACKEND", "CREDITGRAPH_STORE", "NEO4J_URI", "NEO4J_USER",
                "NEO4J_PASSWORD", "NEO4J_DATABASE")


@pytest.fixture
def run_cli(tmp_path: Path):  # type: ignore[no-untyped-def]
    beside = Path(sys.executable).with_name("creditgraph")  # the venv the tests run in
    executable = str(beside) if beside.exists() else shutil.which("creditgraph")
    assert executable, "the creditgraph command is not installed (pip install -e .)"

    def run(*args: str, env: Mapping[str, str] | None = None,
            input_text: str | None = None) -> subprocess.CompletedProcess[str]:
        clean = {k: v for k, v in os.environ.items() if k not in CLI_ENV_KEYS}
        clean.setdefault("CREDITGRAPH_STORE", str(tmp_path / "default-store"))
        return subprocess.run(
            [executable, *args], env={**clean, "COLUMNS": "200", **(env or {})},
            capture_output=True, text=True, timeout=120, check=False, input=input_text,
        )

    return run


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many tests ran against each real backend."""
    counts: dict[str, dict[str, int]] = {"embedded": {}, "neo4j": {}}
    for outcome in ("passed", "failed", "error", "skipped"):
        for report in terminalreporter.stats.get(outcome, []):
            if getattr(report, "when", "call") != "call" and outcome == "passed":
                continue
            for name, tally in counts.items():
                if name in getattr(report, "keywords", {}):
                    tally[outcome] = tally.get(outcome, 0) + 1
    terminalreporter.section("tests by backend")
    for name, tally in counts.items():
        parts = ", ".join(
            f"{tally.get(k, 0)} {k}" for k in ("passed", "failed", "error", "skipped")
        )
        terminalreporter.write_line(f"against {name} backend — {parts}")


def load_seed(store: GraphStore, directory: Path, report_dir: Path, secret: bytes,
              propagate_on: dt.date | None = None) -> GraphStore:
    """Load a seed (or any input) directory into the test's store, propagating on a date when
    given: what the publication tests start from."""
    from creditgraph.loaders.pipeline import load_directory
    from creditgraph.loaders.spec import load_spec
    from creditgraph.loaders.writers import StoreWriter
    from creditgraph.propagation.rules import load_rules
    from creditgraph.propagation.service import propagate

    load_directory(directory, StoreWriter(store), store.schema, load_spec(), secret, report_dir)
    if propagate_on is not None:
        propagate(store, load_rules(), propagate_on)
    return store


@pytest.fixture
def users(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_audit_log: Path) -> Path:
    """A user store with one user of each role (password: NAME-password-123)."""
    from creditgraph.access.users import add_user

    path = tmp_path / "users.json"
    monkeypatch.setenv("CREDITGRAPH_USERS", str(path))
    for name, role in (("viewer1", "viewer"), ("inv1", "investigator"), ("sup1", "supervisor"),
                       ("admin1", "admin")):
        add_user(name, role, f"{name}-password-123")
    return path
