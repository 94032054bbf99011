"""Every subject a real registry holds, through the real loader on both backends: persons with
any identity document, overseas entities, persons named without a number."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from creditgraph.graph.documents import check_document, document_key
from tests.graph.test_documents import FOREIGN_2023, HK_RESIDENCE, TW_RESIDENCE
from tests.loaders.test_loaders import issues, load, write_csv
from tests.shared import SECRET

E1, E2, E3 = "91330106143912349L", "91330108577822332C", "91330105350045671D"
PERSONS = ["id_number", "id_type", "nationality", "name"]
RELATIONS = ["source_id", "source_id_type", "source_name", "relation", "target_id", "ratio",
             "start_date"]
DOCUMENTS = [  # number, 证件类型 as written (or empty), nationality, name
    ("E12345678", "", "美国", "John Smith"),
    ("H01234567", "", "", "陈大文"),
    ("12345678", "台湾居民来往大陆通行证", "", "林志明"),
    (HK_RESIDENCE, "港澳台居民居住证", "", "黄家驹"),
    (TW_RESIDENCE, "", "", "王小明"),
    (FOREIGN_2023, "", "", "Anna Müller"),
    ("P9876543", "护照", "Germany", "Hans Weber"),
]


def persons_feed(tmp_path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    directory = tmp_path / f"feed-{len(list(tmp_path.glob('feed-*')))}"
    directory.mkdir()
    write_csv(directory / "enterprises.csv", ["uscc", "name"], [
        [E1, "杭州西湖龙井茶业有限公司"], [E2, "杭州滨江云图科技有限公司"],
        [E3, "杭州上城区某某贸易有限公司"]])
    write_csv(directory / "persons.csv", PERSONS, [list(r) for r in rows])
    return directory


def key_of(number: str, doc_type: str | None = None) -> str:
    return document_key(check_document(number, doc_type), SECRET)


def test_persons_with_every_document_type_load_keyed_and_masked(store, tmp_path):
    report = load(store, persons_feed(tmp_path, DOCUMENTS), tmp_path)
    assert report.files[-1].loaded == len(DOCUMENTS) and report.totals()["rejected"] == 0
    people = {row["name"]: row for row in store.read(
        "MATCH (p:Person) RETURN p.pid AS pid, p.name AS name, p.id_type AS t, "
        "p.id_masked AS m, p.nationality AS n")}
    assert {n: (p["t"], p["m"], p["n"]) for n, p in people.items()} == {
        "John Smith": ("passport", "E******78", "US"),
        "陈大文": ("hk_macao_permit", "H******67", "HK"),
        "林志明": ("taiwan_permit", "1*****78", "TW"),
        "黄家驹": ("hmt_residence", HK_RESIDENCE[:6] + "********" + HK_RESIDENCE[-4:], "HK"),
        "王小明": ("hmt_residence", TW_RESIDENCE[:6] + "********" + TW_RESIDENCE[-4:], "TW"),
        "Anna Müller": ("foreign_permanent", FOREIGN_2023[:6] + "********" + FOREIGN_2023[-4:],
                        "US"),
        "Hans Weber": ("passport", "P*****43", "DE"),
    }
    assert people["林志明"]["pid"] == key_of("12345678", "taiwan_permit")
    text = repr(store.read("MATCH (n) RETURN n")) + repr(store.read("MATCH ()-[r]->() RETURN r"))
    text += Path(report.rejects_file).read_text() + Path(report.warnings_file).read_text()
    for number, *_ in DOCUMENTS:
        assert number not in text


def test_bad_numbers_of_each_type_are_rejected_naming_type_and_reason(store, tmp_path):
    bad = [
        ("E1", "护照", "", "a"),                                   # passport format
        ("H1234567", "港澳居民来往内地通行证", "", "b"),              # permit format
        ("1234567", "台湾居民来往大陆通行证", "", "c"),
        (HK_RESIDENCE[:-1] + ("0" if HK_RESIDENCE[-1] != "0" else "1"), "港澳台居民居住证", "", "d"),
        (FOREIGN_2023[:-2] + "X1", "外国人永久居留身份证", "", "e"),
        ("12345678", "", "", "f"),                                 # ambiguous without a type
        ("E12345678", "驾驶证", "", "g"),                           # unknown type
        ("E12345678", "护照", "Atlantis", "h"),                    # unknown nationality
        ("330105198207053515", "", "", "i"),                       # resident ID check digit
    ]
    report = load(store, persons_feed(tmp_path, bad), tmp_path)
    rejects = {r["line"]: (r["column"], r["reason"], r["value"])
               for r in issues(report.rejects_file)}
    assert len(rejects) == len(bad) and report.files[-1].loaded == 0
    assert rejects["2"][1].startswith("护照 number: a passport number is 5-20")
    assert rejects["3"][1].startswith("港澳居民来往内地通行证 number:")
    assert rejects["4"][1].startswith("台湾居民来往大陆通行证 number:")
    assert "check character" in rejects["5"][1]
    assert rejects["6"][1].startswith("外国人永久居留身份证 number:")
    assert "give the 证件类型" in rejects["7"][1]
    assert rejects["8"][0] == "id_type" and "unknown 证件类型 '驾驶证'" in rejects["8"][1]
    assert "nationality" in rejects["9"][1]
    assert "check character" in rejects["10"][1]
    for number, _, _, name in bad:
        if len(number) >= 8:
            assert not any(number in " ".join(r) for r in rejects.values()), name


def test_two_types_sharing_a_number_are_two_people(store, tmp_path):
    load(store, persons_feed(tmp_path, [("12345678", "台湾居民来往大陆通行证", "", "林志明"),
                                        ("12345678", "护照", "新加坡", "Tan Ah Kow")]), tmp_path)
    assert sorted(r["name"] for r in store.read("MATCH (p:Person) RETURN p.name AS name")) == [
        "Tan Ah Kow", "林志明"]


def test_a_foreign_legal_representative_and_documents_in_relations(store, tmp_path):
    directory = persons_feed(tmp_path, DOCUMENTS)
    write_csv(directory / "enterprises.csv",
              ["uscc", "name", "legal_rep_id", "legal_rep_id_type", "legal_rep_nationality",
               "legal_rep_name"],
              [[E1, "杭州西湖龙井茶业有限公司", "E12345678", "护照", "US", "John Smith"],
               [E2, "杭州滨江云图科技有限公司", "K0000001", "护照", "XX", "Nobody"]])
    write_csv(directory / "relations.csv", RELATIONS, [
        ["H01234567", "", "", "SHAREHOLDER_OF", E1, "20%", "2019-01-01"],
        ["12345678", "台湾居民来往大陆通行证", "", "EXECUTIVE_OF", E2, "", "2020-01-01"],
        ["12345678", "", "", "EXECUTIVE_OF", E2, "", "2020-01-01"],  # ambiguous: rejected
    ])
    report = load(store, directory, tmp_path)
    assert [(r["line"], r["column"]) for r in issues(report.rejects_file)] == [("4", "source_id")]
    warned = [w for w in issues(report.warnings_file) if w["column"] == "legal_rep_id"]
    assert warned and "not linked" in warned[0]["reason"]
    rows = []
    for rel_type in ("LEGAL_REP_OF", "SHAREHOLDER_OF", "EXECUTIVE_OF"):
        rows += [r | {"t": rel_type} for r in store.read(
            f"MATCH (p:Person)-[:{rel_type}]->(e:Enterprise) RETURN p.name AS p, e.uscc AS e")]
    assert sorted(rows, key=lambda r: r["p"]) == [{"p": "John Smith", "t": "LEGAL_REP_OF", "e": E1},
                    {"p": "林志明", "t": "EXECUTIVE_OF", "e": E2},
                    {"p": "陈大文", "t": "SHAREHOLDER_OF", "e": E1}]


def test_overseas_entities_load_and_hold_shares(store, tmp_path):
    directory = persons_feed(tmp_path, [])
    write_csv(directory / "overseas_entities.csv",
              ["境外主体编号", "名称", "中文名称", "国别/地区", "境外注册号"], [
                  ["HK-0001", "Golden Bridge Holdings Limited", "金桥控股有限公司", "中国香港", "2345678"],
                  ["VG-0002", "Blue Ocean Ventures Inc.", "", "VG", ""],
                  ["XX-0003", "Nowhere Ltd", "", "Atlantis", ""],
              ])
    write_csv(directory / "relations.csv", RELATIONS, [
        ["HK-0001", "", "", "SHAREHOLDER_OF", E2, "40%", "2016-01-01"],
        ["VG-0002", "", "", "实际控制人", E1, "", "2018-01-01"],
        [E3, "", "", "BRANCH_OF", "HK-0001", "", "2017-01-01"],
        ["XX-0003", "", "", "SHAREHOLDER_OF", E1, "10%", ""],   # its entity was rejected
    ])
    report = load(store, directory, tmp_path)
    rejects = issues(report.rejects_file)
    assert [(r["file"], r["line"], r["column"]) for r in rejects] == [
        ("overseas_entities.csv", "4", "country"), ("relations.csv", "5", "source_id")]
    assert store.read("MATCH (o:OverseasEntity) RETURN o.entity_id AS id, o.country AS c, "
                      "o.name_zh AS zh ORDER BY id") == [
        {"id": "HK-0001", "c": "HK", "zh": "金桥控股有限公司"},
        {"id": "VG-0002", "c": "VG", "zh": None}]
    assert store.read("MATCH (o:OverseasEntity)-[r:SHAREHOLDER_OF]->(e:Enterprise) "
                      "RETURN o.entity_id AS o, e.uscc AS e, r.ratio AS q") == [
        {"o": "HK-0001", "e": E2, "q": 0.4}]
    assert store.read("MATCH (e:Enterprise)-[:BRANCH_OF]->(o:OverseasEntity) "
                      "RETURN e.uscc AS e, o.entity_id AS o") == [{"e": E3, "o": "HK-0001"}]
    again = load(store, directory, tmp_path)  # a reload merges, adds nothing
    assert again.totals()["loaded"] == 0


def test_a_name_only_shareholder_is_scoped_to_its_firm_until_a_number_resolves_it(store,
                                                                                  tmp_path):
    directory = persons_feed(tmp_path, [("E12345678", "", "美国", "John Smith")])
    write_csv(directory / "relations.csv", RELATIONS, [
        ["", "", "李四", "SHAREHOLDER_OF", E1, "10%", ""],
        ["330105********3514", "", "李四", "SHAREHOLDER_OF", E2, "5%", ""],
        ["", "", "John Smith", "SHAREHOLDER_OF", E1, "30%", "2016-01-01"],
        ["", "", "李四", "配偶", E2, "", ""],   # only a firm's shareholders and officers
    ])
    report = load(store, directory, tmp_path)
    assert [(r["line"], r["column"]) for r in issues(report.rejects_file)] == [
        ("5", "source_id")]
    assert any("3 row(s) name a natural person without a document number" in note
               for note in report.notes)
    unresolved = store.read("MATCH (p:Person) WHERE p.unresolved = true RETURN p.name AS n, "
                            "p.scope AS s, p.id_masked AS m ORDER BY n, s")
    assert unresolved == [{"n": "John Smith", "s": E1, "m": None},
                          {"n": "李四", "s": E1, "m": None},
                          {"n": "李四", "s": E2, "m": "330105********3514"}]  # never merged

    # a row with the number and the same name in the same firm resolves John Smith of E1
    write_csv(directory / "relations.csv", RELATIONS, [
        ["E12345678", "护照", "John Smith", "SHAREHOLDER_OF", E1, "30%", "2016-01-01"]])
    report = load(store, directory, tmp_path)
    assert any("1 unresolved person(s) resolved" in note for note in report.notes)
    real = key_of("E12345678")
    placeholder = store.read("MATCH (p:Person) WHERE p.unresolved = true AND "
                             "p.name = 'John Smith' RETURN p.resolved_to AS to, "
                             "p.resolved_by AS by")
    assert placeholder[0]["to"] == real and "relations.csv" in placeholder[0]["by"]
    in_force = store.read(
        "MATCH (p:Person)-[r:SHAREHOLDER_OF]->(e:Enterprise {uscc: $e}) "
        "WHERE (r.end_date IS NULL OR r.end_date >= $day) RETURN p.name AS n, r.ratio AS q, "
        "p.unresolved AS u ORDER BY n", {"e": E1, "day": dt.date(2020, 1, 1)})
    assert in_force == [{"n": "John Smith", "q": 0.3, "u": None},
                        {"n": "李四", "q": 0.1, "u": True}]  # the placeholder no longer counts

    # the old public row, loaded again, now links to the resolved person
    write_csv(directory / "relations.csv", RELATIONS, [
        ["", "", "John Smith", "SHAREHOLDER_OF", E1, "30%", "2016-01-01"]])
    load(store, directory, tmp_path)
    assert store.read("MATCH (p:Person {pid: $pid})-[r:SHAREHOLDER_OF]->() "
                      "RETURN count(r) AS n", {"pid": real}) == [{"n": 1}]


def test_a_document_number_names_its_subject_in_queries(store, tmp_path):
    from creditgraph.queries.subjects import UnknownSubject, resolve

    load(store, persons_feed(tmp_path, [("12345678", "台湾居民来往大陆通行证", "", "林志明"),
                                        ("E12345678", "", "美国", "John Smith")]), tmp_path)
    assert resolve(store, "E12345678", SECRET).name == "John Smith"
    assert resolve(store, "台湾居民来往大陆通行证:12345678", SECRET).name == "林志明"
    assert resolve(store, "12345678", SECRET, "taiwan_permit").name == "林志明"
    try:
        resolve(store, "12345678", SECRET)
        raise AssertionError("an ambiguous number must not resolve")
    except UnknownSubject as exc:
        assert "证件类型" in str(exc) and "12345678" not in str(exc)



def test_a_number_given_first_resolves_a_name_only_row_that_comes_later(store, tmp_path):
    directory = persons_feed(tmp_path, [("E12345678", "", "美国", "John Smith")])
    write_csv(directory / "relations.csv", RELATIONS, [
        ["E12345678", "护照", "John Smith", "SHAREHOLDER_OF", E1, "30%", "2016-01-01"]])
    load(store, directory, tmp_path)
    write_csv(directory / "relations.csv", RELATIONS, [   # a later public list: name only,
        ["E1234****", "", "John Smith", "SHAREHOLDER_OF", E1, "30%", "2016-01-01"]])  # masked
    load(store, directory, tmp_path)
    holders = store.read("MATCH (p:Person)-[r:SHAREHOLDER_OF]->(:Enterprise {uscc: $e}) "
                         "WHERE r.end_date IS NULL RETURN p.name AS n, p.unresolved AS u",
                         {"e": E1})
    assert holders == [{"n": "John Smith", "u": None}]  # the real person, counted once
    stored = store.read("MATCH (p:Person) WHERE p.unresolved = true RETURN p.resolved_to AS to, "
                        "p.id_masked AS m")
    assert stored == [{"to": key_of("E12345678"), "m": None}]
