"""The embedded store shared between processes (graph/backends/access_lock.py): readers — the
API, the dashboard, read commands — run side by side; a load while they read waits, then is
refused with one line and writes nothing; a reader while a load writes is refused the same way;
nothing is torn or crashed. Embedded only: Neo4j serves concurrent sessions itself."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from creditgraph.graph.errors import StoreError, StoreUnavailableError
from creditgraph.graph.settings import Settings
from creditgraph.graph.shared_reader import SharedReader
from creditgraph.graph.store import open_store
from tests.shared import ID_KEY

CLI = str(Path(sys.executable).with_name("creditgraph"))
USCC = "91330100799655058B"
OTHER = "91330100799655060K"
HOLD = """
import sys, time
from creditgraph.graph.settings import Settings
from creditgraph.graph.shared_reader import SharedReader
from creditgraph.graph.store import open_store
store = open_store(Settings(backend="embedded", store_path=sys.argv[1]),
                   read_only=sys.argv[2] == "read")
print("held", flush=True)
time.sleep(float(sys.argv[3]))
store.close()
"""


def hold(path: Path, mode: str, seconds: float) -> subprocess.Popen[str]:
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path), mode, str(seconds)],
                              stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[1])
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


@pytest.fixture
def path(tmp_path: Path) -> Path:
    where = tmp_path / "store"
    with open_store(Settings(backend="embedded", store_path=where)) as store:
        store.init_schema()
        store.merge_nodes("Enterprise", [{"uscc": USCC, "name": "杭州甲"}])
    return where


@pytest.fixture
def short_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREDITGRAPH_STORE_WAIT", "1")


def names(path: Path) -> list[str]:
    with open_store(Settings(backend="embedded", store_path=path), read_only=True) as store:
        return [r["name"] for r in store.read("MATCH (e:Enterprise) RETURN e.name AS name")]


def test_readers_in_several_processes_read_side_by_side(path, short_wait):
    holder = hold(path, "read", 5)
    try:
        assert names(path) == ["杭州甲"]  # while another process reads
        with open_store(Settings(backend="embedded", store_path=path), read_only=True) as a, \
                open_store(Settings(backend="embedded", store_path=path), read_only=True) as b:
            assert a.node_counts()["Enterprise"] == b.node_counts()["Enterprise"] == 1
    finally:
        holder.kill()
        holder.wait()


def test_a_load_while_others_read_is_refused_in_one_line_and_writes_nothing(path, tmp_path,
                                                                            short_wait):
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "enterprises.csv").write_text(f"uscc,name\n{USCC},杭州乙\n", encoding="utf-8")
    env = {**os.environ, "CREDITGRAPH_BACKEND": "embedded", "CREDITGRAPH_STORE": str(path),
           "CREDITGRAPH_STORE_WAIT": "1", "CREDITGRAPH_ID_KEY": ID_KEY}
    holder = hold(path, "read", 30)
    try:
        refused = subprocess.run([CLI, "load", str(feed), "--no-propagate"], env=env,
                                 capture_output=True, text=True, timeout=120)
    finally:
        holder.kill()
        holder.wait()
    assert refused.returncode != 0
    assert "in use by another process reading it" in refused.stderr
    assert "nothing was written" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert names(path) == ["杭州甲"]
    loaded = subprocess.run([CLI, "load", str(feed), "--no-propagate"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert loaded.returncode == 0, loaded.stderr
    assert names(path) == ["杭州乙"]


def test_a_reader_while_a_load_writes_is_refused_and_the_store_stays_whole(path, short_wait):
    holder = hold(path, "write", 30)
    try:
        started = time.monotonic()
        with pytest.raises(StoreUnavailableError, match="another process writing it"):
            open_store(Settings(backend="embedded", store_path=path), read_only=True)
        assert time.monotonic() - started >= 0.9  # it waited CREDITGRAPH_STORE_WAIT first
    finally:
        holder.kill()
        holder.wait()
    assert names(path) == ["杭州甲"]  # a killed writer leaves the store readable


def test_one_process_writes_only_after_its_own_reads(path, short_wait):
    settings = Settings(backend="embedded", store_path=path)
    with open_store(settings, read_only=True) as reader:
        with pytest.raises(StoreUnavailableError, match="being read by this process"):
            open_store(settings)
        assert reader.node_counts()["Enterprise"] == 1
    with open_store(settings) as writer:  # its reads done, the write goes ahead
        writer.merge_nodes("Enterprise", [{"uscc": USCC, "name": "杭州丙"}])
        with open_store(settings, read_only=True) as own:  # a writer may read what it wrote
            assert own.node_counts()["Enterprise"] == 1
    assert names(path) == ["杭州丙"]


def test_a_reader_answers_once_only_while_nothing_can_write(path, short_wait):
    """``read_once`` keeps an answer for a read-only store's life only where no write can
    happen meanwhile: not for a reader opened inside this process's own write."""
    settings = Settings(backend="embedded", store_path=path)
    count = "MATCH (e:Enterprise) RETURN count(e) AS n"
    with open_store(settings, read_only=True) as reader:
        assert reader.frozen and reader.read_once(count) == [{"n": 1}]
    with open_store(settings) as writer, open_store(settings, read_only=True) as own:
        assert not writer.frozen and not own.frozen  # this process may write meanwhile
        writer.merge_nodes("Enterprise", [{"uscc": OTHER, "name": "杭州丁"}])
    with open_store(settings, read_only=True) as reader:  # a new store reads afresh
        assert reader.read_once(count) == [{"n": 2}]


