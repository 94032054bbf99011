"""The audit log cannot be broken, forked, cut or forged unnoticed (access/audit.py).

Each test works on its own initialised log in its own temp directory (`fresh_audit_log`); the
session's key comes from the `private_logs` fixture (tests/conftest.py)."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import time
from pathlib import Path

import pytest

from creditgraph.access import audit
from creditgraph.graph.errors import CreditGraphError
from tests.shared import ID_KEY, ROOT


@pytest.fixture
def log(fresh_audit_log: Path) -> Path:
    return fresh_audit_log


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_bytes().split(b"\n") if line]


def write_some(count: int) -> None:
    for n in range(count):
        audit.append("export-case", case_no=f"C-{n}")


def cut_lines(path: Path, keep: int) -> None:
    lines = path.read_bytes().split(b"\n")[:-1]
    path.write_bytes(b"".join(line + b"\n" for line in lines[:keep]))


def start_again(path: Path) -> None:
    """A new log at the same place: with another key, the old head would not seal."""
    path.unlink()
    audit.head_path().unlink()
    audit.init()


# -- 1. one huge value ----------------------------------------------------------------------------

def test_a_70000_character_user_name_does_not_block_later_appends(log):
    audit.append("login", user="名" * 70_000, ok=False)
    audit.append("search", query="杭州")  # failed before: the last line was not found
    assert audit.verify() == (2, [])
    first = records(log)[0]
    assert first["details"]["user"] == "名" * audit.MAX_STRING + "…[truncated 69500 chars]"
    assert max(len(line) for line in log.read_bytes().split(b"\n")) < 40_000


def test_nested_values_the_actor_and_the_whole_record_are_capped(log):
    record = audit.append("x" * 5_000, actor="a" * 5_000, ok=True,
                          nested={"deep": [{"k" * 900: "v" * 900}]}, many=list(range(1_000)))
    assert len(record["action"]) < 600 and len(record["user"]) < 600
    (key, value), = record["details"]["nested"]["deep"][0].items()
    assert key == "k" * 500 + "…[truncated 400 chars]" and value == "v" * 500 + \
        "…[truncated 400 chars]"
    assert len(record["details"]["many"]) == audit.MAX_ITEMS + 1
    assert record["details"]["many"][-1] == "…[truncated 900 items]"
    # many values together: shorter caps keep the shape; the record stays bounded
    wide = audit.append("load", ok=True, wide={str(n): "w" * 400 for n in range(100)})
    assert wide["details"]["ok"] is True and wide["details"]["wide"]["7"].startswith("w" * 100 +
                                                                                   "…[trunc")
    assert len(json.dumps({str(n): "w" * 400 for n in range(100)})) > 16_000  # 40,000+
    huge = audit.append("load", rows=[["c" * 400] * 100] * 100)
    assert list(huge["details"]) == ["…"] and huge["details"]["…"].endswith(" chars]")
    lines = log.read_bytes().split(b"\n")[:-1]
    assert len(lines) == 3 and all(len(line) < audit.MAX_DETAILS + 3_000 for line in lines)
    assert audit.verify() == (3, [])


def test_the_last_record_is_found_however_long_the_line_before_it(log, monkeypatch):
    """A line far longer than any read-ahead window (as a log written with larger caps has)."""
    with monkeypatch.context() as larger:
        larger.setattr(audit, "MAX_STRING", 10**6)
        larger.setattr(audit, "MAX_DETAILS", 10**7)
        audit.append("login", user="n" * 300_000)
    assert len(log.read_bytes()) > 300_000
    audit.append("search", query="q")
    audit.append("search", query="r")
    assert audit.verify() == (3, [])
    assert [r["seq"] for r in records(log)] == [1, 2, 3]


# -- 2. characters that other splitters treat as line ends --------------------------------------

SEPARATORS = ["\u2028", "\u2029", "\u0085", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e",
              "\n"]


def test_line_separators_in_a_name_neither_split_records_nor_fail_verify(log):
    names = [f"张{sep}三" for sep in SEPARATORS]
    for name in names:
        audit.append("login", user=name, ok=False)
    assert audit.verify() == (len(names), [])
    assert [r["details"]["user"] for r in records(log)] == names
    assert log.read_bytes().isascii() and log.read_bytes().count(b"\n") == len(names)


# -- 3. cut, deleted, rewritten, edited: named by verify ------------------------------------------

def test_cutting_lines_off_the_end_is_named(log):
    write_some(5)
    cut_lines(log, 3)
    count, problems = audit.verify()
    assert count == 3 and len(problems) == 1
    assert "ends after 3 record(s) but its head says 5" in problems[0]
    assert "cut off the end" in problems[0]
    log.write_bytes(b"")
    assert audit.verify() == (0, [problems[0].replace("3 record(s)", "0 record(s)")])


def test_a_partial_last_line_is_named(log):
    write_some(2)
    log.write_bytes(log.read_bytes()[:-20])
    count, problems = audit.verify()
    assert count == 2
    assert problems[:2] == ["line 2: incomplete, no newline at its end (an interrupted write, or "
                            "the log was cut)", "line 2: not a JSON record"]
    assert "cut off the end" not in problems[-1] and "head" in problems[-1]


def test_an_append_after_a_cut_fails_and_does_not_hide_it(log):
    write_some(4)
    cut_lines(log, 2)
    with pytest.raises(audit.AuditLogError, match="does not match its head"):
        audit.append("search", query="after the cut")
    assert len(records(log)) == 2
    assert "head says 4" in audit.verify()[1][0]


def test_a_deleted_log_is_named_and_blocks_appends(log):
    write_some(3)
    log.unlink()
    assert audit.verify() == (0, [f"the log {log} is missing but its head says 3 record(s): it "
                                  "was deleted"])
    with pytest.raises(audit.AuditLogError, match=r"is missing but its head says 3 record\(s\)"):
        audit.append("search", query="q")


def test_an_initialised_log_is_empty_and_intact(log):
    assert log.read_bytes() == b""
    assert audit.verify() == (0, [])
    assert audit.append("search", query="q")["seq"] == 1
    assert audit.verify() == (1, [])


def test_a_log_deleted_together_with_its_head_is_named_and_blocks_appends(log):
    write_some(3)
    log.unlink()
    audit.head_path().unlink()
    assert audit.verify() == (0, [f"no audit log and no head at {log}: never initialised, or "
                                  "both deleted"])
    with pytest.raises(audit.AuditLogError, match=r"is not initialised \(or it and its head were "
                       r"deleted\): run `creditgraph audit init`"):
        audit.append("search", query="q")
    assert not log.exists() and not audit.head_path().exists()  # no new chain at seq 1


def test_an_uninitialised_log_in_a_missing_directory_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("CREDITGRAPH_AUDIT_LOG", str(tmp_path / "nowhere" / "audit.log"))
    with pytest.raises(audit.AuditLogError, match="is not initialised"):
        audit.append("search", query="q")
    assert not (tmp_path / "nowhere").exists()


def test_init_changes_nothing_on_an_initialised_log_and_refuses_half_of_one(log):
    assert audit.init() == (False, 0)
    write_some(2)
    before = (log.read_bytes(), audit.head_path().read_bytes())
    assert audit.init() == (False, 2)
    assert (log.read_bytes(), audit.head_path().read_bytes()) == before
    head = audit.head_path().read_bytes()
    audit.head_path().unlink()
    with pytest.raises(audit.AuditLogError, match=r"exists but its head .* does not"):
        audit.init()
    assert not audit.head_path().exists()
    audit.head_path().write_bytes(head)
    log.unlink()
    with pytest.raises(audit.AuditLogError, match=r"exists but the log .* does not"):
        audit.init()
    assert not log.exists()
    audit.head_path().write_text("{}")
    log.write_bytes(before[0])
    with pytest.raises(audit.AuditLogError, match="not a head record"):
        audit.init()


def test_the_emptied_log_of_an_initialised_head_is_named(log):
    """Deleting the log alone, or its head alone, right after init is not a fresh start."""
    log.unlink()
    assert audit.verify()[1] == [f"the log {log} is missing but its head says 0 record(s): it "
                                 "was deleted"]
    with pytest.raises(audit.AuditLogError, match="is missing but its head says 0"):
        audit.append("search", query="q")
    log.write_bytes(b"")
    audit.head_path().unlink()
    assert audit.verify()[1] == [f"head {audit.head_path()} is missing while the log has 0 "
                                 "record(s) (it was deleted, or the log was written without one)"]
    with pytest.raises(audit.AuditLogError, match="exists but its head file"):
        audit.append("search", query="q")


def test_an_interrupted_first_append_is_named_then_sealed(log):
    empty_head = audit.head_path().read_bytes()
    audit.append("search", query="q")
    audit.head_path().write_bytes(empty_head)
    assert audit.verify()[1] == ["line 1: after the last record the head seals (none: the head "
                                 "counts 0 records); added without updating the head, or an "
                                 "append was interrupted"]
    audit.append("search", query="r")
    assert audit.verify() == (2, [])


def test_the_cli_initialises_once_and_names_a_log_never_initialised(tmp_path, run_cli):
    env = {"CREDITGRAPH_AUDIT_LOG": str(tmp_path / "new" / "audit.log")}
    out = run_cli("audit", "verify", env=env)
    assert out.returncode == 1 and "never initialised, or both deleted" in out.stdout
    out = run_cli("audit", "init", env=env)
    assert out.returncode == 0 and "initialised" in out.stdout, out.stderr
    assert run_cli("audit", "verify", env=env).returncode == 0
    out = run_cli("audit", "init", env=env)
    assert out.returncode == 0 and "already initialised (0 record(s)); nothing changed" in \
        out.stdout.replace("\n", "")
    (tmp_path / "new" / "audit.log.head").unlink()
    out = run_cli("audit", "init", env=env)
    assert out.returncode == 2 and "not initialising over it" in out.stderr


def test_a_missing_head_is_named_and_blocks_appends(log):
    write_some(2)
    audit.head_path().unlink()
    count, problems = audit.verify()
    assert count == 2 and problems == [f"head {audit.head_path()} is missing while the log has 2 "
                                       "record(s) (it was deleted, or the log was written "
                                       "without one)"]
    with pytest.raises(audit.AuditLogError, match="exists but its head file"):
        audit.append("search", query="q")


def test_an_edited_head_does_not_seal(log):
    write_some(3)
    head = json.loads(audit.head_path().read_text())
    audit.head_path().write_text(json.dumps({**head, "records": 2}))
    problems = audit.verify()[1]
    assert problems == [f"head {audit.head_path()}: its seal does not match (it was edited, or "
                        "written with another key)"]


def test_a_wholesale_rewrite_with_plain_hashes_is_named(log):
    """What the old log allowed: recompute every SHA-256 after editing a line."""
    write_some(3)
    previous, lines = "0" * 64, []
    for record in records(log):
        body = {k: v for k, v in record.items() if k != "hash"}
        body["details"] = {"case_no": "FORGED"}
        body["previous"] = previous
        text = json.dumps(body, sort_keys=True, separators=(",", ":"))
        previous = hashlib.sha256((previous + text).encode()).hexdigest()
        lines.append(json.dumps({**body, "hash": previous}) + "\n")
    log.write_text("".join(lines))
    count, problems = audit.verify()
    assert count == 3 and problems[0].startswith("no line's seal matches the key (3 lines)")
    assert "the log was replaced or rewritten" in problems[-1]


def test_a_log_and_head_written_with_another_key_do_not_verify(log, monkeypatch):
    with monkeypatch.context() as other:
        other.setenv("CREDITGRAPH_AUDIT_KEY", "another-key-0123456789")
        start_again(log)
        write_some(2)
    problems = audit.verify()[1]
    assert problems[0].startswith("no line's seal matches the key")
    assert "its seal does not match" in problems[-1]


def test_edited_inserted_and_removed_lines_are_named_by_number(log):
    write_some(4)
    original = log.read_bytes().split(b"\n")[:-1]
    edited = [*original]
    edited[1] = edited[1].replace(b"C-1", b"C-9")
    log.write_bytes(b"\n".join(edited) + b"\n")
    assert audit.verify() == (4, ["line 2: its content was changed"])
    log.write_bytes(b"\n".join([*original[:2], original[1], *original[2:]]) + b"\n")
    count, problems = audit.verify()
    assert count == 5 and problems == ["line 3: does not follow line 2 (a line was removed, "
                                       "inserted or changed before it)"]
    log.write_bytes(b"\n".join([original[0], *original[2:]]) + b"\n")
    assert audit.verify() == (3, ["line 2: does not follow line 1 (a line was removed, "
                                  "inserted or changed before it)"])
    log.write_bytes(b"\n".join(original[1:]) + b"\n")
    assert audit.verify()[1] == ["line 1: does not start the log (lines were removed before it)"]


def test_an_interrupted_append_is_named_then_sealed_by_the_next_append(log):
    """The log line is written before the head: a crash between leaves a sealed line past the
    head, which verify names and the next append (holding the key) accepts."""
    write_some(2)
    old_head = audit.head_path().read_bytes()
    audit.append("search", query="q")
    audit.head_path().write_bytes(old_head)
    assert audit.verify()[1] == ["line 3: after the last record the head seals (line 2); added "
                                 "without updating the head, or an append was interrupted"]
    audit.append("search", query="r")
    assert audit.verify() == (4, [])


def test_an_interrupted_batch_is_named_then_sealed_by_the_next_append(log):
    """Threads appending at once share one write (group commit): a crash between it and the
    head leaves up to MAX_BATCH chained records past the head; the next append accepts them."""
    write_some(2)
    old_head = audit.head_path().read_bytes()
    write_some(5)
    audit.head_path().write_bytes(old_head)
    assert audit.verify()[1] == ["lines 3-7: after the last record the head seals (line 2); "
                                 "added without updating the head, or an append was "
                                 "interrupted"]
    audit.append("search", query="r")
    assert audit.verify() == (8, [])


def test_more_records_past_the_head_than_one_batch_are_refused(log):
    old_head = audit.head_path().read_bytes()
    write_some(audit.MAX_BATCH + 1)
    audit.head_path().write_bytes(old_head)
    with pytest.raises(audit.AuditLogError, match="does not match its head"):
        audit.append("search", query="refused")
    assert len(records(log)) == audit.MAX_BATCH + 1


def test_records_past_the_head_that_do_not_chain_are_refused(log):
    write_some(2)
    old_head = audit.head_path().read_bytes()
    write_some(3)
    audit.head_path().write_bytes(old_head)
    lines = log.read_bytes().split(b"\n")[:-1]
    log.write_bytes(b"".join(line + b"\n" for line in [*lines[:3], lines[4], lines[3]]))
    with pytest.raises(audit.AuditLogError, match="does not match its head"):
        audit.append("search", query="refused")


def test_a_forged_head_record_does_not_pass_records_off_as_an_interrupted_batch(log):
    """With a head counting 0 records, only a whole log of at most one run from the start is
    accepted: lines claiming to be the head's record (seq 0, the genesis seal) are not."""
    empty_head = audit.head_path().read_bytes()
    write_some(2)
    genuine = log.read_bytes()
    audit.head_path().write_bytes(empty_head)
    forged = json.dumps({"seq": 0, "hash": "0" * 64}).encode() + b"\n"
    log.write_bytes(b'{"junk": 1}\n' + forged + genuine)
    with pytest.raises(audit.AuditLogError, match="does not match its head"):
        audit.append("search", query="refused")
    log.write_bytes(genuine)  # the run alone, from the start: an interrupted first append
    audit.append("search", query="accepted")
    assert audit.verify() == (3, [])


