"""The dashboard's door fails closed, sign-in is slowed and locked, personal data cannot be
re-identified through the dashboard, feed text is never rendered as Markdown, and page work is
bounded. AppTest runs the real app against a real embedded store loaded by the real loader."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import threading
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from creditgraph.access import audit
from creditgraph.access.users import (
    UserError,
    add_user,
    failures_file,
    load_users,
    remove_user,
    set_role,
    sign_in,
    users_file,
)
from creditgraph.graph.identifiers import person_key, resident_id_check_char, uscc_check_char
from creditgraph.graph.settings import Access, Settings
from creditgraph.graph.store import open_store
from tests.shared import ID_KEY, ROOT, SAMPLE, SECRET, tables

APP = str(ROOT / "dashboard" / "app.py")
WANG = "330105198207053514"  # 王强 in seed/sample
LINK_NAME = "[click](http://x)"
IMAGE_NAME = "![x](http://y/a.png)"


def hostile_uscc() -> str:
    body = "91330106" + "MA2HX1Y0" + "9"
    return body + uscc_check_char(body)


def hostile_person() -> str:
    body = "33010619900101123"
    return body + resident_id_check_char(body)


def candidates(real: str) -> list[str]:
    """Every number that fits the masked form and the birth year: what the old profile let a
    viewer enumerate."""
    out = []
    day = dt.date(int(real[6:10]), 1, 1)
    while day.year == int(real[6:10]):
        body = f"{real[:6]}{day:%Y%m%d}{real[14:17]}"
        if resident_id_check_char(body) == real[17]:
            out.append(body + real[17])
        day += dt.timedelta(days=1)
    return out


@pytest.fixture(scope="module")
def feed(tmp_path_factory):
    """seed/sample plus a firm and a person whose names are Markdown links and images."""
    folder = tmp_path_factory.mktemp("feed")
    for path in SAMPLE.glob("*.csv"):
        shutil.copy(path, folder / path.name)
    with (folder / "enterprises.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow([hostile_uscc(), LINK_NAME, "", "", "330106", "", "",
                                     "2016-01-01", "存续", "", "10", hostile_person(),
                                     IMAGE_NAME])
    with (folder / "persons.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow([hostile_person(), IMAGE_NAME, "", ""])
    return folder


def load(store, folder: Path, report: Path) -> None:  # type: ignore[no-untyped-def]
    from creditgraph.loaders.pipeline import load_directory
    from creditgraph.loaders.spec import load_spec
    from creditgraph.loaders.writers import StoreWriter

    load_directory(folder, StoreWriter(store), store.schema, load_spec(), SECRET, report)


@pytest.fixture(scope="module")
def graph_dir(feed, tmp_path_factory):
    root = tmp_path_factory.mktemp("access-store")
    with open_store(Settings(store_path=root / "store")) as store:
        store.init_schema()
        load(store, feed, root / "report")
    return root / "store"


@pytest.fixture
def env(graph_dir, tmp_path, monkeypatch):
    for key in ("CREDITGRAPH_DEMO", "CREDITGRAPH_AUTH", "CREDITGRAPH_SESSION_IDLE_MINUTES",
                "CREDITGRAPH_LOGIN_MAX_FAILURES", "CREDITGRAPH_LOGIN_LOCKOUT_MINUTES",
                "CREDITGRAPH_ID_LOOKUPS_PER_DAY"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("CREDITGRAPH_BACKEND", "embedded")
    monkeypatch.setenv("CREDITGRAPH_STORE", str(graph_dir))
    monkeypatch.setenv("CREDITGRAPH_ID_KEY", ID_KEY)
    monkeypatch.setenv("CREDITGRAPH_USERS", str(tmp_path / "users.json"))
    monkeypatch.setenv("CREDITGRAPH_AUDIT_LOG", str(tmp_path / "audit.log"))
    audit.init()  # appends refuse a log nobody initialised
    return tmp_path


@pytest.fixture
def users(env):
    for name, role in (("viewer1", "viewer"), ("inv1", "investigator"), ("admin1", "admin")):
        add_user(name, role, f"{name}-password-123")
    return users_file()


def new_app() -> AppTest:
    import streamlit as st

    st.cache_data.clear()
    app = AppTest.from_file(APP, default_timeout=60)
    app.session_state["as_of"] = dt.date(2020, 1, 1)
    return app


def texts(app) -> str:  # type: ignore[no-untyped-def]
    parts = [e.value for kind in ("title", "header", "subheader", "caption", "markdown", "info",
                                  "warning", "error", "success")
             for e in getattr(app, kind) if isinstance(getattr(e, "value", None), str)]
    return "\n".join(parts)


def everything(app) -> str:  # type: ignore[no-untyped-def]
    """Every element of the page as Streamlit would send it (labels, help texts, captions,
    cells...), main area and sidebar alike."""
    out: list[str] = []

    def visit(node) -> None:  # type: ignore[no-untyped-def]
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        for child in (getattr(node, "children", None) or {}).values():
            visit(child)

    visit(app._tree)
    return "\n".join(out) + "\n" + shown(app)


def shown(app) -> str:  # type: ignore[no-untyped-def]
    """The page's Markdown as a reader sees it (escapes undone), plus every table cell."""
    cells = [str(v) for df in app.dataframe for v in df.value.astype(str).to_numpy().ravel()]
    return re.sub(r"\\(.)", r"\1", texts(app)) + "\n" + "\n".join(cells)


