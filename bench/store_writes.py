"""Write throughput of the store: batched ``UNWIND $rows`` upserts against a per-row MERGE
baseline (one statement and one transaction per row), measured in the same run on each backend.

Figures are rows per second and the batched / per-row ratio; the scale is printed with them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from creditgraph.graph import cypher
from creditgraph.graph.store import GraphStore


@dataclass(frozen=True)
class Figure:
    backend: str
    what: str
    rows: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else float("inf")


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def people(n: int, offset: int = 0) -> list[dict]:
    return [{"pid": f"p{offset + i:08d}", "name": f"测试人员{offset + i}",
             "division": "330106", "birth_year": 1960 + i % 40} for i in range(n)]


def firms(n: int) -> list[dict]:
    return [{"uscc": f"E{i:017d}", "name": f"杭州测试{i}有限公司", "division": "330106"}
            for i in range(n)]


def holdings(n_people: int, n_firms: int, n: int) -> list[dict]:
    return [{"src_key": f"p{i % n_people:08d}", "dst_key": f"E{(i * 7919) % n_firms:017d}",
             "ratio": 0.1 + (i % 9) / 10} for i in range(n)]


def run(store: GraphStore, scale: int, baseline_rows: int) -> list[Figure]:
    store.wipe()
    store.init_schema()
    figures = []
    persons, enterprises, shares = people(scale), firms(scale), holdings(scale, scale, scale * 3)

    # Baseline: the naive loader, one MERGE statement in its own transaction per row.
    query = cypher.merge_nodes(store.schema, "Person", ["pid", "name", "division", "birth_year"])
    baseline = people(baseline_rows, offset=10_000_000)
    seconds = _timed(lambda: [store.write(query, {"rows": [row]}) for row in baseline])
    figures.append(Figure(store.backend, "Person nodes, per-row MERGE (baseline)",
                          baseline_rows, seconds))

    seconds = _timed(lambda: store.merge_nodes("Person", persons))
    figures.append(Figure(store.backend, "Person nodes, batched UNWIND", scale, seconds))
    seconds = _timed(lambda: store.merge_nodes("Enterprise", enterprises))
    figures.append(Figure(store.backend, "Enterprise nodes, batched UNWIND", scale, seconds))

    rel_query = cypher.merge_relationships(store.schema, "SHAREHOLDER_OF", "Person", "Enterprise",
                                           ["ratio"])
    sample = shares[:baseline_rows]
    seconds = _timed(lambda: [store.write(rel_query, {"rows": [row]}) for row in sample])
    figures.append(Figure(store.backend, "SHAREHOLDER_OF, per-row MERGE (baseline)",
                          len(sample), seconds))
    seconds = _timed(lambda: store.merge_relationships("SHAREHOLDER_OF", "Person", "Enterprise",
                                                       shares))
    figures.append(Figure(store.backend, "SHAREHOLDER_OF, batched UNWIND", len(shares), seconds))
    store.wipe()
    return figures