def test_an_accepted_run_gets_its_own_head_before_the_next_append(log, monkeypatch):
    """If that append's own head then fails, the gap past the head is still one run."""
    write_some(2)
    old_head = audit.head_path().read_bytes()
    write_some(3)
    audit.head_path().write_bytes(old_head)
    heads: list[int] = []
    write_head = audit._write_head

    def second_fails(path, key, records, last):
        heads.append(records)
        if len(heads) == 2:
            raise OSError("disk full")
        write_head(path, key, records, last)

    monkeypatch.setattr(audit, "_write_head", second_fails)
    with pytest.raises(OSError, match="disk full"):
        audit.append("search", query="its head fails")
    assert heads == [5, 6]
    monkeypatch.setattr(audit, "_write_head", write_head)
    audit.append("search", query="next")
    assert audit.verify() == (7, [])


def test_concurrent_appends_share_writes(log, monkeypatch):
    """The point of the group commit: fewer head writes (each with its fsyncs) than records."""
    from concurrent.futures import ThreadPoolExecutor

    heads: list[int] = []
    write_head = audit._write_head

    def counted(*args):  # the real write, counted
        heads.append(1)
        write_head(*args)

    monkeypatch.setattr(audit, "_write_head", counted)
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda n: audit.append("api-call", n=n), range(320)))
    assert audit.verify() == (320, [])
    assert len(heads) < 320 / 2, len(heads)