def sign_in_as(app, name: str, password: str | None = None):  # type: ignore[no-untyped-def]
    app.text_input(key="login_name").input(name)
    app.text_input(key="login_password").input(password or f"{name}-password-123")
    return app.button[0].click().run()


def records() -> list[dict]:
    path = audit.log_path()
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def actor(record: dict) -> str:
    """Who the record names: details.actor today, the record's user once access/audit.py takes
    ``actor=`` as the user."""
    return record["details"].get("actor") or record["user"]


# -- 1. the door fails closed ----------------------------------------------------------------------


@pytest.mark.embedded
def test_no_user_store_closes_the_door_naming_the_absolute_path(env, monkeypatch):
    elsewhere = env / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # a relative default that is not found from here
    monkeypatch.setenv("CREDITGRAPH_USERS", "data/users.json")
    app = new_app().run()
    assert not app.exception
    message = re.sub(r"\\(.)", r"\1", app.error[0].value)
    assert f"已关闭：在 {Path.cwd() / 'data' / 'users.json'} 没有用户库" in message
    assert "creditgraph users add" in message
    assert not app.dataframe and "演示模式" not in texts(app) and not app.text_input
    assert len(app.error) == 1 and [t.value for t in app.title] == ["信用图谱"]


@pytest.mark.embedded
def test_an_empty_or_broken_user_file_closes_the_door(env):
    users_file().write_text('{"users": []}\n')
    app = new_app().run()
    assert not app.exception and "creditgraph users add" in app.error[0].value
    assert not app.dataframe
    users_file().write_text("{not json")
    app = new_app().run()
    assert not app.exception and "无法读取" in app.error[0].value
    assert "not a CreditGraph user file" in app.error[0].value
    assert not app.dataframe and not app.text_input


@pytest.mark.embedded
def test_demo_mode_only_when_asked_and_never_with_oidc(env, monkeypatch):
    monkeypatch.setenv("CREDITGRAPH_DEMO", "1")
    app = new_app().run()
    assert not app.exception and "演示模式（CREDITGRAPH_DEMO=1）" in app.warning[0].value
    assert app.dataframe  # the overview's tables
    monkeypatch.setenv("CREDITGRAPH_AUTH", "oidc")
    app = new_app().run()
    assert not app.exception and "creditgraph users add" in app.error[0].value
    assert not app.dataframe and "演示模式" not in texts(app)


@pytest.mark.embedded
def test_users_win_over_demo_mode(env, users, monkeypatch):
    monkeypatch.setenv("CREDITGRAPH_DEMO", "1")
    app = new_app().run()
    assert app.text_input(key="login_name") is not None and not app.dataframe


