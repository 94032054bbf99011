"""The creditgraph command as a user runs it (a real subprocess, real stores)."""

from __future__ import annotations

import csv
import io
import json
import socket
from pathlib import Path

import pytest

from creditgraph.graph.settings import Settings
from creditgraph.graph.store import open_store
from tests.shared import ROOT


def one_error_line(result) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def test_init_and_status_json_on_each_backend(run_cli, backend, backend_env):
    for _ in range(2):  # init twice is harmless
        result = run_cli("init", env=backend_env)
        assert result.returncode == 0, result.stderr
        assert f"schema ready on {backend}" in result.stdout
    result = run_cli("status", "--format", "json", env=backend_env)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {"backend", "version", "nodes", "relationships"} <= set(report)
    assert report["backend"] == backend
    assert report["nodes"]["Enterprise"] == 0
    assert report["relationships"]["SHAREHOLDER_OF"] == 0
    assert ("Neo4j Kernel 5.26" if backend == "neo4j" else "LadybugDB") in report["version"]


def test_status_counts_what_the_store_holds(run_cli, backend, backend_env):
    settings = Settings.from_env(backend_env)
    with open_store(settings) as store:
        store.init_schema()
        store.merge_nodes("Person", [{"pid": "p1", "name": "甲"}, {"pid": "p2", "name": "乙"}])
        store.merge_relationships("RELATIVE_OF", "Person", "Person",
                                  [{"src_key": "p1", "dst_key": "p2", "kind": "兄弟姐妹"}])
    result = run_cli("status", "--format", "csv", env=backend_env)
    assert result.returncode == 0, result.stderr
    rows = {(r["kind"], r["name"]): int(r["count"]) for r in csv.DictReader(io.StringIO(
        result.stdout))}
    assert rows[("node", "Person")] == 2
    assert rows[("relationship", "RELATIVE_OF")] == 1
    assert rows[("node", "Enterprise")] == 0
    table = run_cli("status", env=backend_env)
    assert table.returncode == 0 and f"backend: {backend}" in table.stdout
    assert "Person" in table.stdout


def test_wipe_needs_yes_then_empties(run_cli, backend, backend_env):
    settings = Settings.from_env(backend_env)
    with open_store(settings) as store:
        store.init_schema()
        store.merge_nodes("Person", [{"pid": "p1", "name": "甲"}])
    refused = run_cli("wipe", env=backend_env)
    assert "--yes" in one_error_line(refused)
    assert json.loads(run_cli("status", "-f", "json", env=backend_env).stdout)["nodes"][
        "Person"] == 1
    assert run_cli("wipe", "--yes", env=backend_env).returncode == 0
    assert json.loads(run_cli("status", "-f", "json", env=backend_env).stdout)["nodes"][
        "Person"] == 0


@pytest.mark.neo4j
def test_wrong_password_is_one_line_and_non_zero(run_cli, neo4j_env):
    env = {**neo4j_env, "NEO4J_PASSWORD": "wrong-password", "CREDITGRAPH_BACKEND": "neo4j"}
    line = one_error_line(run_cli("status", env=env))
    assert "refused the credentials" in line
    assert "wrong-password" not in line


@pytest.mark.neo4j
def test_unreachable_uri_is_one_line_and_non_zero(run_cli):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {"CREDITGRAPH_BACKEND": "neo4j", "NEO4J_URI": f"bolt://127.0.0.1:{port}",
           "NEO4J_PASSWORD": "whatever-it-is"}
    assert "cannot reach Neo4j" in one_error_line(run_cli("status", env=env))


@pytest.mark.embedded
def test_unwritable_store_path_is_one_line_and_non_zero(run_cli, tmp_path: Path):
    blocker = tmp_path / "plain-file"
    blocker.write_text("x")
    line = one_error_line(run_cli("--store", str(blocker / "store"), "init"))
    assert "cannot use embedded store directory" in line