def test_the_cli_names_a_cut_log(log, run_cli):
    write_some(3)
    cut_lines(log, 1)
    out = run_cli("audit", "verify", "-f", "json")
    assert out.returncode == 1, out.stderr
    report = json.loads(out.stdout)
    assert report["records"] == 1 and "cut off the end" in report["problems"][0]


# -- the key --------------------------------------------------------------------------------------

def test_without_a_key_nothing_is_appended(log, tmp_path, monkeypatch):
    monkeypatch.delenv("CREDITGRAPH_AUDIT_KEY")
    monkeypatch.setenv("CREDITGRAPH_AUDIT_KEY_FILE", str(tmp_path / "absent.key"))
    with pytest.raises(CreditGraphError, match=r"CREDITGRAPH_AUDIT_KEY is not set.*make demo"):
        audit.append("search", query="q")
    assert log.read_bytes() == b""
    (tmp_path / "short.key").write_text("short\n")
    monkeypatch.setenv("CREDITGRAPH_AUDIT_KEY_FILE", str(tmp_path / "short.key"))
    with pytest.raises(CreditGraphError, match="too short"):
        audit.append("search", query="q")


def test_the_key_file_is_used_and_never_written_into_the_log(log, tmp_path, monkeypatch):
    secret = "file-key-" + "k" * 40
    monkeypatch.delenv("CREDITGRAPH_AUDIT_KEY")
    monkeypatch.setenv("CREDITGRAPH_AUDIT_KEY_FILE", str(tmp_path / "audit.key"))
    (tmp_path / "audit.key").write_text(secret + "\n")
    start_again(log)
    write_some(2)
    assert audit.verify() == (2, [])
    for path in (log, audit.head_path()):
        assert secret not in path.read_text()
    (tmp_path / "audit.key").write_text("another-key-" + "k" * 40)
    assert audit.verify()[1][0].startswith("no line's seal matches the key")


