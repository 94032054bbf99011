"""The package works outside the checkout, and the Docker image is built from what it needs.

The development venv holds an editable install, which reads every data file straight from the
checkout; a file missing from the wheel only shows in a real install. So: build the wheel from a
copy of the working tree, install it (with its dependencies, from PyPI) into a fresh venv, and
use it as an operator would, from a directory that is not the checkout.

The Docker image cannot be built here (no Docker engine): its Dockerfile and compose file are
checked against pyproject instead.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.shared import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# Root entries of the working tree a wheel build never reads (and some are large).
NOT_COPIED = {".venv", ".git", "data", "build", "dist", "tests", "bench", ".pytest_cache",
              ".ruff_cache", ".ci", ".env"}
SAMPLE_ENTERPRISE = ("91330106143912349L", "杭州西湖龙井茶业有限公司")  # seed/sample/enterprises.csv


def top_level_packages() -> list[str]:
    """The folders pyproject installs as `creditgraph.<folder>` (`[tool.setuptools]
    package-dir`), top-level ones only."""
    folders = PYPROJECT["tool"]["setuptools"]["package-dir"].values()
    return sorted({folder for folder in folders if "/" not in folder})


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    seconds_build: float
    seconds_install: float

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def creditgraph(self) -> Path:
        return self.venv / "bin" / "creditgraph"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """The wheel of the current working tree, installed with its dependencies in a new venv."""
    root = tmp_path_factory.mktemp("packaging")

    def ignored(folder: str, names: list[str]) -> set[str]:
        top = Path(folder).resolve() == ROOT
        return {n for n in names if n == "__pycache__" or n.endswith(".egg-info")
                or (top and n in NOT_COPIED)}

    # Build from a copy: an in-place build would write build/ and egg-info into the checkout
    # other people are working in.
    shutil.copytree(ROOT, root / "src", ignore=ignored)
    start = time.perf_counter()
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir",
         str(root / "dist"), str(root / "src")], timeout=300)
    built = time.perf_counter() - start
    (wheel,) = (root / "dist").glob("creditgraph-*.whl")

    start = time.perf_counter()
    venv = root / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], timeout=120)
    # The dev venv's pip installs into the new venv (--python): no ensurepip, same resolver.
    run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
         "--quiet", str(wheel)], timeout=600)
    installed_in = time.perf_counter() - start
    print(f"\nwheel built in {built:.1f} s; venv with dependencies in {installed_in:.1f} s")
    return Installed(wheel, venv, built, installed_in)


def run(command: list[str], *, cwd: Path | None = None, env: Mapping[str, str] | None = None,
        timeout: float = 180) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)
    assert done.returncode == 0, f"{' '.join(command)}\n{done.stdout}\n{done.stderr}"
    return done


def outside_env(installed: Installed, work: Path) -> dict[str, str]:
    """An operator's environment: the new venv first on PATH, no setting of this session
    (store, logs, users, PYTHONPATH), the two secrets set, everything else under ``work``."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CREDITGRAPH_", "NEO4J_", "PYTHON", "VIRTUAL_ENV"))}
    env.update({
        "PATH": f"{installed.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        "CREDITGRAPH_ID_KEY": secrets.token_hex(32),
        "CREDITGRAPH_AUDIT_KEY": secrets.token_hex(32),
        "CREDITGRAPH_STORE": str(work / "store"),
        "COLUMNS": "200",
    })
    return env