def test_a_waiting_load_is_not_starved_by_readers_that_come_after_it(path, short_wait):
    first = hold(path, "read", 10)  # a reader in flight
    env = {**os.environ, "CREDITGRAPH_STORE_WAIT": "30"}
    writer = subprocess.Popen([sys.executable, "-c", HOLD, str(path), "write", "0.5"], env=env,
                              stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[1])
    try:
        # readers still come in beside the first until the writer, once started (a busy
        # machine takes its time), waits for the first reader at the turnstile
        deadline = time.monotonic() + 8
        while True:
            try:
                with open_store(Settings(backend="embedded", store_path=path), read_only=True):
                    pass
            except StoreUnavailableError as refused:
                assert "is waiting for it" in str(refused)
                break
            assert time.monotonic() < deadline, "the writer never reached the turnstile"
            time.sleep(0.1)
        assert writer.stdout is not None and writer.stdout.readline().strip() == "held"
    finally:
        for process in (first, writer):
            process.kill()
            process.wait()
    assert names(path) == ["杭州甲"]


def test_a_reader_never_creates_a_store(tmp_path):
    with pytest.raises(StoreError, match="holds no graph yet"):
        open_store(Settings(backend="embedded", store_path=tmp_path / "none"), read_only=True)
    assert not (tmp_path / "none").exists()


WRITE = """
import sys
from creditgraph.graph.settings import Settings
from creditgraph.graph.shared_reader import SharedReader
from creditgraph.graph.store import open_store
with open_store(Settings(backend="embedded", store_path=sys.argv[1])) as store:
    store.merge_nodes("Enterprise", [{"uscc": sys.argv[2], "name": sys.argv[3]}])
print("written", flush=True)
"""


def test_a_shared_reader_lends_one_store_and_gives_it_up_to_a_waiting_writer(path):
    """The API's store (graph/shared_reader.py): one open store for every request, closed as
    soon as a writer waits (while no request runs too), opened again after the write, which
    the next request then reads."""
    settings = Settings(backend="embedded", store_path=path)
    reader = SharedReader(lambda: settings)
    env = {**os.environ, "CREDITGRAPH_STORE_WAIT": "20"}
    try:
        with reader.borrow() as first, reader.borrow() as second:
            assert first is second and first.node_counts()["Enterprise"] == 1
        with reader.borrow() as idle:
            pass  # kept open between requests: the writer below has to wait for it
        started = time.monotonic()
        written = subprocess.run([sys.executable, "-c", WRITE, str(path), USCC, "杭州丁"],
                                 env=env, capture_output=True, text=True, timeout=60,
                                 cwd=Path(__file__).parents[1])
        assert written.returncode == 0 and "written" in written.stdout, written.stderr
        assert time.monotonic() - started < 15  # given up at once, not after the 20 s wait
        with reader.borrow() as after:
            assert after is not idle
            assert [r["name"] for r in after.read("MATCH (e:Enterprise) RETURN e.name AS name")
                    ] == ["杭州丁"]
        with reader.borrow() as busy:  # a request in flight: the writer waits for it only
            writer = subprocess.Popen([sys.executable, "-c", WRITE, str(path), USCC, "杭州戊"],
                                      env=env, stdout=subprocess.PIPE, text=True,
                                      cwd=Path(__file__).parents[1])
            time.sleep(1.0)
            assert writer.poll() is None  # still waiting for this request
            assert busy.node_counts()["Enterprise"] == 1
            # a request that comes now waits for the write, at most CREDITGRAPH_STORE_WAIT:
            # waiters that never gave up could hold every thread the busy one needs to finish
            os.environ["CREDITGRAPH_STORE_WAIT"] = "1"
            try:
                started = time.monotonic()
                with pytest.raises(StoreUnavailableError, match="about to be written"), \
                        reader.borrow():
                    pass
                assert time.monotonic() - started < 5
            finally:
                del os.environ["CREDITGRAPH_STORE_WAIT"]
        assert writer.wait(timeout=30) == 0
        with reader.borrow() as last:
            assert [r["name"] for r in last.read("MATCH (e:Enterprise) RETURN e.name AS name")
                    ] == ["杭州戊"]
    finally:
        reader.close()
    assert names(path) == ["杭州戊"]