# -- 4. concurrent appends ------------------------------------------------------------------------

def append_many(worker: int) -> None:
    for n in range(50):
        audit.append("concurrent", worker=worker, n=n)


def test_four_processes_appending_at_once_keep_one_chain(log):
    """Also verifying while they append: verify never sees a line whose head is not written."""
    seen: list[str] = []
    with multiprocessing.get_context("fork").Pool(4) as pool:
        running = pool.map_async(append_many, range(4))
        while not running.ready():
            seen += audit.verify()[1]
            time.sleep(0.005)  # flock is not fair: leave the writers room
        running.get()
    assert seen == []
    assert audit.verify() == (200, [])
    written = records(log)
    assert [r["seq"] for r in written] == list(range(1, 201))
    assert sorted((r["details"]["worker"], r["details"]["n"]) for r in written) == [
        (w, n) for w in range(4) for n in range(50)]


def test_threads_appending_at_once_each_get_their_own_record_on_one_chain(log):
    """Group commit (the API's requests): 16 threads × 25 appends; every caller gets back the
    record holding its own details, sealed in place on one chain."""
    from concurrent.futures import ThreadPoolExecutor

    def one(n: int) -> tuple[int, dict]:
        return n, audit.append("api-call", actor=f"t{n % 16}", n=n)

    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(one, range(400)))
    assert all(record["details"] == {"n": n} and record["user"] == f"t{n % 16}"
               for n, record in answers)
    assert audit.verify() == (400, [])
    written = records(log)
    assert [r["seq"] for r in written] == list(range(1, 401))
    assert {r["hash"] for r in written} == {record["hash"] for _, record in answers}