def test_paths_and_access_settings_resolve_at_start_up(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = Settings.from_env({})
    assert settings.store_path == tmp_path / "data" / "creditgraph"
    assert settings.id_key_file == tmp_path / "data" / "id.key"
    monkeypatch.setenv("CREDITGRAPH_USERS", "u/users.json")
    assert users_file() == tmp_path / "u" / "users.json"
    assert Access.from_env({}) == Access(False, "local", 30, 5, 15)
    assert Access.from_env({"CREDITGRAPH_DEMO": "1", "CREDITGRAPH_AUTH": "oidc"}).demo
    from creditgraph.graph.errors import SettingsError

    for bad in ({"CREDITGRAPH_DEMO": "maybe"}, {"CREDITGRAPH_AUTH": "ldap"},
                {"CREDITGRAPH_SESSION_IDLE_MINUTES": "0"},
                {"CREDITGRAPH_LOGIN_MAX_FAILURES": "x"}):
        with pytest.raises(SettingsError, match=next(iter(bad))):
            Access.from_env(bad)


# -- 2. sign-in ----------------------------------------------------------------------------------


def test_failures_slow_down_then_lock_the_name_and_survive_a_restart(tmp_path):
    path = tmp_path / "users.json"
    add_user("clerk", "viewer", "clerk-password-1", path)
    access = Access(max_failures=3, lockout_minutes=15)
    waits: list[float] = []
    now = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)
    outcomes = [sign_in("clerk", "wrong-password-0", path, access, now, waits.append)
                for _ in range(3)]
    assert [o.outcome for o in outcomes] == ["wrong", "wrong", "wrong"]
    assert [o.failures for o in outcomes] == [1, 2, 3] and waits == [0.25, 0.5]
    assert outcomes[-1].locked_until == now + dt.timedelta(minutes=15)
    saved = json.loads(failures_file(path).read_text())  # on disk: shared by every session
    assert saved["clerk"]["failures"] == 3 and "password" not in json.dumps(saved)
    locked = sign_in("clerk", "clerk-password-1", path, access, now + dt.timedelta(minutes=5),
                     waits.append)
    assert locked.outcome == "locked" and locked.user is None
    later = sign_in("clerk", "clerk-password-1", path, access, now + dt.timedelta(minutes=16),
                    waits.append)
    assert later.outcome == "ok" and later.user is not None
    assert "clerk" not in json.loads(failures_file(path).read_text())
    # an unknown name is counted and locked the same way: a lockout says nothing of existence
    for _ in range(3):
        ghost = sign_in("nobody", "whatever-pass", path, access, now, lambda _: None)
    assert ghost.locked_until is not None


def test_parallel_guesses_check_no_more_passwords_than_the_lockout_allows(tmp_path):
    """Twenty wrong passwords at once on one name: each attempt is counted before its password
    is checked, so at most max_failures are checked and the rest are refused as locked; the
    right password is then refused too, while the lock runs."""
    path = tmp_path / "users.json"
    add_user("clerk", "viewer", "clerk-password-1", path)
    access = Access(max_failures=5, lockout_minutes=15)
    now = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)
    start = threading.Barrier(20)
    outcomes: list[str] = []

    def guess(number: int) -> None:
        start.wait()
        result = sign_in("clerk", f"wrong-password-{number:02d}", path, access, now,
                         lambda _: None)
        outcomes.append(result.outcome)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 20 and outcomes.count("wrong") == 5
    assert outcomes.count("locked") == 15
    right = sign_in("clerk", "clerk-password-1", path, access, now + dt.timedelta(minutes=1),
                    lambda _: None)
    assert right.outcome == "locked" and right.user is None


def test_a_right_password_takes_its_counted_attempt_back(tmp_path):
    path = tmp_path / "users.json"
    add_user("clerk", "viewer", "clerk-password-1", path)
    access = Access(max_failures=2, lockout_minutes=15)
    now = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)
    assert sign_in("clerk", "wrong-password-0", path, access, now, lambda _: None).failures == 1
    # the attempt that would reach the limit is right: it signs in and clears the count
    assert sign_in("clerk", "clerk-password-1", path, access, now, lambda _: None).outcome == "ok"
    assert "clerk" not in json.loads(failures_file(path).read_text())
    assert sign_in("clerk", "wrong-password-0", path, access, now, lambda _: None).failures == 1


def test_the_counter_file_stays_bounded_and_keeps_running_locks(tmp_path, monkeypatch):
    """Names (existing or not, alike) are kept only while locked or with recent failures; over
    the limit the oldest unlocked go first, and a running lock is never dropped — else flooding
    the file with made-up names would unlock a name being guessed."""
    from creditgraph.access import users as user_store

    path = tmp_path / "users.json"
    add_user("clerk", "viewer", "clerk-password-1", path)
    access = Access(max_failures=2, lockout_minutes=15)
    now = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)
    for _ in range(2):
        sign_in("clerk", "wrong-password-0", path, access, now, lambda _: None)
    sign_in("ghost", "wrong-password-0", path, access, now, lambda _: None)
    monkeypatch.setattr(user_store, "MAX_COUNTERS", 3)
    for minute in range(1, 6):  # five more made-up names, each later than the last
        sign_in(f"spray{minute}", "wrong-password-0", path, access,
                now + dt.timedelta(minutes=minute), lambda _: None)
    kept = json.loads(failures_file(path).read_text())
    assert len(kept) == 3 and "clerk" in kept and "ghost" not in kept
    assert set(kept) == {"clerk", "spray4", "spray5"}
    locked = sign_in("clerk", "clerk-password-1", path, access, now + dt.timedelta(minutes=6),
                     lambda _: None)
    assert locked.outcome == "locked"
    # once the window has passed, nothing is kept of names that are neither locked nor failing
    later = now + dt.timedelta(minutes=30)
    sign_in("late", "wrong-password-0", path, access, later, lambda _: None)
    assert set(json.loads(failures_file(path).read_text())) == {"late"}


