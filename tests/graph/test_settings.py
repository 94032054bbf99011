from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from creditgraph.graph.errors import SettingsError
from creditgraph.graph.settings import DEFAULT_STORE, Settings
from tests.shared import PACKAGES, ROOT


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


SETTING = re.compile(r"^(CREDITGRAPH|NEO4J)_[A-Z_]+$")


def test_every_setting_is_read_in_graph_settings_and_documented_in_one_table():
    """A variable's name as a whole string (what a read or a hand-off to a child process
    takes) appears only in graph/settings.py; every one of them is in docs/settings.md."""
    root = ROOT
    named: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                        and SETTING.match(node.value)):
                    named.setdefault(str(path.relative_to(root)), set()).add(node.value)
    assert set(named) == {"graph/settings.py"}, {f: v for f, v in named.items()
                                                  if f != "graph/settings.py"}
    table = (root / "docs" / "settings.md").read_text(encoding="utf-8")
    assert len(named["graph/settings.py"]) > 25
    assert all(f"`{name}`" in table for name in named["graph/settings.py"]), sorted(
        n for n in named["graph/settings.py"] if f"`{n}`" not in table)


def test_places_and_limits_follow_the_environment_they_are_given(tmp_path):
    from creditgraph.graph import settings as places

    env = {"CREDITGRAPH_USERS": str(tmp_path / "u.json"), "CREDITGRAPH_AUDIT_HEAD": "head",
           "CREDITGRAPH_USER": "  inv1 ", "CREDITGRAPH_STORE_WAIT": "0",
           "CREDITGRAPH_API_RATE": "5", "CREDITGRAPH_ALERT_RULES": "mine.yaml"}
    assert places.users_file(env) == tmp_path / "u.json"
    assert places.audit_head_file(env) == Path.cwd() / "head"
    assert places.audit_head_file({}) is None  # beside the log
    assert places.acting_user(env) == "inv1" and places.acting_user({}) is None
    assert places.store_wait_seconds(env) == 0 and places.store_wait_seconds({}) == 30
    assert places.ApiSettings.from_env(env).rate_per_minute == 5
    assert places.alert_rules_file(env) == Path.cwd() / "mine.yaml"
    assert places.alert_rules_file({}) is None and places.publication_rules_file({}) is None
    with pytest.raises(SettingsError, match="CREDITGRAPH_STORE_WAIT must be a whole number"):
        places.store_wait_seconds({"CREDITGRAPH_STORE_WAIT": "soon"})
    with pytest.raises(SettingsError, match="CREDITGRAPH_API_MAX_BODY must be at least 1024"):
        places.ApiSettings.from_env({"CREDITGRAPH_API_MAX_BODY": "10"})