def test_threads_appending_to_a_broken_log_all_fail_and_write_nothing(log):
    from concurrent.futures import ThreadPoolExecutor

    audit.append("first")
    audit.head_path(log).unlink()
    before = log.read_bytes()

    def one(n: int) -> str:
        try:
            audit.append("api-call", n=n)
        except audit.AuditLogError as exc:
            return str(exc)
        return "written"

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(one, range(40)))
    assert all("head file" in outcome for outcome in outcomes), outcomes[:3]
    assert log.read_bytes() == before


# -- 5. who ---------------------------------------------------------------------------------------

def test_the_actor_is_the_user_and_a_user_keyword_stays_a_detail(log, monkeypatch):
    monkeypatch.setenv("CREDITGRAPH_USER", "cli-user")
    signed_in = audit.append("user-add", actor="admin1", user="new-user", role="viewer")
    assert (signed_in["user"], signed_in["details"]) == ("admin1", {"user": "new-user",
                                                                    "role": "viewer"})
    assert audit.append("login", user="tried-name", ok=False)["user"] == "cli-user"
    monkeypatch.delenv("CREDITGRAPH_USER")
    import getpass
    assert audit.append("search", user=None, query="q")["user"] == getpass.getuser()
    assert audit.append("load", action="a detail", actor="x")["details"] == {
        "action": "a detail"}
    assert [r["user"] for r in records(log)] == ["admin1", "cli-user", getpass.getuser(), "x"]
    assert audit.verify() == (4, [])