def test_over_long_input_is_refused_before_hashing(tmp_path):
    path = tmp_path / "users.json"
    add_user("clerk", "viewer", "clerk-password-1", path)
    started = time.perf_counter()
    assert sign_in("clerk", "x" * 10_000_000, path).outcome == "too_long"
    assert sign_in("c" * 81, "clerk-password-1", path).outcome == "too_long"
    assert time.perf_counter() - started < 0.5  # Argon2 over 10 MB would take far longer
    with pytest.raises(UserError, match="at most 1024"):
        add_user("other", "viewer", "p" * 1025, path)


def test_the_last_admin_can_be_neither_removed_nor_demoted(tmp_path):
    path = tmp_path / "users.json"
    add_user("boss", "admin", "boss-password-1", path)
    add_user("clerk", "viewer", "clerk-password-1", path)
    with pytest.raises(UserError, match="last admin"):
        remove_user("boss", path)
    with pytest.raises(UserError, match="last admin"):
        set_role("boss", "supervisor", path)
    set_role("clerk", "admin", path)
    set_role("boss", "viewer", path)  # another admin exists now
    remove_user("boss", path)
    assert {u.name: u.role for u in load_users(path).values()} == {"clerk": "admin"}


def test_users_cli_refuses_to_remove_the_last_admin(run_cli, tmp_path):
    env = {"CREDITGRAPH_USERS": str(tmp_path / "u.json"),
           "CREDITGRAPH_AUDIT_LOG": str(tmp_path / "a.log")}
    assert run_cli("audit", "init", env=env).returncode == 0
    assert run_cli("users", "add", "boss", "--role", "admin", "--password-stdin", env=env,
                   input_text="boss-password-1\n").returncode == 0
    out = run_cli("users", "remove", "boss", env=env)
    assert out.returncode == 2 and "last admin" in out.stderr
    out = run_cli("users", "set-role", "boss", "--role", "viewer", env=env)
    assert out.returncode == 2 and "last admin" in out.stderr


@pytest.mark.embedded
def test_the_sign_in_form_locks_a_name_and_audits_it(env, users, monkeypatch):
    monkeypatch.setenv("CREDITGRAPH_LOGIN_MAX_FAILURES", "3")
    app = new_app().run()
    for _ in range(3):
        sign_in_as(app, "viewer1", "wrong-password-000")
    assert not app.exception and "锁定" in app.error[0].value
    sign_in_as(app, "viewer1")  # the right password, but the name is locked
    assert "锁定" in app.error[0].value and not app.dataframe
    app = new_app().run()  # a new session: the lock holds
    sign_in_as(app, "viewer1")
    assert "锁定" in app.error[0].value
    actions = [(r["action"], r["details"].get("reason")) for r in records()]
    assert actions.count(("login", "wrong")) == 3 and ("login-lockout", None) in actions
    assert actions.count(("login", "locked")) == 2
    assert all(actor(r) == "viewer1" for r in records())
    assert audit.verify()[1] == []


@pytest.mark.embedded
def test_an_idle_session_is_signed_out(env, users):
    app = new_app().run()
    sign_in_as(app, "viewer1")
    assert app.dataframe
    app.session_state["last_active"] = time.time() - 31 * 60
    app.run()
    assert not app.exception and app.text_input(key="login_name").value == ""
    assert not app.dataframe and "重新登录" in texts(app)
    assert records()[-1]["action"] == "session-expired"


@pytest.mark.embedded
def test_the_users_page_refuses_to_demote_the_last_admin(env, users):
    app = new_app().run()
    sign_in_as(app, "admin1")
    app.switch_page("views/users.py").run()
    app.selectbox(key="role_name").set_value("admin1")
    app.selectbox(key="role_value").set_value("viewer")
    app.button(key="role_button").click().run()
    assert not app.exception and "last admin" in app.error[0].value
    assert load_users()["admin1"].role == "admin"