@pytest.mark.parametrize(("args", "env", "expected"), [
    (("--backend", "oracle", "status"), {}, "unknown backend 'oracle'"),
    (("status",), {"CREDITGRAPH_BACKEND": "neo4j"}, "NEO4J_PASSWORD is not set"),
    (("status",), {"CREDITGRAPH_BACKEND": "neo4j", "NEO4J_URI": "http://x:7474",
                   "NEO4J_PASSWORD": "p" * 10}, "scheme 'http'"),
    (("status",), {"CREDITGRAPH_BATCH_SIZE": "lots"}, "CREDITGRAPH_BATCH_SIZE"),
])
def test_bad_settings_are_one_line_and_non_zero(run_cli, args, env, expected):
    assert expected in one_error_line(run_cli(*args, env=env))


def test_help_describes_the_commands(run_cli):
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("init", "status", "wipe", "dashboard"):
        assert command in result.stdout


def test_the_command_line_starts_without_the_heavy_libraries():
    """Every `creditgraph` call pays for what its modules import before it runs: pandas (and
    the Neo4j driver, which imports it), the PDF and graph libraries are imported where used,
    which took the start from about 1.4 s to 0.5 s on the 2-core CI machine."""
    import subprocess
    import sys

    heavy = ("pandas", "neo4j", "reportlab", "networkx", "streamlit", "fastapi", "openpyxl")
    probe = ("import sys, cli.main; "
             f"print(','.join(m for m in {heavy!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""


# -- load, validate, codes ---------------------------------------------------------------------

SAMPLE_DIR = str(ROOT / "seed" / "sample")
KEY_ENV = {"CREDITGRAPH_ID_KEY": "cli-test-key-0123456789"}


def test_load_reports_every_file_and_validate_writes_nothing(run_cli, backend, backend_env,
                                                            tmp_path):
    env = {**backend_env, **KEY_ENV}
    checked = run_cli("validate", SAMPLE_DIR, "--report-dir", str(tmp_path / "v"), "-f", "json",
                      env=env)
    assert checked.returncode == 0, checked.stderr
    dry = json.loads(checked.stdout)
    assert dry["dry_run"] and dry["totals"]["rows"] == 37
    assert json.loads(run_cli("status", "-f", "json", env=env).stdout)["nodes"]["Enterprise"] == 0

    loaded = run_cli("load", SAMPLE_DIR, "--report-dir", str(tmp_path / "l"), "--format", "json",
                     env=env)
    assert loaded.returncode == 0, loaded.stderr
    report = json.loads(loaded.stdout)
    assert report["totals"] == dry["totals"] | {"warnings": report["totals"]["warnings"]}
    for file in report["files"]:
        assert file["rows"] == file["loaded"] + file["merged"] + file["rejected"]
    assert Path(report["rejects_file"]).exists()
    status = json.loads(run_cli("status", "-f", "json", env=env).stdout)
    assert status["nodes"]["Enterprise"] == 7

    table = run_cli("load", SAMPLE_DIR, "--report-dir", str(tmp_path / "t"), env=env)
    assert table.returncode == 0 and "enterprises.csv" in table.stdout
    assert "total" in table.stdout and "rejects:" in table.stdout


@pytest.mark.embedded
def test_load_problems_are_one_line(run_cli, tmp_path):
    missing_key = run_cli("load", SAMPLE_DIR, env={"CREDITGRAPH_ID_KEY_FILE": str(tmp_path / "k")})
    assert "CREDITGRAPH_ID_KEY is not set" in one_error_line(missing_key)
    short_key = run_cli("load", SAMPLE_DIR, env={"CREDITGRAPH_ID_KEY": "short"})
    assert "too short" in one_error_line(short_key)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "penalties.csv").write_text("decision_no,subject_name\n1,x\n", encoding="utf-8")
    structural = run_cli("load", str(bad), env=KEY_ENV)
    assert "penalties.csv: missing required column(s): decision_date" in one_error_line(
        structural)
    assert "no .csv or .xlsx" in one_error_line(run_cli("validate", str(tmp_path), env=KEY_ENV))


