from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import SettingsError
from graph.settings import DEFAULT_STORE, Settings


def test_defaults_are_the_zero_setup_embedded_store():
    settings = Settings.from_env({})
    assert settings.backend == "embedded"
    assert settings.store_path == Path.cwd() / DEFAULT_STORE  # absolute from the start
    assert settings.store_path.is_absolute() and settings.id_key_file.is_absolute()
    assert settings.neo4j_uri == "bolt://localhost:7687"


def test_environment_and_overrides():
    settings = Settings.from_env({
        "CREDITGRAPH_BACKEND": "neo4j", "NEO4J_URI": "neo4j+s://example.databases.neo4j.io",
        "NEO4J_USER": "reader", "NEO4J_PASSWORD": "s3cret-value", "NEO4J_DATABASE": "credit",
        "CREDITGRAPH_BATCH_SIZE": "2000",
    })
    assert (settings.backend, settings.neo4j_user, settings.neo4j_database) == (
        "neo4j", "reader", "credit")
    assert settings.batch_size == 2000
    assert "s3cret-value" not in repr(settings)
    local = settings.with_overrides(backend="embedded", store_path=Path("/tmp/x"), batch_size=None)
    assert (local.backend, local.store_path, local.batch_size) == ("embedded", Path("/tmp/x"), 2000)
    relative = settings.with_overrides(store_path=Path("rel/store"))
    assert relative.store_path == Path.cwd() / "rel" / "store"  # --store resolves too


@pytest.mark.parametrize(("env", "message"), [
    ({"CREDITGRAPH_BACKEND": "sqlite"}, "unknown backend 'sqlite'"),
    ({"CREDITGRAPH_BATCH_SIZE": "many"}, "must be a whole number"),
    ({"CREDITGRAPH_BATCH_SIZE": "0"}, "at least 1"),
    ({"CREDITGRAPH_BACKEND": "neo4j", "NEO4J_URI": "localhost:7687"}, "has scheme"),
])
def test_bad_settings_are_refused_with_the_variable_named(env, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)