@pytest.mark.embedded
def test_no_user_change_without_its_audit_record(env, users, monkeypatch):
    app = new_app().run()
    sign_in_as(app, "admin1")
    app.switch_page("views/users.py").run()
    monkeypatch.delenv("CREDITGRAPH_AUDIT_KEY")  # the audit log becomes unusable
    monkeypatch.setenv("CREDITGRAPH_AUDIT_KEY_FILE", str(env / "no-such.key"))
    before = load_users()
    app.text_input(key="new_user").input("clerk2")
    app.text_input(key="new_password").input("clerk2-password-123")
    next(b for b in app.button if b.label == "添加用户").click().run()
    assert not app.exception and "审计日志无法写入" in texts(app)
    assert load_users() == before
    app.run()  # the page again, without the refused action: it stopped there
    app.selectbox(key="role_name").set_value("viewer1")
    app.selectbox(key="role_value").set_value("supervisor")
    app.button(key="role_button").click().run()
    assert "审计日志无法写入" in texts(app) and load_users() == before
    app.run()
    app.selectbox(key="remove_name").set_value("viewer1")
    app.button(key="remove_button").click().run()
    assert "审计日志无法写入" in texts(app) and load_users() == before


# -- 3. re-identification ------------------------------------------------------------------------


@pytest.mark.embedded
def test_a_viewer_searching_an_id_number_learns_found_not_the_name(env, users):
    app = new_app().run()
    sign_in_as(app, "viewer1")
    app.switch_page("views/search.py").run()
    app.text_input(key="search_text").input(WANG).run()
    assert not app.exception
    assert "王强" not in shown(app) and "330105********3514" in shown(app)
    app.button(key="open-0").click().run()  # the viewer holds the exact number: the file opens
    assert not app.exception and "王强" in shown(app)
    identity = next(df for df in tables(app) if "id_masked" in df.columns)
    assert "birth_year" not in identity.columns
    assert "1982" not in " ".join(map(str, identity.iloc[0].tolist()))
    assert app.query_params["subject"] == person_key(WANG, SECRET)  # pid, not the ID
    done = [(r["action"], actor(r)) for r in records()]
    assert ("search", "viewer1") in done and ("profile-open", "viewer1") in done
    assert WANG not in audit.log_path().read_text()


@pytest.mark.embedded
def test_a_viewer_cannot_turn_a_list_of_guesses_into_a_name(env, users):
    guesses = candidates(WANG)
    assert WANG in guesses and 20 < len(guesses) < 40  # what the old profile left open
    app = new_app().run()
    sign_in_as(app, "viewer1")
    app.switch_page("views/screening.py").run()
    assert "最多 20 个身份证号" in texts(app)
    app.file_uploader(key="bidders").set_value(
        ("bidders.csv", "\n".join(guesses).encode(), "text/csv")).run()
    assert not app.exception and "at most 20" in app.error[0].value and not app.dataframe
    few = [WANG, *[g for g in guesses if g != WANG][:19]]
    app.file_uploader(key="bidders").set_value(
        ("bidders.csv", "\n".join(few).encode(), "text/csv")).run()
    assert not app.exception
    result = tables(app)[0]
    assert result["name"].isna().all() and "王强" not in shown(app)
    assert result["found"].tolist().count(True) == 1  # found / not found, nothing more
    assert not any(g in shown(app) for g in few)  # numbers echoed masked
    rows = [r for r in records() if r["action"] == "screen"]
    assert len(rows) == 20 and {actor(r) for r in rows} == {"viewer1"}
    assert not any(g in audit.log_path().read_text() for g in few)


def test_id_lookups_are_budgeted_per_user_over_a_rolling_day(tmp_path):
    from creditgraph.access.lookup_budget import lookups_file, spend
    from creditgraph.access.users import User

    path = tmp_path / "users.json"
    viewer, investigator = User("clerk", "viewer", ""), User("boss", "investigator", "")
    access = Access(id_lookups_per_day=3)
    now = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)
    first = spend(viewer, 2, access, path, now)
    assert first.granted and first.remaining == 1
    whole = spend(viewer, 2, access, path, now + dt.timedelta(hours=1))  # all or none
    assert not whole.granted and whole.remaining == 1
    assert whole.free_again == now + dt.timedelta(hours=24)
    assert spend(viewer, 1, access, path, now + dt.timedelta(hours=2)).remaining == 0
    assert not spend(viewer, 1, access, path, now + dt.timedelta(hours=23)).granted
    again = spend(viewer, 1, access, path, now + dt.timedelta(hours=24, seconds=1))
    assert again.granted and again.remaining == 1  # the first two have left the window
    assert spend(investigator, 500, access, path, now).granted  # no budget from investigator
    saved = json.loads(lookups_file(path).read_text())
    assert set(saved) == {"clerk"} and lookups_file(path).name == "users.lookups.json"


