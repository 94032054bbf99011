"""The offline path: files for neo4j-admin import give the same graph as a transactional load."""

from __future__ import annotations

import pytest

from creditgraph.graph.settings import Settings
from creditgraph.graph.store import open_store
from creditgraph.loaders.neo4j_import import ImportCsvWriter
from creditgraph.loaders.pipeline import load_directory
from creditgraph.loaders.spec import load_spec
from creditgraph.loaders.writers import StoreWriter
from tests.neo4j_server import launcher
from tests.shared import SAMPLE, SECRET


@pytest.mark.neo4j
def test_admin_import_of_the_export_equals_a_transactional_load(neo4j_schema_ready, tmp_path):
    store = open_store(Settings.from_env({**neo4j_schema_ready, "CREDITGRAPH_BACKEND": "neo4j"}))
    store.wipe()
    load_directory(SAMPLE, StoreWriter(store), store.schema, load_spec(), SECRET,
                   tmp_path / "r1")
    expected = store.status()
    sample_person = store.read("MATCH (p:Person {name: '赵敏'}) RETURN p.pid AS pid, "
                               "p.birth_year AS y, p.is_civil_servant AS cs")

    writer = ImportCsvWriter(store.schema, tmp_path / "import")
    report = load_directory(SAMPLE, writer, store.schema, load_spec(), SECRET, tmp_path / "r2")
    assert report.totals()["rejected"] == 0
    writer.write()
    assert (tmp_path / "import" / "import.sh").exists()
    home = launcher.import_database(tmp_path / "import", writer.arguments)
    with launcher.running(home=home) as server:
        settings = Settings.from_env({**server.env(), "CREDITGRAPH_BACKEND": "neo4j"})
        with open_store(settings) as imported:
            imported.init_schema()
            got = imported.status()
            assert got.nodes == expected.nodes
            assert got.relationships == expected.relationships
            assert imported.read("MATCH (p:Person {name: '赵敏'}) RETURN p.pid AS pid, "
                                 "p.birth_year AS y, p.is_civil_servant AS cs") == sample_person
            dates = imported.read("MATCH (e:Enterprise {uscc: '91330106143912349L'}) "
                                  "RETURN e.established AS d, e.registered_capital AS c")
            assert str(dates[0]["d"]) == "1998-02-28" and dates[0]["c"] == 500.0
    store.close()