def test_codes_check_masks_id_numbers_and_exits_non_zero_on_invalid(run_cli, tmp_path):
    ok = run_cli("codes", "check", "91330100799655058B", "110102199101010078", "-f", "json")
    assert ok.returncode == 0, ok.stderr
    rows = json.loads(ok.stdout)
    assert rows[0] == {"input": "91330100799655058B", "normalized": "91330100799655058B",
                       "kind": "uscc", "valid": True, "reason": "", "severity": "ok",
                       "doc_type": None, "nationality": None}
    assert rows[1]["kind"] == "resident_id" and rows[1]["input"] == "110102********0078"
    assert "110102199101010078" not in ok.stdout
    documents = run_cli("codes", "check", "E12345678", "H01234567", "-f", "json")
    assert [(r["doc_type"], r["input"]) for r in json.loads(documents.stdout)] == [
        ("passport", "E******78"), ("hk_macao_permit", "H******67")]
    typed = run_cli("codes", "check", "--type", "台湾居民来往大陆通行证", "12345678", "-f", "json")
    assert typed.returncode == 0 and json.loads(typed.stdout)[0]["nationality"] == "TW"
    untyped = run_cli("codes", "check", "12345678", "-f", "json")
    assert untyped.returncode == 1 and "证件类型" in json.loads(untyped.stdout)[0]["reason"]
    assert "12345678" not in untyped.stdout

    listing = tmp_path / "codes.txt"
    listing.write_bytes("９１３３０１００７９９６５５０５８Ｂ\n110108000000017\n".encode("gb18030"))
    mixed = run_cli("codes", "check", "--file", str(listing), "--format", "json")
    assert mixed.returncode == 1
    results = json.loads(mixed.stdout)
    assert [r["valid"] for r in results] == [True, False]
    assert results[1]["reason"] == "check digit is '7', expected '6'"
    assert results[1]["severity"] == "warning"  # kept and flagged when loading
    assert "give codes" in one_error_line(run_cli("codes", "check"))


def test_query_commands(run_cli, backend, backend_env, tmp_path):
    env = {**backend_env, **KEY_ENV}
    assert run_cli("load", SAMPLE_DIR, "--report-dir", str(tmp_path / "r"), env=env).returncode == 0
    listing = run_cli("query", "--list", env=env)
    assert listing.returncode == 0 and "linked-dishonesty-scan" in listing.stdout
    result = run_cli("query", "linked-dishonesty", "--subject", "91330102MA2CX1Y00N",
                     "--as-of", "2020-01-01", "--format", "json", env=env)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {"subject_id", "name", "hops", "path", "entries"} <= set(rows[0])
    assert rows[0]["subject_id"] == "91330105350045671D" and rows[0]["hops"] == 2
    by_id = run_cli("query", "profile", "--subject", "330105198207053514", "--as-of",
                    "2020-01-01", "-f", "json", env=env)
    assert by_id.returncode == 0 and "330105198207053514" not in by_id.stdout
    assert json.loads(by_id.stdout)["identity"][0]["id_masked"] == "330105********3514"
    audit = run_cli("query", "publication-audit", "--from", "2016-01-01", "--to", "2016-12-31",
                    "--summary", "-f", "csv", env=env)
    assert audit.returncode == 0 and "杭州市市场监督管理局,1" in audit.stdout
    bad = run_cli("query", "ownership", "--subject", "91110000600037341L", env=env)
    assert "no subject with the code" in one_error_line(bad)
    bad_date = run_cli("query", "commitment-breaches", "--as-of", "2020-13-01", env=env)
    assert "is not a date" in one_error_line(bad_date)