@pytest.mark.embedded
def test_a_viewer_has_a_daily_budget_of_id_lookups_shared_by_search_and_screening(
        env, users, monkeypatch):
    monkeypatch.setenv("CREDITGRAPH_ID_LOOKUPS_PER_DAY", "3")
    guesses = [g for g in candidates(WANG) if g != WANG]
    app = new_app().run()
    sign_in_as(app, "viewer1")
    app.switch_page("views/search.py").run()
    assert "还可按证件号查询 3 次" in texts(app)
    app.text_input(key="search_text").input(WANG).run()
    assert not app.exception and "还可按证件号查询 2 次" in texts(app)
    assert "王强" not in everything(app)  # found, and no name anywhere on the page
    app.run()  # a rerun of the same lookup costs nothing
    assert "还可按证件号查询 2 次" in texts(app)
    for guess, left in zip(guesses[:2], (1, 0), strict=True):
        app.text_input(key="search_text").input(guess).run()
        assert f"还可按证件号查询 {left} 次" in texts(app)
    app.text_input(key="search_text").input(guesses[2]).run()
    assert not app.exception and "次数已用完" in texts(app)
    assert "330105" not in " ".join(b.label for b in app.button)  # no result, no buttons
    app.text_input(key="search_text").input("滨江").run()  # names are not ID lookups
    assert not app.exception and "滨江" in shown(app)
    app = new_app().run()  # a new session: the budget is the user's, not the session's
    sign_in_as(app, "viewer1")
    app.switch_page("views/screening.py").run()
    assert "还可按证件号查询 0 次" in texts(app)
    app.file_uploader(key="bidders").set_value(
        ("bidders.csv", f"{guesses[3]}\n91330108577822332C\n".encode(), "text/csv")).run()
    assert not app.exception and "次数已用完" in texts(app) and not app.dataframe
    refused = [r for r in records() if r["action"] == "id-lookup-refused"]
    assert [r["details"]["page"] for r in refused] == ["search", "screening"]
    assert {actor(r) for r in refused} == {"viewer1"}
    assert not any(g in audit.log_path().read_text() for g in guesses)
    assert "330105" not in (env / "users.lookups.json").read_text()  # times, never numbers
    app = new_app().run()
    sign_in_as(app, "inv1")  # investigators hold no budget
    app.switch_page("views/search.py").run()
    app.text_input(key="search_text").input(WANG).run()
    assert "王强" in shown(app) and "次数" not in texts(app)


@pytest.mark.embedded
def test_an_investigator_screening_sees_names(env, users):
    app = new_app().run()
    sign_in_as(app, "inv1")
    app.switch_page("views/screening.py").run()
    app.file_uploader(key="bidders").set_value(
        ("bidders.csv", f"代码\n{WANG}\n91330108577822332C\n".encode(), "text/csv")).run()
    assert not app.exception
    assert set(tables(app)[0]["name"]) == {"王强", "杭州滨江云图科技有限公司"}
    assert WANG not in shown(app)


@pytest.mark.embedded
def test_subject_links_carry_the_key_not_the_id_number(env, monkeypatch):
    monkeypatch.setenv("CREDITGRAPH_DEMO", "1")
    app = new_app()
    app.query_params["subject"] = person_key(WANG, SECRET)
    app.run()
    app.switch_page("views/profile.py").run()
    assert not app.exception and "王强" in shown(app)
    app = new_app()
    app.query_params["subject"] = WANG
    app.run()
    app.switch_page("views/profile.py").run()
    assert not app.exception and "王强" not in shown(app)
    assert "不能含身份证号" in texts(app)


# -- 5. markdown ---------------------------------------------------------------------------------


def rendered(app) -> str:  # type: ignore[no-untyped-def]
    return MarkdownIt("commonmark").render(texts(app))


@pytest.mark.embedded
def test_feed_names_never_render_as_links_or_images(env, monkeypatch):
    monkeypatch.setenv("CREDITGRAPH_DEMO", "1")
    app = new_app().run()
    app.switch_page("views/search.py").run()
    app.text_input(key="search_text").input("click").run()
    assert not app.exception and LINK_NAME in shown(app)
    assert "<a " not in rendered(app) and "http://" not in texts(app)
    app.button(key="open-0").click().run()
    assert not app.exception and LINK_NAME in shown(app)
    assert "<a " not in rendered(app)
    app.switch_page("views/search.py").run()
    app.text_input(key="search_text").input("a.png").run()
    assert IMAGE_NAME in shown(app) and "<img" not in rendered(app)
    app.button(key="net-0").click().run()
    assert not app.exception and IMAGE_NAME in app.header[0].value.replace("\\", "")
    html = rendered(app)
    assert "<a " not in html and "<img" not in html and "http://" not in texts(app)


def test_the_one_markdown_escape_defuses_links_images_and_bare_urls():
    from creditgraph.dashboard.widgets import md

    html = MarkdownIt("commonmark").render(
        " ".join(md(x) for x in (LINK_NAME, IMAGE_NAME, "<b>x</b>", ":red[x]", "# h")))
    assert "<a " not in html and "<img" not in html and "<b>" not in html
    assert "<h1>" not in html and ":red[x]" in html
    assert "http://" not in md("see http://evil.example") and "www." not in md("www.evil.cn")