# -- 6. where -------------------------------------------------------------------------------------

def test_paths_are_absolute_whatever_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CREDITGRAPH_AUDIT_LOG", "logs/audit.log")
    monkeypatch.delenv("CREDITGRAPH_AUDIT_HEAD", raising=False)
    monkeypatch.delenv("CREDITGRAPH_AUDIT_KEY_FILE", raising=False)
    assert audit.log_path() == tmp_path / "logs" / "audit.log"
    assert audit.head_path() == tmp_path / "logs" / "audit.log.head"
    assert audit.key_file_path() == tmp_path / "data" / "audit.key"
    monkeypatch.setenv("CREDITGRAPH_AUDIT_HEAD", "elsewhere/audit.head")
    assert audit.head_path() == tmp_path / "elsewhere" / "audit.head"
    (tmp_path / "logs").mkdir()
    (tmp_path / "elsewhere").mkdir()
    audit.init()
    audit.append("search", query="q")
    monkeypatch.chdir(tmp_path / "logs")  # the record stays readable from anywhere
    assert audit.verify(tmp_path / "logs" / "audit.log", tmp_path / "elsewhere" /
                        "audit.head") == (1, [])


# -- 7. a torn last line --------------------------------------------------------------------------

def tear_an_append(path: Path, keep: int = 40) -> bytes:
    """What power loss in the middle of an append's write leaves: the first `keep` bytes of a
    new line, no newline, and the head not yet updated. Returns the torn bytes."""
    head = audit.head_path().read_bytes()
    audit.append("search", query="torn")
    data = path.read_bytes()
    start = data.rstrip(b"\n").rfind(b"\n") + 1
    path.write_bytes(data[:start + keep])
    audit.head_path().write_bytes(head)
    return data[start:start + keep]


