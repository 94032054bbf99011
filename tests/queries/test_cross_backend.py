"""The same data and the same question give the same rows on both backends."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from creditgraph.graph.settings import Settings
from creditgraph.graph.store import open_store
from creditgraph.loaders.pipeline import load_directory
from creditgraph.loaders.spec import load_spec
from creditgraph.loaders.writers import StoreWriter
from creditgraph.propagation.rules import load_rules
from creditgraph.propagation.service import propagate
from creditgraph.queries import audits, clusters, linked, ownership, risk
from creditgraph.queries.subjects import resolve
from creditgraph.seed.generator import generate
from tests.shared import SECRET

AS_OF = dt.date(2026, 11, 1)


def canonical(frame: pd.DataFrame) -> list[str]:
    """Rows as sorted JSON text, so order and float noise do not hide a real difference."""
    rows = [json.dumps(r, ensure_ascii=False, sort_keys=True, default=str)
            for r in frame.round(6).to_dict("records")]
    return sorted(rows)


@pytest.mark.neo4j
@pytest.mark.embedded
def test_both_backends_answer_alike(neo4j_schema_ready, tmp_path):
    seed = tmp_path / "seed"
    cases = {c["case"]: c for c in generate(seed, 600, seed=3)["cases"]}
    stores = [open_store(Settings(store_path=tmp_path / "embedded")),
              open_store(Settings.from_env({**neo4j_schema_ready,
                                            "CREDITGRAPH_BACKEND": "neo4j"}))]
    stores[1].wipe()
    try:
        answers = []
        for store in stores:
            store.init_schema()
            load_directory(seed, StoreWriter(store), store.schema, load_spec(), SECRET,
                           tmp_path / f"report-{store.backend}")
            target = resolve(store, cases["hidden_control"]["target"], SECRET)
            answers.append({
                "status": (store.status().nodes, store.status().relationships),
                "scan": canonical(linked.linked_dishonesty_scan(store, 2, AS_OF)),
                "ownership": canonical(ownership.ownership(store, target, AS_OF)),
                "clusters": canonical(clusters.clusters(store, 2, AS_OF)),
                "phoenix": canonical(clusters.phoenix_firms(store, AS_OF)),
                "conflicts": canonical(audits.red_black_conflicts(store, 2, AS_OF)),
                "audit": canonical(audits.publication_audit(store, dt.date(2014, 1, 1), AS_OF,
                                                            AS_OF)),
                "breaches": canonical(audits.commitment_breaches(store, AS_OF)),
                "risk": list(risk.risk_rank(store, 10, 2, AS_OF)["subject_id"]),
                "sanctions": _sanctions(store),
            })
        embedded, neo4j = answers
        for key in embedded:
            assert embedded[key] == neo4j[key], key
        assert embedded["scan"] and embedded["conflicts"] and embedded["audit"]
        assert len(embedded["sanctions"]) >= 15
    finally:
        for store in stores:
            store.close()


def _sanctions(store) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Propagate, then every sanction's id and content fingerprint."""
    propagate(store, load_rules(), AS_OF)
    rows = store.read("MATCH (s:Sanction) RETURN s.sanction_id AS id, s.fingerprint AS f")
    return sorted((r["id"], r["f"]) for r in rows)