# -- 6. bounded work -----------------------------------------------------------------------------


def test_the_network_walk_stops_at_its_cap(store, tmp_path):
    from creditgraph.dashboard.data import CAP
    from creditgraph.graph.predicates import CONTROL_RELATIONS
    from creditgraph.queries.neighbourhood import walk
    from creditgraph.queries.subjects import resolve

    load(store, SAMPLE, tmp_path / "report")
    firm = resolve(store, "91330108577822332C", SECRET)
    day = dt.date(2020, 1, 1)
    full = walk(store, [firm], 2, day, CONTROL_RELATIONS, CAP)
    assert not full.cut and len(full.names) >= 5
    assert {"张伟", "赵敏"} <= set(full.names.values())  # two hops away
    capped = walk(store, [firm], 2, day, CONTROL_RELATIONS, cap=3)
    assert capped.cut and len(capped.names) == 3 and capped.more
    assert all(a in capped.names and b in capped.names for a, b, _ in capped.edges)
    assert set(capped.names) < set(full.names)


def test_a_hub_in_the_frontier_is_counted_past_the_cap_not_kept(store):
    """A firm with 60 shareholders and a cap of 10: the walk keeps 10 nodes and counts the 51
    it saw and left out (a number, not a set of them)."""
    from creditgraph.dashboard.data import CAP
    from creditgraph.graph.predicates import CONTROL_RELATIONS
    from creditgraph.queries.neighbourhood import walk
    from creditgraph.queries.subjects import Subject

    hub = "91330108577822332C"
    store.merge_nodes("Enterprise", [{"uscc": hub, "name": "枢纽公司"}])
    people = [{"pid": f"{n:064x}", "name": f"股东{n}"} for n in range(60)]
    store.merge_nodes("Person", people)
    store.merge_relationships("SHAREHOLDER_OF", "Person", "Enterprise", [
        {"src_key": p["pid"], "dst_key": hub} for p in people])
    day = dt.date(2020, 1, 1)
    capped = walk(store, [Subject("Enterprise", hub, "枢纽公司")], 2, day, CONTROL_RELATIONS,
                  cap=10)
    assert capped.cut and len(capped.names) == 10
    assert capped.more == 51 and isinstance(capped.more, int)
    assert all(a in capped.names and b in capped.names for a, b, _ in capped.edges)
    whole = walk(store, [Subject("Enterprise", hub, "枢纽公司")], 2, day, CONTROL_RELATIONS, CAP)
    assert not whole.cut and whole.more == 0 and len(whole.names) == 61