def test_screening_and_civil_servant_commands(run_cli, backend, backend_env, tmp_path):
    env = {**backend_env, **KEY_ENV}
    assert run_cli("load", SAMPLE_DIR, "--report-dir", str(tmp_path / "r"), env=env).returncode == 0
    bidders = tmp_path / "bidders.csv"
    bidders.write_text("统一社会信用代码\n91330108577822332C\n91330110MA27Q8K323\n", encoding="gb18030")
    screened = run_cli("query", "screen", "--bidders", str(bidders), "--as-of", "2020-01-01",
                       "-f", "json", env=env)
    assert screened.returncode == 1  # one bidder is not eligible
    rows = json.loads(screened.stdout)
    assert [r["eligible"] for r in rows] == [True, False]
    assert rows[1]["evidence"][0].startswith("王强持有")
    servant = run_cli("query", "civil-servant", "--subject", "330108198801014824", "--as-of",
                      "2020-01-01", "-f", "json", env=env)
    assert servant.returncode == 0, servant.stderr
    assert json.loads(servant.stdout)["promotion"][0]["eligible"] is False
    assert "330108198801014824" not in servant.stdout
    assert "give --bidders" in one_error_line(run_cli("query", "screen", env=env))


@pytest.mark.embedded
def test_tables_fit_an_80_column_terminal(run_cli, backend_env, tmp_path):
    """Issue 19: the load and propagation tables in 80 columns — every header whole (they
    wrapped into fragments), no line wider than the terminal; a table too wide becomes one
    block of field | value per row. (A path is printed whole: the terminal wraps it, a copy
    of it still works.)"""
    from rich.cells import cell_len

    env = {**backend_env, **KEY_ENV, "COLUMNS": "80"}
    loaded = run_cli("load", SAMPLE_DIR, "--report-dir", str(tmp_path / "r"), env=env)
    propagated = run_cli("propagate", env=env)
    for done, headers in ((loaded, ("file", "rows", "loaded", "merged", "rejected", "warnings",
                                    "ended")),
                          (propagated, ("entries", "red_entries", "sanctions", "created",
                                        "unchanged", "seconds"))):
        assert done.returncode == 0, done.stderr
        lines = [line for line in done.stdout.splitlines() if not line.startswith("rejects: ")]
        assert max(cell_len(line) for line in lines) <= 80, [x for x in lines if cell_len(x) > 80]
        words = {word for line in lines for word in line.split()}
        assert set(headers) <= words, set(headers) - words
    assert "enterprises.csv" in loaded.stdout  # a file name is not folded either


def test_a_table_too_wide_keeps_every_column_and_an_empty_one_says_so(monkeypatch):
    """Columns that would not all fit the terminal are never cut: the table turns into one
    block of field | value per row; a result with no rows still says it has none."""
    import io

    from rich.cells import cell_len
    from rich.console import Console

    from creditgraph.cli import output

    buffer = io.StringIO()
    monkeypatch.setattr(output, "console", Console(width=80, file=buffer, color_system=None))
    load = ["file", "rows", "loaded", "merged", "rejected", "warnings", "ended"]
    wide = [dict.fromkeys(load, "1234567") | {"file": "commitment_breaches.xlsx"}]
    narrow = [f"col{n:03d}" for n in range(10)]
    for columns, rows in ((load, wide), (narrow, [dict.fromkeys(narrow, "123456")])):
        buffer.seek(0)
        buffer.truncate()
        output.print_rows(rows, columns, output.OutputFormat.table, "t")
        lines = buffer.getvalue().splitlines()
        assert max(cell_len(line) for line in lines) <= 80
        assert set(columns) <= {word for line in lines for word in line.split()}
        assert "commitment_breaches.xlsx" in buffer.getvalue() or columns is narrow
    buffer.seek(0)
    buffer.truncate()
    output.print_rows([], narrow, output.OutputFormat.table, "empty")
    assert buffer.getvalue().strip() == "empty: none"
