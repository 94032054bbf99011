"""Neo4j going away: a load in progress when the server stops fails within a bounded time with
one clear line (no traceback) and leaves a state the next run completes; the dashboard says
"database unavailable" while the server is down and shows the graph again, by itself, once the
server is back. Uses a server of its own, stopped and restarted on the same data directory."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from creditgraph.graph.settings import Settings
from creditgraph.graph.store import open_store
from creditgraph.loaders.pipeline import load_directory
from creditgraph.loaders.spec import load_spec
from creditgraph.loaders.writers import StoreWriter
from creditgraph.seed.generator import generate
from tests.loaders.test_faults import fingerprint
from tests.neo4j_server import launcher
from tests.shared import ID_KEY, ROOT, SECRET

APP = str(ROOT / "dashboard" / "app.py")


@pytest.mark.neo4j
def test_neo4j_stopping_mid_load_then_returning(neo4j_schema_ready, tmp_path, monkeypatch):
    seed = tmp_path / "seed"
    generate(seed, 400, seed=9)
    reference = Settings.from_env({**neo4j_schema_ready, "CREDITGRAPH_BACKEND": "neo4j"})
    with open_store(reference) as store:
        store.wipe()
        load_directory(seed, StoreWriter(store), store.schema, load_spec(), SECRET,
                       tmp_path / "clean")
        clean = fingerprint(store)
        store.wipe()

    home = tmp_path / "own-neo4j"
    home.mkdir()
    server = launcher.start(home=home)
    port, password = int(server.uri.rsplit(":", 1)[1]), server.password
    try:
        env = {**os.environ, **server.env(), "CREDITGRAPH_BACKEND": "neo4j",
               "CREDITGRAPH_ID_KEY": ID_KEY}
        command = [str(Path(sys.executable).with_name("creditgraph")), "load", str(seed),
                   "--no-propagate", "--no-alerts"]
        loader = subprocess.Popen([*command, "--report-dir", str(tmp_path / "r1")],
                                  env={**env, "CREDITGRAPH_BATCH_SIZE": "10"},  # a long load
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        report = tmp_path / "r1" / "warnings.csv"
        deadline = time.monotonic() + 120
        while not report.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.0)  # writing now
        assert loader.poll() is None, "the load finished before the server could be stopped"
        launcher.stop(server, keep_home=True)
        started = time.monotonic()
        _, err = loader.communicate(timeout=180)
        assert loader.returncode == 2, err
        lines = [line for line in err.splitlines() if line.strip()]
        assert lines[-1].startswith("error:") and "Traceback" not in err
        assert time.monotonic() - started < 60  # one round of the driver's retries (30 s)

        # the dashboard while the server is down, then after it is back on the same address
        monkeypatch.setenv("CREDITGRAPH_BACKEND", "neo4j")
        monkeypatch.setenv("CREDITGRAPH_DEMO", "1")  # no users in this session's store
        for key, value in server.env().items():
            monkeypatch.setenv(key, value)
        app = AppTest.from_file(APP, default_timeout=60).run()
        assert not app.exception
        assert any("database unavailable" in e.value for e in app.error)
        server = launcher.start(home=home, port=port, password=password)
        app.run()
        assert not app.exception and not app.error
        assert "各区县主体数" in "\n".join(s.value for s in app.subheader)

        rerun = subprocess.run([*command, "--report-dir", str(tmp_path / "r2")], env=env,
                               capture_output=True, text=True, timeout=600)
        assert rerun.returncode == 0, rerun.stderr
        with open_store(Settings.from_env({**server.env(), "CREDITGRAPH_BACKEND": "neo4j"})
                        ) as store:
            assert fingerprint(store) == clean
    finally:
        launcher.stop(server)