def xlsx(rows: list[object]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append([row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_uploads_are_capped_in_size_and_rows():
    from creditgraph.loaders.code_lists import UploadError, first_column

    assert first_column("b.xlsx", xlsx(["统一社会信用代码", "91330108577822332C", None, WANG])) == [
        "91330108577822332C", WANG]
    assert first_column("b.csv", "代码\n91330108577822332C\n".encode("gb18030")) == [
        "91330108577822332C"]
    with pytest.raises(UploadError, match="at most 2,097,152"):
        first_column("b.csv", b"9" * (2 * 1024 * 1024 + 1))
    with pytest.raises(UploadError, match="more than 10 codes"):
        first_column("b.xlsx", xlsx([f"code{n}" for n in range(50)]), max_rows=10)
    with pytest.raises(UploadError, match="not a readable"):
        first_column("b.xlsx", b"PK\x03\x04 not really")


def test_one_reader_for_every_code_list_in_every_format(tmp_path):
    """The dashboard's upload, the CLI's --bidders / --file and the case bag's ID map read a
    list one way: UTF-8 or GB18030 CSV, XLSX or text, a header skipped, blank rows ignored."""
    from creditgraph.casefile.export import read_id_map
    from creditgraph.cli.query_commands import read_codes
    from creditgraph.graph.errors import CreditGraphError
    from creditgraph.loaders.code_lists import first_column

    codes = ["91330108577822332C", WANG]
    files = {"utf8.csv": ("证件号码\n" + "\n\n".join(codes) + "\n").encode("utf-8-sig"),
             "gbk.csv": ("证件号码,备注\n" + ",甲\n".join(codes) + ",乙\n").encode("gb18030"),
             "list.txt": ("\n".join(codes) + "\n").encode(),
             "book.xlsx": xlsx(["统一社会信用代码", *codes])}
    for name, raw in files.items():
        (tmp_path / name).write_bytes(raw)
        assert first_column(name, raw) == codes, name
        assert read_codes(tmp_path / name) == codes, name
    ids = tmp_path / "ids.csv"
    ids.write_bytes(f"身份证号\n{WANG}\n".encode("gb18030"))  # the old reader's UTF-8 only
    assert list(read_id_map(ids, b"k" * 32).values()) == [WANG]
    ids.write_bytes(f"身份证号\n{WANG}\n\n91330108577822332C\n".encode("gb18030"))
    with pytest.raises(CreditGraphError, match=r"ids\.csv: line 4: not a valid resident ID"):
        read_id_map(ids, b"k" * 32)
    (tmp_path / "latin.csv").write_bytes("Müller\n".encode("utf-16"))
    with pytest.raises(CreditGraphError, match=r"latin\.csv: unknown encoding"):
        read_codes(tmp_path / "latin.csv")


def test_an_xlsx_that_unpacks_too_large_is_refused_before_parsing():
    """openpyxl's read-only mode still loads every shared string: a small upload whose
    sharedStrings.xml unpacks to 24 MiB is refused from the zip directory alone."""
    from creditgraph.loaders.code_lists import MAX_UPLOAD_BYTES, UploadError, first_column

    book = xlsx(["统一社会信用代码", "91330108577822332C"])
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    strings = ("<si><t>" + "x" * 30_000 + "</t></si>") * 800  # 24 MB unpacked
    shared = f'<sst xmlns="{main}">{strings}</sst>'
    padded = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book)) as source, \
            zipfile.ZipFile(padded, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename).decode()
            if item.filename == "[Content_Types].xml":
                data = data.replace("</Types>", '<Override PartName="/xl/sharedStrings.xml" '
                                    'ContentType="application/vnd.openxmlformats-officedocument.'
                                    'spreadsheetml.sharedStrings+xml"/></Types>')
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace("</Relationships>", '<Relationship Id="rIdS" Type="http://'
                                    'schemas.openxmlformats.org/officeDocument/2006/'
                                    'relationships/sharedStrings" Target="sharedStrings.xml"/>'
                                    "</Relationships>")
            target.writestr(item.filename, data)
        target.writestr("xl/sharedStrings.xml", shared)
    raw = padded.getvalue()
    assert len(raw) < MAX_UPLOAD_BYTES  # within the upload cap, so only the unpacked size tells
    with pytest.raises(UploadError, match="unpacks to"):
        first_column("b.xlsx", raw)


def test_blank_rows_count_against_the_row_cap():
    from creditgraph.loaders.code_lists import UploadError, first_column

    book = openpyxl.Workbook()
    book.active["A1"] = "91330108577822332C"
    book.active["A5000"] = WANG  # 4,998 blank rows between: read-only mode yields each
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(UploadError, match="more than 1,000 rows"):
        first_column("b.xlsx", buffer.getvalue())
    with pytest.raises(UploadError, match="more than 10 rows"):
        first_column("b.csv", ("\n" * 20 + "91330108577822332C\n").encode(), max_rows=10)
    assert first_column("b.csv", b"\n\n91330108577822332C\n", max_rows=10) == [
        "91330108577822332C"]


def test_tables_build_their_downloads_only_when_asked():
    """A table Excel cannot hold (time zones) used to break the page on every rerun, because
    the XLSX was built up front; now the page renders and the file is built on request."""
    from creditgraph.dashboard.widgets import xlsx_bytes

    frame = pd.DataFrame({"at": [pd.Timestamp("2026-01-01 08:00", tz="Asia/Shanghai")],
                          "name": ["=cmd"]})
    app = AppTest.from_string(
        "import pandas as pd\nfrom dashboard.widgets import table\n"
        "table(pd.DataFrame({'at': [pd.Timestamp('2026-01-01 08:00', tz='Asia/Shanghai')]}),"
        " 'times')\n", default_timeout=30).run()
    assert not app.exception and len(app.get("download_button")) == 2
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame, "times")))
    values = [c.value for c in book.active[2]]
    assert values == [dt.datetime(2026, 1, 1, 8, 0), "'=cmd"]


@pytest.mark.embedded
def test_without_an_audit_log_nobody_signs_in(env, users, monkeypatch):
    monkeypatch.delenv("CREDITGRAPH_AUDIT_KEY")
    monkeypatch.setenv("CREDITGRAPH_AUDIT_KEY_FILE", str(env / "no-such.key"))
    app = new_app().run()
    sign_in_as(app, "viewer1")
    assert not app.exception and "审计日志无法写入" in app.error[0].value
    assert not app.dataframe and "user" not in app.session_state
