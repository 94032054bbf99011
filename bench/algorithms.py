"""Graph-wide algorithms in memory: personalised PageRank (risk rank) over a control graph of
city scale, networkx against the graph libraries made for it, each in its own process (so that
its peak memory is its own). The baseline is networkx in the same run.

The graph is shaped like the seed's and the loads bench's: N enterprises, N/2 persons, a legal
representative and three control relations per enterprise (two shareholders, a supervisor),
1 % of enterprises black-listed as the PageRank seeds. Libraries: networkx (BSD-3, today's),
rustworkx (Apache-2.0), igraph (GPL-2.0+: measured when installed, not a dependency, its licence
does not fit a proprietary product).
"""

from __future__ import annotations

import multiprocessing
import resource
import time
from collections.abc import Callable

from creditgraph.queries.risk import DAMPING, TOLERANCE

TOP = 20


def control_edges(enterprises: int) -> tuple[int, list[tuple[int, int]], dict[int, float]]:
    """Node count, undirected edges (enterprises 0..N-1, persons N..), black-listed seeds."""
    people = max(enterprises // 2, 1)
    edges: list[tuple[int, int]] = []
    for i in range(enterprises):
        edges.append((enterprises + i % people, i))  # legal representative
        edges.append((enterprises + (i * 7 + 1) % people, i))  # shareholder, person
        other = (i * 13 + 5) % enterprises
        if other != i:
            edges.append((other, i))  # shareholder, enterprise
        edges.append((enterprises + (i * 11 + 3) % people, i))  # supervisor
    seeds = {i: 1.0 for i in range(0, enterprises, 100)}
    return enterprises + people, edges, seeds


def _networkx(nodes: int, edges: list[tuple[int, int]], seeds: dict[int, float]) -> list[float]:
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(range(nodes))
    graph.add_edges_from(edges)
    scores = nx.pagerank(graph, alpha=DAMPING, personalization=seeds, tol=TOLERANCE,
                         max_iter=1000)
    return [scores[n] for n in range(nodes)]


def _rustworkx(nodes: int, edges: list[tuple[int, int]], seeds: dict[int, float]) -> list[float]:
    import rustworkx as rx

    graph = rx.PyDiGraph(multigraph=False)
    graph.add_nodes_from(range(nodes))
    graph.extend_from_edge_list(edges + [(b, a) for a, b in edges])  # undirected, as networkx
    scores = rx.pagerank(graph, alpha=DAMPING, personalization=seeds, tol=TOLERANCE,
                         max_iter=1000)
    return [scores[n] for n in range(nodes)]


def _igraph(nodes: int, edges: list[tuple[int, int]], seeds: dict[int, float]) -> list[float]:
    import igraph

    graph = igraph.Graph(n=nodes, edges=edges, directed=False).simplify()
    reset = [seeds.get(n, 0.0) for n in range(nodes)]
    return list(graph.personalized_pagerank(damping=DAMPING, reset=reset))  # exact (PRPACK)


LIBRARIES: dict[str, Callable[..., list[float]]] = {
    "networkx": _networkx, "rustworkx": _rustworkx, "igraph": _igraph}


def _measure(name: str, enterprises: int, out: multiprocessing.Queue) -> None:
    nodes, edges, seeds = control_edges(enterprises)
    start = time.perf_counter()
    try:
        scores = LIBRARIES[name](nodes, edges, seeds)
    except ImportError:
        out.put(None)
        return
    seconds = time.perf_counter() - start
    ranked = sorted((n for n in range(nodes) if n not in seeds), key=lambda n: -scores[n])[:TOP]
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.put({"seconds": seconds, "peak_mib": peak_mib, "top": ranked, "all": scores})


def measure(name: str, enterprises: int) -> dict | None:
    """One library at one scale in a fresh process; None when it is not installed."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_measure, args=(name, enterprises, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def run(scales: list[int]) -> list[dict]:
    rows = []
    for enterprises in scales:
        baseline = measure("networkx", enterprises)
        assert baseline is not None
        for name in LIBRARIES:
            figure = baseline if name == "networkx" else measure(name, enterprises)
            if figure is None:
                continue
            # ties abound in a synthetic graph: compare the scores of networkx's top, not the
            # order among equals
            differs = max(abs(figure["all"][n] - baseline["all"][n]) / baseline["all"][n]
                          for n in baseline["top"])
            rows.append({"what": f"{name}: personalised PageRank, {enterprises:,} enterprises "
                                 f"(build + rank; peak {figure['peak_mib']:,.0f} MiB; scores of "
                                 f"networkx's top {TOP} within {differs:.0e} relative)",
                         "seconds": figure["seconds"],
                         "ratio": baseline["seconds"] / figure["seconds"]})
    return rows
