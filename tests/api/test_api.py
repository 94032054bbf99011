"""The credit-check API, served for real: `creditgraph serve` (uvicorn) on a free port of
127.0.0.1, called with httpx, on both backends, over the seed data's planted cases loaded
through the real loader and propagated. Every endpoint and every error status; the planted
cases (a restricted bidder for procurement that licensing only reviews, a repaired entry that
restricts nobody, answers as of an earlier date); a stored check unchanged after a later load;
no resident ID number in any answer or the audit log; the API and `creditgraph sanctions`
agree. The server is stopped with its process group in every case."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import hypothesis
import pytest
import schemathesis

from creditgraph.access import audit
from creditgraph.graph.identifiers import classify, org_code_check_char, uscc_check_char
from creditgraph.graph.settings import Settings
from creditgraph.graph.store import open_store
from creditgraph.loaders.pipeline import load_directory
from creditgraph.loaders.spec import load_spec
from creditgraph.loaders.writers import StoreWriter
from creditgraph.propagation.rules import load_rules
from creditgraph.propagation.service import propagate
from creditgraph.seed.generator import generate
from tests.casefile.test_casefile import AS_OF, ID_NUMBER
from tests.conftest import BACKENDS
from tests.shared import SECRET

CLI = str(Path(sys.executable).with_name("creditgraph"))
STORE_KEYS = ("CREDITGRAPH_BACKEND", "CREDITGRAPH_STORE", "NEO4J_URI", "NEO4J_USER",
              "NEO4J_PASSWORD", "NEO4J_DATABASE")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def leaked(text: str) -> list[str]:
    return [m for m in ID_NUMBER.findall(text)
            if classify(m).kind == "resident_id" and classify(m).valid]


def load(backend_env: dict[str, str], directory: Path) -> None:
    with open_store(Settings.from_env({**backend_env, "CREDITGRAPH_ID_KEY": SECRET.decode()})
                    ) as store:
        store.init_schema()
        load_directory(directory, StoreWriter(store), store.schema, load_spec(), SECRET,
                       directory / "report")
        propagate(store, load_rules(), AS_OF)


NAMING_PENALTY = "杭市监罚〔2026〕9001号"


def add_penalty_naming_a_person(seed: Path, answers: dict) -> None:
    """A penalty whose 处罚内容 names a person by resident ID number, as real ones do."""
    case = next(c for c in answers["cases"] if c["case"] == "commitment_breach")
    number = next(c for c in answers["cases"] if c["case"] == "phoenix_firms")["person_id"]
    with (seed / "penalties.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow([
            NAMING_PENALTY, "杭州涉案企业", case["subject"], "虚假宣传", "虚假宣传违法行为",
            f"《广告法》；当事人法定代表人（身份证号{number}）", "罚款",
            f"对当事人及其法定代表人（公民身份号码{number}）罚款", "3", "2026-10-09",
            "杭州市市场监督管理局", "", "2026-10-12", ""])


class Service:
    """The running server and what the tests need to call it."""

    def __init__(self, url: str, env: dict[str, str], keys: dict[str, str], cases: dict,
                 root: Path) -> None:
        self.url, self.env, self.keys, self.cases, self.root = url, env, keys, cases, root
        self.client = httpx.Client(base_url=url, timeout=60)

    def get(self, path: str, key: str | None = "mall", **params: object) -> httpx.Response:
        headers = {"X-API-Key": self.keys[key]} if key else {}
        return self.client.get(path, params=params, headers=headers)

    def post(self, path: str, body: object, key: str | None = "mall", **kw: object
             ) -> httpx.Response:
        headers = {"X-API-Key": self.keys[key]} if key else {}
        return self.client.post(path, json=body, headers=headers, **kw)

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([CLI, *args], env=self.env, capture_output=True, text=True,
                              timeout=120, check=False)


def start(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    with open(log, "ab") as out:  # a file, not a pipe: a full pipe would stall the server
        server = subprocess.Popen([CLI, "serve", "--port", str(port), "--address",
                                   "127.0.0.1"], env=env, stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server stopped: {log.read_text()[-2000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        time.sleep(0.3)
    stop(server)
    raise AssertionError("the server did not answer /healthz within 60 s")


def stop(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the whole group (uvicorn and any worker), then SIGKILL if it lingers."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)  # nothing of the group may survive


@pytest.fixture(scope="module", params=BACKENDS)
def service(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp(f"api-{request.param}")
    if request.param == "neo4j":
        backend_env = {**request.getfixturevalue("neo4j_schema_ready"),
                       "CREDITGRAPH_BACKEND": "neo4j"}
        with open_store(Settings.from_env(backend_env)) as store:
            store.wipe()
    else:
        backend_env = {"CREDITGRAPH_BACKEND": "embedded", "CREDITGRAPH_STORE": str(root / "store")}
    seed = root / "seed"
    answers = generate(seed, 300, seed=17)
    add_penalty_naming_a_person(seed, answers)
    load(backend_env, seed)
    log = root / "audit.log"
    audit.init(log, log.with_name("audit.log.head"))
    env = {k: v for k, v in os.environ.items() if k not in STORE_KEYS}
    env.pop("CREDITGRAPH_AUDIT_HEAD", None)
    env |= backend_env | {"CREDITGRAPH_ID_KEY": SECRET.decode(),
                          "CREDITGRAPH_API_KEYS": str(root / "api-keys.json"),
                          "CREDITGRAPH_CHECKS": str(root / "checks"),
                          "CREDITGRAPH_AUDIT_LOG": str(log)}
    keys = {}
    for name, *options in (("mall", "--role", "investigator", "--purposes",
                            "procurement,license,tender"),
                           ("housing", "--role", "viewer", "--purposes", "all"),
                           ("nopurpose", "--role", "viewer"),
                           ("slow", "--role", "viewer", "--rate", "2"),
                           ("gone", "--role", "investigator", "--purposes", "all"),
                           ("fuzz", "--role", "investigator", "--purposes", "all",
                            "--rate", "1000000")):
        made = subprocess.run([CLI, "api-keys", "add", name, *options], env=env,
                              capture_output=True, text=True, timeout=60, check=False)
        assert made.returncode == 0, made.stderr
        keys[name] = made.stdout.strip().splitlines()[-1]
    revoked = subprocess.run([CLI, "api-keys", "revoke", "gone"], env=env,
                             capture_output=True, text=True, timeout=60, check=False)
    assert revoked.returncode == 0, revoked.stderr
    port = free_port()
    server = start(env, port, root / "server.log")
    try:
        yield Service(f"http://127.0.0.1:{port}", env, keys,
                      {c["case"]: c for c in answers["cases"]}, root)
    finally:
        stop(server)


def test_key_store_keeps_hashes_only_mode_600(service):
    path = service.root / "api-keys.json"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    text = path.read_text()
    assert all(key not in text for key in service.keys.values())
    listed = service.cli("api-keys", "list", "--format", "json")
    rows = {r["name"]: r for r in json.loads(listed.stdout)}
    assert rows["gone"]["revoked"] and not rows["mall"]["revoked"]
    assert "key_hash" not in listed.stdout


def test_health_ready_and_openapi(service):
    assert service.get("/healthz", key=None).json() == {"status": "ok"}
    ready = service.get("/readyz", key=None)
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    document = service.get("/openapi.json", key=None).json()
    for path in ("/v1/subjects/{code}", "/v1/subjects/lookup", "/v1/checks",
                 "/v1/checks/{check_id}", "/v1/subjects/{code}/linked",
                 "/v1/subjects/{code}/ownership", "/v1/lists"):
        assert path in document["paths"], path
    check = document["paths"]["/v1/checks"]["post"]["responses"]
    assert {"200", "401", "403", "413", "422", "429", "503"} <= set(check)
    assert service.get("/docs", key=None).status_code == 200


def test_keys_fail_closed(service):
    red = service.cases["red_black_conflict"]["red"]
    assert service.get(f"/v1/subjects/{red}", key=None).status_code == 401
    assert service.get(f"/v1/subjects/{red}", key="gone").status_code == 401  # revoked
    forged = service.keys["mall"][:-4] + "AAAA"
    assert service.client.get(f"/v1/subjects/{red}",
                              headers={"X-API-Key": forged}).status_code == 401


def test_subject_file_and_errors(service):
    case = service.cases["repaired_versus_active"]
    active = service.get(f"/v1/subjects/{case['active_firm']}", as_of=AS_OF.isoformat())
    assert active.status_code == 200
    body = active.json()
    assert body["identity"]["uscc"] == case["active_firm"]
    assert [e["entry_id"] for e in body["entries"]] == [case["active_entry"]]
    assert "限制政府采购" in {m["measure"] for m in body["measures"]}
    assert all(m["basis"] and m["departments"] for m in body["measures"])
    repaired = service.get(f"/v1/subjects/{case['repaired_firm']}", as_of=AS_OF.isoformat())
    assert repaired.json()["entries"] == [] and repaired.json()["measures"] == []
    # 404 unknown, 422 malformed (naming what), 422 for a document number in the URL
    unknown = service.get("/v1/subjects/91330100MA2XXXXXXX")
    assert unknown.status_code == 422 and "uscc" in unknown.json()["detail"]
    head = "91330106" + "MA2H4K6P" + org_code_check_char("MA2H4K6P")  # valid, not loaded
    missing = service.get(f"/v1/subjects/{head}{uscc_check_char(head)}")
    assert missing.status_code == 404, missing.text
    junk = service.get("/v1/subjects/no-such-entity-id")
    # a text fitting no code or document shape may be an overseas entity's id: looked up, 404
    assert junk.status_code == 404 and "no subject" in junk.json()["detail"]
    passport = service.get("/v1/subjects/E12345678")  # a passport's shape: a person's number
    assert passport.status_code == 422 and "lookup" in passport.json()["detail"]
    person = service.cases["phoenix_firms"]["person_id"]
    refused = service.get(f"/v1/subjects/{person}")
    assert refused.status_code == 422 and "/v1/subjects/lookup" in refused.json()["detail"]
    assert not leaked(refused.text)


def test_lookup_by_number_in_the_body_and_names_withheld_from_viewers(service):
    case = service.cases["phoenix_firms"]
    found = service.post("/v1/subjects/lookup", {"code": case["person_id"]}, key="housing")
    assert found.status_code == 200
    identity = found.json()["identity"]
    assert identity["name"] == case["person_name"]  # the viewer sent the number itself
    assert identity["id_masked"] and not leaked(found.text)
    # by the person's key in a URL, a viewer gets no name; an investigator does
    by_key = service.get(f"/v1/subjects/{identity['key']}", key="housing")
    assert by_key.status_code == 200 and by_key.json()["identity"]["name"] is None
    assert service.get(f"/v1/subjects/{identity['key']}").json()["identity"]["name"] == \
        case["person_name"]
    firm = service.get(f"/v1/subjects/{case['phoenix_firms'][0]}", key="housing").json()
    persons = [r for r in firm["relations"] if r["other_label"] == "Person"]
    assert persons and all(r["other_name"] is None and r["explanation"] is None
                           for r in persons)


def test_checks_by_purpose_repair_and_as_of(service):
    case = service.cases["repaired_versus_active"]
    active, repaired = case["active_firm"], case["repaired_firm"]
    asked = service.post("/v1/checks", {"purpose": "procurement", "as_of": AS_OF.isoformat(),
                                        "subjects": [active, repaired, "91330100MA2XXXXXXX"]})
    assert asked.status_code == 200, asked.text
    record = asked.json()
    results = {r["code"]: r for r in record["results"]}
    assert results[active]["verdict"] == "restricted"
    assert [m["measure"] for m in results[active]["measures"]] == ["限制政府采购"]
    assert results[active]["own_entries"][0]["entry_id"] == case["active_entry"]
    assert results[repaired]["verdict"] != "restricted"
    assert results[repaired]["own_entries"] == [] and results[repaired]["measures"] == []
    assert not any(case["repaired_entry"] in r for r in results[repaired]["reasons"])
    assert results["91330100MA2XXXXXXX"]["found"] is False
    # licensing: the court-debtor measures do not reach it, the entry only calls for review
    license_check = service.post("/v1/checks", {"purpose": "license", "subjects": [active],
                                                "as_of": AS_OF.isoformat()}).json()
    assert license_check["results"][0]["verdict"] == "review"
    assert license_check["results"][0]["measures"] == []
    # before the listing (2025-01-01) nothing restricts the firm
    before = service.post("/v1/checks", {"purpose": "procurement", "subjects": [active],
                                         "as_of": "2024-06-01"}).json()
    assert before["results"][0]["verdict"] != "restricted"
    assert before["results"][0]["own_entries"] == []
    # the red-listed firm near a black-listed one: incentives withheld
    red = service.cases["red_black_conflict"]
    answer = service.post("/v1/checks", {"purpose": "tender", "subjects": [red["red"]],
                                         "as_of": AS_OF.isoformat()}).json()["results"][0]
    assert answer["incentives"]["withheld"] is True and answer["incentives"]["measures"] == []
    assert red["black"] in {row["subject_id"] for row in answer["linked"]}


def test_check_errors(service):
    active = service.cases["repaired_versus_active"]["active_firm"]
    assert service.post("/v1/checks", {"purpose": "bond", "subjects": [active]}
                        ).status_code == 403  # mall may not check bonds
    assert service.post("/v1/checks", {"purpose": "procurement", "subjects": [active]},
                        key="nopurpose").status_code == 403
    too_many = service.post("/v1/checks", {"purpose": "procurement",
                                           "subjects": [active] * 1001})
    assert too_many.status_code == 422
    assert service.post("/v1/checks", {"purpose": "lottery", "subjects": [active]}
                        ).status_code == 422
    person = service.cases["phoenix_firms"]["person_id"]
    invalid = service.post("/v1/checks", {"purpose": "procurement",
                                          "subjects": [person] * 1001})
    assert invalid.status_code == 422 and not leaked(invalid.text)  # never echoes input
    huge = service.client.post("/v1/checks", content=b"x" * (300 * 1024),
                               headers={"X-API-Key": service.keys["mall"],
                                        "Content-Type": "application/json"})
    assert huge.status_code == 413
    assert service.get("/v1/checks/0123456789abcdef0123456789abcdef").status_code == 404
    theirs = service.post("/v1/checks", {"purpose": "procurement", "subjects": [active]},
                          key="housing").json()["check_id"]
    assert service.get(f"/v1/checks/{theirs}").status_code == 404  # another key's check


def test_rate_limit_answers_429_with_retry_after(service):
    red = service.cases["red_black_conflict"]["red"]
    statuses = [service.get("/v1/lists", key="slow", kind="red", limit=1).status_code
                for _ in range(3)]
    assert statuses[:2] == [200, 200] and statuses[2] == 429
    limited = service.get("/v1/lists", key="slow", kind="red")
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert service.get(f"/v1/subjects/{red}").status_code == 200  # other keys unaffected


def test_network_endpoints_for_investigators(service):
    case = service.cases["foreign_rep_black_listed"]
    linked = service.get(f"/v1/subjects/{case['subject']}/linked", max_hops=2,
                         as_of=AS_OF.isoformat())
    assert linked.status_code == 200
    assert case["listed_firm"] in {r["subject_id"] for r in linked.json()["linked"]}
    assert service.get(f"/v1/subjects/{case['subject']}/linked",
                       key="housing").status_code == 403
    owned = service.cases["hidden_control"]
    owners = service.get(f"/v1/subjects/{owned['target']}/ownership", as_of=AS_OF.isoformat())
    assert owners.status_code == 200
    shares = {o["owner_id"]: o["share"] for o in owners.json()["owners"]}
    assert owned["chain"][0] in shares
    assert service.get(f"/v1/subjects/{owned['target']}/ownership",
                       max_hops=9).status_code == 200  # unknown parameters are ignored
    assert service.get(f"/v1/subjects/{case['subject']}/linked",
                       max_hops=9).status_code == 422


def test_lists_are_paged_with_a_cursor(service):
    seen, cursor, pages = [], None, 0
    while True:
        params = {"kind": "black", "limit": 3, "as_of": AS_OF.isoformat()}
        if cursor:
            params["cursor"] = cursor
        page = service.get("/v1/lists", **params)
        assert page.status_code == 200
        body = page.json()
        seen += [row["entry_id"] for row in body["entries"]]
        pages += 1
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert pages > 1 and len(seen) == len(set(seen)) and seen == sorted(seen)
    case = service.cases["repaired_versus_active"]
    assert case["active_entry"] in seen and case["repaired_entry"] not in seen
    assert service.get("/v1/lists", kind="grey").status_code == 422
    assert service.get("/v1/lists", kind="black", cursor="%%%").status_code == 422
    for not_a_date in ("0.0", "20260102", "2026-1-2"):  # pydantic alone read 0.0 as 1970
        assert service.get("/v1/lists", kind="black", since=not_a_date).status_code == 422
    viewer = service.get("/v1/lists", key="housing", kind="black", limit=500).json()
    assert all(r["name"] is None for r in viewer["entries"] if r["label"] == "Person")
    district = service.get("/v1/lists", kind="black", district="9999", limit=500).json()
    assert district["entries"] == []


def test_api_and_cli_give_the_same_measures(service):
    case = service.cases["repaired_versus_active"]
    for code in (case["active_firm"], service.cases["red_black_conflict"]["red"]):
        cli = service.cli("sanctions", "--subject", code, "--as-of", AS_OF.isoformat(),
                          "--format", "json")
        assert cli.returncode == 0, cli.stderr
        from_cli = sorted((r["measure"], r["entry_id"]) for r in json.loads(cli.stdout))
        api = service.get(f"/v1/subjects/{code}", as_of=AS_OF.isoformat()).json()
        assert from_cli == sorted((m["measure"], m["entry_id"]) for m in api["measures"])
        assert from_cli


def test_every_call_audited_without_id_numbers(service):
    service.post("/v1/subjects/lookup", {"code": service.cases["phoenix_firms"]["person_id"]})
    # a type given in Chinese is read; an unknown one is a 422; a number typed only by the
    # body's doc_type is still masked in the record; an unmatched path is not recorded raw
    typed = service.post("/v1/subjects/lookup", {"code": "X7654321", "doc_type": "护照"})
    assert typed.status_code == 404, typed.text
    assert service.post("/v1/subjects/lookup", {"code": "X7654321", "doc_type": "驾驶证"}
                        ).status_code == 422
    assert service.get("/v1/subjects/X7654321/nowhere").status_code == 404
    count, problems = audit.verify(service.root / "audit.log",
                                   service.root / "audit.log.head")
    assert problems == [] and count > 10
    text = (service.root / "audit.log").read_text()
    records = [json.loads(line) for line in text.splitlines()]
    calls = [r for r in records if r["action"] == "api-call"]
    assert {r["details"]["status"] for r in calls} >= {200, 401, 403, 404, 422}
    lookups = [r for r in calls if r["details"]["endpoint"] == "/v1/subjects/lookup"]
    assert lookups[-1]["user"] == "mall" and "*" in lookups[-1]["details"]["codes"][0]
    assert not leaked(text.encode().decode("unicode_escape"))
    assert "X7654321" not in text and "<unmatched>" in text
    for stored in (service.root / "checks").glob("*.json"):
        assert not leaked(stored.read_text())
        assert oct(stored.stat().st_mode & 0o777) == "0o600"


def test_audit_failure_answers_503(service):
    head = service.root / "audit.log.head"
    aside = head.with_name("head.aside")
    shutil.move(head, aside)
    try:
        red = service.cases["red_black_conflict"]["red"]
        answer = service.get(f"/v1/subjects/{red}")
        assert answer.status_code == 503 and "audit" in answer.json()["detail"]
        stored = set((service.root / "checks").glob("*.json"))
        refused = service.post("/v1/checks", {"purpose": "procurement", "subjects": [red]})
        assert refused.status_code == 503 and "audit" in refused.json()["detail"]
        assert set((service.root / "checks").glob("*.json")) == stored  # nothing kept
    finally:
        shutil.move(aside, head)
    assert service.get(f"/v1/subjects/{red}").status_code == 200
    answered = service.post("/v1/checks", {"purpose": "procurement", "subjects": [red]}).json()
    records = [json.loads(line) for line in
               (service.root / "audit.log").read_text().splitlines()]
    mine = [r for r in records if r["details"].get("check_id") == answered["check_id"]]
    assert [(r["action"], r["details"]["status"], r["details"]["verdicts"]) for r in mine] == [
        ("api-call", 200, [answered["results"][0]["verdict"]])]  # one record for the call


def test_stored_check_unchanged_after_a_later_load(service):
    case = service.cases["repaired_versus_active"]
    first = service.post("/v1/checks", {"purpose": "procurement",
                                        "subjects": [case["active_firm"], case["subject"]],
                                        "as_of": AS_OF.isoformat()}).json()
    more = service.root / "more"
    generate(more, 50, seed=99)
    backend_env = {k: service.env[k] for k in STORE_KEYS if k in service.env}
    load(backend_env, more)  # the server holds the store only while it answers
    again = service.post("/v1/checks", {"purpose": "procurement",
                                        "subjects": [case["active_firm"]]}).json()
    assert again["snapshot"] != first["snapshot"]  # the data did change
    stored = service.get(f"/v1/checks/{first['check_id']}")
    assert stored.status_code == 200 and stored.json() == first


def test_penalties_only_inside_their_publication_window_and_commitment_breaches(service):
    """The planted breach: a 安全生产 commitment of 2016-01-10, a 安全生产 penalty of
    2016-05-03. Work-safety penalties are public at least a year (repair from 2017-05-03) and
    at most three (to 2019-05-02, publication/periods.yaml)."""
    case = service.cases["commitment_breach"]
    path = f"/v1/subjects/{case['subject']}"
    during = service.get(path, as_of="2017-01-01").json()
    shown = {p["decision_no"]: p for p in during["penalties"]}
    penalty = shown[case["penalty"]]
    assert (penalty["published_from"], penalty["repair_from"], penalty["published_until"]) == (
        "2016-05-03", "2017-05-03", "2019-05-02")
    assert penalty["publication_domain"] == "安全生产" and "第58号" in penalty[
        "publication_basis"] and penalty["repairable"] is True
    commitment = {c["commitment_id"]: c for c in during["commitments"]}[case["commitment"]]
    assert commitment["breached"] is True
    assert [b["decision_no"] for b in commitment["breaches"]] == [case["penalty"]]
    last_day = service.get(path, as_of="2019-05-02").json()
    assert case["penalty"] in {p["decision_no"] for p in last_day["penalties"]}
    after = service.get(path, as_of="2019-05-03").json()
    assert case["penalty"] not in {p["decision_no"] for p in after["penalties"]}
    commitment = {c["commitment_id"]: c for c in after["commitments"]}[case["commitment"]]
    assert commitment["breached"] is False and commitment["breaches"] == []
    before = service.get(path, as_of="2016-03-01").json()  # committed, not yet penalised
    commitment = {c["commitment_id"]: c for c in before["commitments"]}[case["commitment"]]
    assert commitment["breached"] is False
    assert case["penalty"] not in {p["decision_no"] for p in before["penalties"]}


# -- contract: Schemathesis against the running server's own OpenAPI document ----------------

FUZZ_EXAMPLES = 25  # per operation and mode: about 450 generated calls per backend


@pytest.mark.parametrize("mode", list(schemathesis.GenerationMode), ids=str)
def test_contract_no_5xx_and_every_answer_matches_its_schema(service, mode):
    """Generated calls to every operation of /openapi.json, valid (positive) and invalid
    (negative) data: never a 5xx, every status documented, every body as the document says,
    invalid data refused. Bounded: FUZZ_EXAMPLES per operation, no deadline per call."""
    schema = schemathesis.openapi.from_url(f"{service.url}/openapi.json")
    schema.config.update(base_url=service.url, headers={"X-API-Key": service.keys["fuzz"]})
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9  # healthz, readyz, subjects (4), checks (2), lists
    calls = []
    for operation in operations:
        if mode is schemathesis.GenerationMode.NEGATIVE and not (
                list(operation.iter_parameters()) or operation.body):
            continue  # nothing to send wrong (/healthz, /readyz)

        @hypothesis.settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True,
                             suppress_health_check=list(hypothesis.HealthCheck),
                             phases=[hypothesis.Phase.generate])
        @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
        def fuzz(case: schemathesis.Case) -> None:
            # Every code carries a check digit JSON Schema cannot express: a well-formed but
            # wrong USCC is rightly 422 (documented), so "schema-valid data is accepted" is
            # left out; every other check runs (no 5xx, status, body and headers as documented,
            # invalid data refused, ...).
            response = case.call_and_validate(
                timeout=120, excluded_checks=[schemathesis.checks.positive_data_acceptance])
            calls.append(response.status_code)

        fuzz()
    assert len(calls) >= 100, len(calls)


def test_free_text_of_penalties_has_every_number_masked(service):
    number = service.cases["phoenix_firms"]["person_id"]
    firm = service.cases["commitment_breach"]["subject"]
    for key in ("housing", "mall"):  # a viewer and an investigator
        answer = service.get(f"/v1/subjects/{firm}", key=key, as_of=AS_OF.isoformat())
        assert answer.status_code == 200, answer.text
        penalty = {p["decision_no"]: p for p in answer.json()["penalties"]}[NAMING_PENALTY]
        assert penalty["content"].startswith("对当事人及其法定代表人（公民身份号码")
        assert "*" in penalty["content"] and "*" in penalty["basis"]
        assert number not in answer.text and not leaked(answer.text)


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:  # the parent pid, after the state field
                found.append(int(stat.parent.name))
    return found


def _workers(pid: int) -> list[int]:
    """The server's worker processes (not multiprocessing's resource tracker)."""
    found = []
    for child in _children(pid):
        with contextlib.suppress(OSError):
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(child)
    return found


def _connections_to(port: int, pids: list[int]) -> dict[int, int]:
    """Established connections to ``port`` held by each process (from /proc/net/tcp)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == "01":
            inodes.add(f"socket:[{fields[9]}]")
    held = {}
    for pid in pids:
        links = []
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                links.append(os.readlink(fd))
        held[pid] = sum(link in inodes for link in links)
    return held


