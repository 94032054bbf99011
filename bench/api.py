"""The credit-check API under load: `creditgraph serve` (uvicorn, real processes) over seed
data, driven by an httpx async loop on this machine (the load generator shares its cores).

Baseline in the same run: ``GET /healthz`` at the same concurrency (no key, no store, no
audit), so every figure also reads as "so many health checks". Figures: single-subject
``POST /v1/checks`` p50/p95 latency and checks per second with CLIENTS concurrent clients;
the same call from one client at a time (the service time, without queueing: with CLIENTS
clients always waiting, the latency is CLIENTS ÷ throughput whatever the code does); one
1,000-subject batch, median of BATCH_RUNS.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from bench.queries import AS_OF, SECRET, p95, prepare
from creditgraph.graph.store import GraphStore
from creditgraph.propagation.rules import load_rules
from creditgraph.propagation.service import propagate

CLIENTS = 32
SECONDS = 20.0
BATCH = 1000
BATCH_RUNS = 5
BATCH_TIMEOUT_S = 600.0  # a batch not answered by then counts as "status 0" (timed out)
BATCH_BUDGET_S = 120.0  # no further batch once the runs so far took this long
CLI = str(Path(sys.executable).with_name("creditgraph"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(store: GraphStore, root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CREDITGRAPH_", "NEO4J_"))}
    settings = store.settings
    env |= {"CREDITGRAPH_BACKEND": store.backend, "CREDITGRAPH_ID_KEY": SECRET.decode(),
            "CREDITGRAPH_AUDIT_LOG": str(root / "audit.log"),
            "CREDITGRAPH_AUDIT_KEY": secrets.token_hex(32),  # a throw-away log of this run
            "CREDITGRAPH_API_KEYS": str(root / "api-keys.json"),
            "CREDITGRAPH_CHECKS": str(root / "checks")}
    if store.backend == "neo4j":
        env |= {"NEO4J_URI": settings.neo4j_uri, "NEO4J_USER": settings.neo4j_user,
                "NEO4J_PASSWORD": settings.neo4j_password or "",
                "NEO4J_DATABASE": settings.neo4j_database}
    else:
        env["CREDITGRAPH_STORE"] = str(Path(settings.store_path).absolute())
    return env


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=300,
                          check=False)
    if done.returncode:
        raise RuntimeError(f"creditgraph {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


@contextlib.contextmanager
def _server(env: dict[str, str], port: int, workers: int, log: Path):  # type: ignore[no-untyped-def]
    with log.open("ab") as out:
        server = subprocess.Popen([CLI, "serve", "--port", str(port), "--workers", str(workers)],
                                  env=env, stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise RuntimeError(f"the server stopped: {log.read_text()[-1500:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code == 200:
                    break
            time.sleep(0.5)
        else:
            raise RuntimeError("the server was not ready within 120 s")
        yield f"http://127.0.0.1:{port}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


async def _drive(url: str, make, clients: int, seconds: float  # type: ignore[no-untyped-def]
                 ) -> tuple[list[float], Counter[int], float]:
    """``clients`` loops, each with its own connection, sending one request after another for
    ``seconds``; returns the latencies, the number of answers that were not 200, and the wall
    time. (One httpx client shared by 32 loops measured its own pool, not the server: 241
    health checks a second against 686 with a client each, on a bare FastAPI app.)"""
    latencies: list[float] = []
    failures: Counter[int] = Counter()
    stop = time.perf_counter() + seconds

    async def loop(index: int) -> None:
        rng = random.Random(index)
        async with httpx.AsyncClient(base_url=url, timeout=120) as client:
            while time.perf_counter() < stop:
                method, path, body, headers = make(rng)
                start = time.perf_counter()
                answer = await client.request(method, path, json=body, headers=headers)
                latencies.append(time.perf_counter() - start)
                if answer.status_code != 200:
                    failures[answer.status_code] += 1

    began = time.perf_counter()
    await asyncio.gather(*(loop(i) for i in range(clients)))
    return latencies, failures, time.perf_counter() - began


def run(store: GraphStore, enterprises: int, reuse: bool = False, workers: int = 2
        ) -> list[dict[str, Any]]:
    have = store.node_counts().get("Enterprise", 0) if reuse else 0
    if have < enterprises:
        prepare(store, enterprises)
    if not store.node_counts().get("Sanction"):
        propagate(store, load_rules(), AS_OF)
    firms = [r["key"] for r in store.read(
        "MATCH (e:Enterprise) RETURN e.uscc AS key ORDER BY key LIMIT $n", {"n": 200_000})]
    root = Path(tempfile.mkdtemp(prefix="creditgraph-apibench-"))
    env = _environment(store, root)
    if store.backend == "embedded":
        store.close()  # the server's workers read it; this process is done with it
    _cli(env, "audit", "init")
    key = _cli(env, "api-keys", "add", "bench", "--role", "investigator", "--purposes", "all",
               "--rate", "100000000").strip().splitlines()[-1]
    headers = {"X-API-Key": key}
    day = AS_OF.isoformat()

    def health(_: random.Random) -> tuple[str, str, None, dict[str, str]]:
        return "GET", "/healthz", None, {}

    def check(rng: random.Random) -> tuple[str, str, dict[str, Any], dict[str, str]]:
        return "POST", "/v1/checks", {"purpose": "procurement", "subjects": [rng.choice(firms)],
                                      "as_of": day}, headers

    rows: list[dict[str, Any]] = []
    with _server(env, _free_port(), workers, root / "server.log") as url:
        asyncio.run(_drive(url, check, CLIENTS, 3.0))  # warm-up: plans, caches, connections
        base, base_bad, base_wall = asyncio.run(_drive(url, health, CLIENTS, SECONDS / 2))
        checks, bad, wall = asyncio.run(_drive(url, check, CLIENTS, SECONDS))
        alone, alone_bad, _ = asyncio.run(_drive(url, check, 1, SECONDS / 2))
        bad += alone_bad
        batches = []
        rng = random.Random(7)
        with httpx.Client(base_url=url, timeout=BATCH_TIMEOUT_S) as client:
            for _ in range(BATCH_RUNS):
                if sum(batches) > BATCH_BUDGET_S:
                    break  # a slow backend: fewer runs, the count is in the row's text
                body = {"purpose": "procurement", "as_of": day,
                        "subjects": rng.sample(firms, min(BATCH, len(firms)))}
                start = time.perf_counter()
                try:
                    answer = client.post("/v1/checks", json=body, headers=headers)
                except httpx.TimeoutException:  # reported as longer than the timeout
                    batches.append(BATCH_TIMEOUT_S)
                    bad[0] += 1
                    break
                batches.append(time.perf_counter() - start)
                if answer.status_code != 200:
                    bad[answer.status_code] += 1
    base_rate = len(base) / base_wall
    rate = len(checks) / wall
    scale = f"{enterprises:,} enterprises, {CLIENTS} clients, {workers} worker(s)"
    rows.append({"what": f"GET /healthz (baseline) p95, {scale}", "value": p95(base) * 1000,
                 "unit": "ms", "ratio": 1.0})
    rows.append({"what": "GET /healthz (baseline) requests/s", "value": base_rate,
                 "unit": "req/s", "ratio": 1.0})
    rows.append({"what": "POST /v1/checks, 1 subject, 1 client (service time), median",
                 "unit": "ms", "value": statistics.median(alone) * 1000, "ratio": None})
    rows.append({"what": "POST /v1/checks, 1 subject, 1 client (service time), p95",
                 "unit": "ms", "value": p95(alone) * 1000, "ratio": None})
    rows.append({"what": f"POST /v1/checks, 1 subject, {CLIENTS} clients, median", "unit": "ms",
                 "value": statistics.median(checks) * 1000,
                 "ratio": statistics.median(checks) / statistics.median(base)})
    rows.append({"what": f"POST /v1/checks, 1 subject, {CLIENTS} clients, p95 (target ≤ 30 ms "
                         "on Neo4j, 1M)",
                 "value": p95(checks) * 1000, "unit": "ms", "ratio": p95(checks) / p95(base)})
    rows.append({"what": f"POST /v1/checks, 1 subject, {CLIENTS} clients, checks/s (target "
                         "≥ 300 on Neo4j, 1M)",
                 "value": rate, "unit": "checks/s", "ratio": rate / base_rate})
    rows.append({"what": f"POST /v1/checks, {BATCH:,} subjects, median of {len(batches)} "
                 "(target ≤ 3 s)", "value": statistics.median(batches), "unit": "s",
                 "ratio": None})
    statuses = ", ".join(f"{n} × {code}" for code, n in sorted((bad + base_bad).items()))
    shown = f": {statuses}" if statuses else ""
    rows.append({"what": f"answers other than 200 (should be 0){shown}",
                 "value": sum((bad + base_bad).values()),
                 "unit": "count", "ratio": None})
    for row in rows:
        row["backend"] = store.backend
    return rows