@pytest.mark.packaging
@pytest.mark.embedded
@pytest.mark.timeout(900)
def test_the_installed_wheel_loads_and_queries_the_bundled_sample(installed: Installed,
                                                                   tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    env = outside_env(installed, work)

    found = json.loads(run([str(installed.python), "-c",
                            "import json, importlib.util\n"
                            "from creditgraph import cli, dashboard, graph, seed\n"
                            "print(json.dumps({'files': [m.__file__ for m in (cli, dashboard, "
                            "graph, seed)], 'top_level': [n for n in ('cli', 'dashboard', "
                            "'graph', 'seed', 'queries', 'loaders', 'api', 'alerts') "
                            "if importlib.util.find_spec(n)]}))"],
                           cwd=work, env=env).stdout)
    site = installed.venv / "lib"
    assert all(Path(f).is_relative_to(site) for f in found["files"]), found  # not the checkout
    assert found["top_level"] == [], found  # one installed name, creditgraph: none of PyPI's
    run([sys.executable, "-m", "pip", "--python", str(installed.python), "check"], env=env)

    cg = str(installed.creditgraph)
    run([cg, "audit", "init"], cwd=work, env=env)  # once, as docs/deployment.md says
    run([cg, "init"], cwd=work, env=env)
    sample = Path(run([cg, "sample-path"], cwd=work, env=env).stdout.strip())
    assert sample.is_relative_to(site) and (sample / "enterprises.csv").is_file(), sample
    run([cg, "load", str(sample)], cwd=work, env=env, timeout=300)
    status = json.loads(run([cg, "status", "--format", "json"], cwd=work, env=env).stdout)
    assert status["nodes"]["Enterprise"] > 0 and status["nodes"]["Person"] > 0, status
    assert sum(status["relationships"].values()) > 0, status
    uscc, name = SAMPLE_ENTERPRISE
    profile = json.loads(run([cg, "query", "profile", "--subject", uscc, "--format", "json"],
                             cwd=work, env=env).stdout)
    assert [row["name"] for row in profile["identity"]] == [name]
    assert profile["entries"], "the sample's black-list entries of this firm are missing"
    run([cg, "audit", "verify"], cwd=work, env=env)
    assert (work / "data" / "audit.log").is_file()  # the default is relative to the cwd


@pytest.mark.packaging
@pytest.mark.embedded
@pytest.mark.timeout(900)
def test_the_installed_dashboard_starts_from_the_wheel(installed: Installed,
                                                       tmp_path: Path) -> None:
    """`creditgraph dashboard` finds the app inside the installed package and stops on SIGTERM."""
    work = tmp_path / "work"
    work.mkdir()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = (tmp_path / "dashboard.log").open("wb")
    server = subprocess.Popen(
        [str(installed.creditgraph), "dashboard", "--port", str(port), "--address", "127.0.0.1"],
        cwd=work, env={**outside_env(installed, work), "CREDITGRAPH_DEMO": "1"},
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while not answers_health(port):
            assert server.poll() is None, (tmp_path / "dashboard.log").read_text()
            assert time.monotonic() < deadline, "the dashboard did not start"
            time.sleep(0.3)
        args = Path(f"/proc/{server.pid}/cmdline").read_bytes().decode().split("\0")
        app_file = Path(args[args.index("run") + 1])
        assert app_file.is_relative_to(installed.venv / "lib") and app_file.name == "app.py"
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=15)
        with socket.socket() as sock:
            assert sock.connect_ex(("127.0.0.1", port)) != 0, "the port is still served"
    finally:
        stop_group(server)
        log.close()


def answers_health(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
            return bool(r.read() == b"ok")
    except OSError:
        return False


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """Kill the whole session the test started, whatever state the test failed in."""
    with contextlib.suppress(ProcessLookupError):  # the group is gone already
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


@pytest.mark.packaging
@pytest.mark.timeout(900)
def test_every_file_of_the_packages_ships_in_the_wheel(installed: Installed) -> None:
    """Data files (.yaml, .cypher, .json, the sample .csv) are read at run time: each file of
    the packages in the checkout must be in the wheel."""
    shipped = set(zipfile.ZipFile(installed.wheel).namelist())
    wanted = {  # installed under creditgraph/: graph/x.py is creditgraph/graph/x.py
        "creditgraph/" + path.relative_to(ROOT).as_posix()
        for package in top_level_packages()
        for path in (ROOT / package).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }
    assert wanted - shipped == set()
    assert "creditgraph/seed/sample/enterprises.csv" in shipped
    assert "creditgraph/dashboard/app.py" in shipped
    outside = {name.split("/")[0] for name in shipped} - {"creditgraph"}
    assert all(name.endswith(".dist-info") for name in outside), outside  # no other top name


# -- the Docker image, without a Docker engine ----------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, comments dropped, continuations joined."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    found = []
    for line in joined.splitlines():
        if line.strip():
            word, _, rest = line.strip().partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def test_the_dockerfile_copies_every_package_and_runs_as_a_user() -> None:
    instructions = dockerfile_instructions()
    copied = set()
    for word, rest in instructions:
        if word == "COPY" and not rest.startswith("--from"):
            sources = [a for a in rest.split() if not a.startswith("--")][:-1]
            copied.update(s.rstrip("/") for s in sources)
    missing = [p for p in [*top_level_packages(), "pyproject.toml", "README.md"]
               if p not in copied]
    assert missing == [], f"the Dockerfile does not COPY {missing}"
    users = [rest for word, rest in instructions if word == "USER"]
    assert users, "the Dockerfile has no USER: the dashboard would run as root"
    assert users[-1].split(":")[0] not in ("root", "0")
    assert ("VOLUME", "/data") in instructions
    env = " ".join(rest for word, rest in instructions if word == "ENV")
    for name in ("CREDITGRAPH_STORE", "CREDITGRAPH_USERS", "CREDITGRAPH_AUDIT_LOG",
                 "CREDITGRAPH_ID_KEY_FILE", "CREDITGRAPH_AUDIT_KEY_FILE"):
        assert re.search(rf"\b{name}=/data/", env), f"{name} does not point into /data"
    command = next(rest for word, rest in reversed(instructions) if word == "CMD")
    assert "exec creditgraph dashboard" in command, "the shell would swallow docker stop's signal"
    assert "audit init" not in command, \
        "initialising the audit log at every start would hide a deleted log and head"


def test_compose_keeps_data_in_a_volume_and_secrets_in_env() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    dashboard = compose["services"]["dashboard"]
    named = [v.split(":")[0] for v in dashboard["volumes"] if v.split(":")[1] == "/data"]
    assert named and named[0] in compose["volumes"], dashboard["volumes"]
    for secret in ("CREDITGRAPH_ID_KEY", "CREDITGRAPH_AUDIT_KEY"):
        assert f"${{{secret}" in dashboard["environment"][secret]
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    given = {line.split("=")[0] for line in example.splitlines()
             if line and not line.startswith("#")}
    used = set(re.findall(r"\$\{(\w+):\?", (ROOT / "docker-compose.yml").read_text()))
    assert used <= given, f"docker-compose.yml requires {used - given}, .env.example lacks them"