def test_workers_share_the_connections_and_stop_together(service):
    """``serve --workers 2``: kept-alive connections are spread over both workers (each
    listens on the port itself), a second server on the same port is refused, a worker that
    dies is replaced, and SIGTERM to the supervisor stops every worker and frees the port."""
    port = free_port()
    log = service.root / "workers.log"
    with open(log, "ab") as out:
        server = subprocess.Popen([CLI, "serve", "--port", str(port), "--workers", "2"],
                                  env=service.env, stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while len(_workers(server.pid)) < 2 or not _answers(url):
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.3)
        time.sleep(2)  # both workers listening: each started its app
        second = service.cli("serve", "--port", str(port), "--workers", "2")
        assert second.returncode != 0 and "Address already in use" in second.stderr
        clients = [httpx.Client(base_url=url, timeout=30) for _ in range(16)]
        try:
            assert all(c.get("/healthz").status_code == 200 for c in clients)
            workers = _workers(server.pid)
            held = _connections_to(port, workers)
            assert len(held) == 2 and sum(held.values()) == 16, held
            assert min(held.values()) >= 1, held  # not every connection on one worker
        finally:
            for client in clients:
                client.close()
        os.kill(workers[0], signal.SIGKILL)  # a worker that dies is replaced
        deadline = time.monotonic() + 60
        # replaced, and answering: a request the kernel hands to the new worker waits in its
        # queue until its app has started (seconds on a slow machine)
        while len(set(_workers(server.pid)) - {workers[0]}) < 2 or not _answers(url):
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.3)
        workers = _workers(server.pid)
        os.kill(server.pid, signal.SIGTERM)  # the supervisor alone, not its group
        assert server.wait(timeout=30) == 0
        assert not [p for p in workers if Path(f"/proc/{p}").exists()]
        assert not _answers(url)
    finally:
        stop(server)


def _answers(url: str) -> bool:
    with contextlib.suppress(httpx.HTTPError):
        return httpx.get(f"{url}/healthz", timeout=2).status_code == 200
    return False