def torn_files(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.torn-*"))


def test_a_torn_last_line_is_moved_aside_and_appends_work_again(log):
    write_some(3)
    torn = tear_an_append(log)
    with pytest.raises(audit.AuditLogError, match="the last line is incomplete"):
        audit.append("search", query="refused")
    kept = log.read_bytes()
    plan = audit.repair()  # without apply: says what it would do, does nothing
    assert (plan.start, plan.size) == (len(kept) - len(torn), len(torn))
    assert log.read_bytes() == kept and torn_files(log) == []
    done = audit.repair(apply=True)
    assert torn_files(log) == [done.saved] and done.saved.read_bytes() == torn
    assert done.saved.name.startswith("audit.log.torn-20") and done.saved.name.endswith("Z")
    assert log.read_bytes().startswith(kept[:plan.start])
    last = records(log)[-1]
    assert (last["seq"], last["action"], last["details"]) == (
        4, "audit-repair", {"saved": str(done.saved), "bytes": len(torn)})
    assert audit.verify() == (4, [])
    audit.append("search", query="after the repair")
    assert audit.verify() == (5, [])


def test_a_torn_first_record_is_repaired_too(log):
    torn = tear_an_append(log, keep=10)
    assert log.read_bytes() == torn
    done = audit.repair(apply=True)
    assert done.saved.read_bytes() == torn and done.start == 0
    assert [r["action"] for r in records(log)] == ["audit-repair"]
    assert audit.verify() == (1, [])


def test_a_torn_line_after_an_interrupted_batch_is_repaired(log):
    write_some(2)
    old_head = audit.head_path().read_bytes()
    write_some(3)
    audit.head_path().write_bytes(old_head)
    torn = tear_an_append(log)
    done = audit.repair(apply=True)
    assert done.saved.read_bytes() == torn
    assert [r["action"] for r in records(log)][-1] == "audit-repair"
    assert audit.verify() == (6, [])


def refused(path: Path, match: str) -> None:
    before = path.read_bytes(), audit.head_path().read_bytes()
    with pytest.raises(audit.AuditLogError, match=match):
        audit.repair(apply=True)
    assert (path.read_bytes(), audit.head_path().read_bytes()) == before
    assert torn_files(path) == []


def test_repair_refuses_a_healthy_log(log):
    write_some(2)
    refused(log, r"nothing to repair: .* does not end in a partial line")
    log.write_bytes(b"")
    audit.head_path().unlink()
    log.unlink()
    with pytest.raises(audit.AuditLogError, match="nothing to repair: there is no log"):
        audit.repair(apply=True)


def test_repair_refuses_a_log_cut_in_the_middle_of_a_line(log):
    """Records cut off the end, the cut landing inside a line: evidence, not a torn write."""
    write_some(4)
    data = log.read_bytes()
    log.write_bytes(data[:data.index(b"C-2")])
    refused(log, r"the 2 complete record\(s\) before the partial line .* do not verify against "
                 r"the head \(the log ends after 2 record\(s\) but its head says 4")


def test_repair_refuses_a_rewritten_log_with_a_torn_tail(log):
    write_some(3)
    forged = [{**r, "details": {"case_no": "FORGED"}} for r in records(log)]
    log.write_bytes(b"".join(json.dumps(r).encode() + b"\n" for r in forged) + b'{"seq": 4')
    refused(log, r"do not verify against the head \(no line.s seal matches the key \(3 lines\)")


def test_repair_refuses_a_whole_record_that_lost_only_its_newline(log):
    write_some(2)
    tear_an_append(log, keep=len(log.read_bytes().split(b"\n")[-2]) + 200)
    log.write_bytes(log.read_bytes().rstrip(b"\n"))
    refused(log, "a whole sealed record missing only its newline")


def test_the_cli_repairs_only_with_yes(log, run_cli):
    write_some(1)
    torn = tear_an_append(log)
    out = run_cli("audit", "repair")
    assert out.returncode == 1 and "--yes" in out.stdout and torn_files(log) == []
    out = run_cli("audit", "repair", "--yes")
    assert out.returncode == 0, out.stderr
    assert [p.read_bytes() for p in torn_files(log)] == [torn]
    assert run_cli("audit", "verify").returncode == 0
    out = run_cli("audit", "repair", "--yes")
    assert out.returncode == 2 and "nothing to repair" in out.stderr


def test_a_load_or_propagation_that_could_not_be_recorded_does_not_start(tmp_path, run_cli):
    """Without its key, or with a log never initialised, the audit log could not take the
    record at the end: the command is refused before it writes anything."""
    sample = ROOT / "seed" / "sample"
    store = tmp_path / "store"
    never = {"CREDITGRAPH_AUDIT_LOG": str(tmp_path / "never" / "audit.log"),
             "CREDITGRAPH_STORE": str(store), "CREDITGRAPH_ID_KEY": ID_KEY}
    out = run_cli("load", str(sample), env=never)
    assert out.returncode != 0 and "not initialised" in out.stderr, out.stderr
    assert not (store / "graph.lbug").exists()  # nothing was written, not even the schema
    keyless = {"CREDITGRAPH_AUDIT_KEY": "", "CREDITGRAPH_AUDIT_KEY_FILE":
               str(tmp_path / "absent.key"), "CREDITGRAPH_STORE": str(store),
               "CREDITGRAPH_ID_KEY": ID_KEY}
    out = run_cli("load", str(sample), env=keyless)
    assert out.returncode != 0 and "CREDITGRAPH_AUDIT_KEY is not set" in out.stderr
    assert not (store / "graph.lbug").exists()
    out = run_cli("propagate", env=never)
    assert out.returncode != 0 and "not initialised" in out.stderr, out.stderr
    out = run_cli("propagate", env={"CREDITGRAPH_STORE": str(store)})  # audit log ready
    assert out.returncode != 0 and "not ready to propagate" in out.stderr, out.stderr
