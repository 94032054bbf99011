"""Planted cases: small situations with known answers, written among the synthetic data, for
tests and demos of every finding the product promises. Their subjects use trade names and
persons no random row refers to, so each answer holds exactly. answers.json names the planted
persons by their (synthetic) ID numbers too: masked forms can coincide."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from creditgraph.graph.identifiers import mask_resident_id, org_code_check_char, uscc_check_char
from creditgraph.policy import workdays
from creditgraph.seed import foreign
from creditgraph.seed import vocabulary as v

if TYPE_CHECKING:
    from creditgraph.seed.generator import Generator

# Trade-name characters no random name uses.
PLANT_CHARS = "琨璟翊骐淞邺溱峤岚芃珩琛"


def _firm_code(serial: int, division: str) -> str:
    body = f"MAPL{serial:04d}"
    head = "91" + division + body + org_code_check_char(body)
    return head + uscc_check_char(head)


class Planter:
    def __init__(self, gen: Generator) -> None:
        assert not set(PLANT_CHARS) & set(v.TRADE_CHARS)
        self.gen = gen
        self.next_person = gen.persons  # beyond every random reference
        self.next_foreign = gen.foreign_persons + 500  # beyond random and dirty ones too
        self.next_firm = 0

    def person(self) -> tuple[int, str, str]:
        p = self.next_person
        self.next_person += 1
        rid, name = self.gen.resident_id(p), self.gen.person_name(p)
        self.gen.files.row("persons", [rid, "", "", name, f"1380000{p % 10000:04d}",
                                       "杭州市西湖区"])
        return p, rid, name

    def passport_holder(self, country: str, nationality: str) -> foreign.Document:
        doc = foreign.passport_holder(self.gen.seed, self.next_foreign, country, nationality)
        self.next_foreign += 1
        self.gen.files.row("persons", [doc.number, doc.type_word, doc.nationality, doc.name,
                                       "", "杭州市滨江区"])
        return doc

    def firm(self, label: str, established: dt.date, rep: str, rep_name: str,
             address: str | None = None, phone: str | None = None,
             division: str = "330106", rep_type: str = "",
             rep_nationality: str = "") -> tuple[str, str]:
        serial = self.next_firm
        self.next_firm += 1
        code = _firm_code(serial, division)
        name = f"杭州{PLANT_CHARS[serial % len(PLANT_CHARS)]}{label}有限公司"
        self.gen.files.row("enterprises", [
            code, name, "", "", division,
            address or f"杭州市西湖区天目山路{200 + serial}号", phone or f"0571-8770{serial:04d}",
            established.isoformat(), "存续", "批发业", "500", rep, rep_type, rep_nationality,
            rep_name])
        return code, name

    def relation(self, source: str, relation: str, target: str, ratio: str = "",
                 role: str = "", kind: str = "", start: str = "", source_type: str = "",
                 source_name: str = "") -> None:
        self.gen.relation(source, relation, target, ratio, role, kind, start,
                          source_type=source_type, source_name=source_name)


def plant(gen: Generator) -> list[dict[str, Any]]:
    p = Planter(gen)
    cases: list[dict[str, Any]] = []

    # 1. Phoenix firms: a black-listed legal representative founds new companies afterwards.
    _, ph, ph_name = p.person()
    old, _ = p.firm("恒昌建材", dt.date(2010, 5, 1), ph, ph_name)
    listed = dt.date(2025, 3, 1)
    entry = gen.list_entry(ph, ph_name, "black", v.PERSON_BLACK_LISTS[0], listed, "active")
    new1, _ = p.firm("新昌贸易", dt.date(2025, 6, 1), ph, ph_name)
    new2, _ = p.firm("鑫昌建材", dt.date(2025, 9, 15), ph, ph_name)
    cases.append({"case": "phoenix_firms", "person": mask_resident_id(ph), "person_id": ph,
                  "person_name": ph_name, "black_entry": entry, "listed_on": listed.isoformat(),
                  "earlier_firm": old, "phoenix_firms": [new1, new2],
                  "expected": "both firms were founded by the person after the listing"})

    # 2. Control hidden behind a three-level ownership chain.
    _, hc, hc_name = p.person()
    reps = [p.person() for _ in range(3)]
    chain = [p.firm(label, dt.date(2012 + k, 3, 1), reps[k][1], reps[k][2])[0]
             for k, label in enumerate(("控股投资", "实业", "科技"))]
    p.relation(hc, "股东", chain[0], "60%", start="2012-03-01")
    p.relation(chain[0], "股东", chain[1], "70%", start="2013-03-01")
    p.relation(chain[1], "股东", chain[2], "80%", start="2014-03-01")
    cases.append({"case": "hidden_control", "person": mask_resident_id(hc), "person_id": hc,
                  "person_name": hc_name,
                  "chain": chain, "target": chain[2], "cumulative_share": 0.336,
                  "shares": {chain[0]: 0.6, chain[1]: 0.42, chain[2]: 0.336},
                  "expected": "beneficial owner (>= 25%) of the last firm only through the chain"})

    # 3. A civil servant who is legal representative and shareholder of enterprises.
    cs1, cs1_id, cs1_name = p.person()
    gen.civil_servant(cs1, "市市场监管局", "副处长")
    run_firm, _ = p.firm("咨询服务", dt.date(2015, 8, 1), cs1_id, cs1_name)
    _, other_rep, other_rep_name = p.person()
    held, _ = p.firm("电子商务", dt.date(2016, 2, 1), other_rep, other_rep_name)
    p.relation(cs1_id, "股东", held, "30%", start="2016-02-01")
    cases.append({"case": "civil_servant_for_profit", "person": mask_resident_id(cs1_id),
                  "person_id": cs1_id,
                  "person_name": cs1_name, "department": gen.departments["市市场监管局"][0],
                  "legal_rep_of": [run_firm], "shareholder_of": [held],
                  "expected": "for-profit activity (公务员法 art. 59)"})

    # 4. A civil servant whose relative controls a supplier that won procurement from the
    #    servant's own department.
    cs2, cs2_id, cs2_name = p.person()
    gen.civil_servant(cs2, "市发改委", "采购处副处长")
    _, relative, _ = p.person()
    p.relation(cs2_id, "配偶", relative, kind="配偶")
    _, sup_rep, sup_rep_name = p.person()
    supplier, supplier_name = p.firm("信息技术", dt.date(2014, 4, 1), sup_rep, sup_rep_name)
    p.relation(relative, "实际控制人", supplier, start="2014-04-01")
    department = gen.departments["市发改委"][0]
    project = "HZCG-2016-PLANT1"
    rivals = [gen.uscc(k) for k in (3, 7)]
    for bidder, won in ((supplier, True), *((r, False) for r in rivals)):
        gen.files.row("procurement", [project, "杭州市发展和改革委员会信息平台建设项目",
                                      department, bidder, "是" if won else "否", "2016-07-01",
                                      "198.0" if won else ""])
    cases.append({"case": "civil_servant_conflict_of_interest", "person": mask_resident_id(cs2_id),
                  "person_id": cs2_id,
                  "person_name": cs2_name, "relative": mask_resident_id(relative),
                  "supplier": supplier, "supplier_name": supplier_name, "project": project,
                  "department": department,
                  "expected": "relative controls a supplier awarded by the servant's department"})

    # 5. A red-listed enterprise two hops from a black-listed one.
    _, rb, rb_name = p.person()
    red, _ = p.firm("农业开发", dt.date(2011, 1, 1), rb, rb_name)
    black, _ = p.firm("建筑工程", dt.date(2013, 1, 1), rb, rb_name)
    red_entry = gen.list_entry(red, "", "red", v.RED_LISTS[0], dt.date(2024, 1, 1), "active")
    black_entry = gen.list_entry(black, "", "black", v.BLACK_LISTS[2], dt.date(2024, 6, 1),
                                 "active")
    cases.append({"case": "red_black_conflict", "red": red, "black": black, "hops": 2,
                  "via": mask_resident_id(rb), "via_id": rb, "red_entry": red_entry,
                  "black_entry": black_entry,
                  "expected": "red-list incentives withheld: linked black entry within 2 hops"})

    # 6. A penalty published later than 7 working days (National Day falls in between), beside
    #    one published on the 7th working day.
    _, lr, lr_name = p.person()
    late_firm, late_name = p.firm("餐饮管理", dt.date(2012, 6, 1), lr, lr_name)
    decided = dt.date(2016, 9, 28)
    late = gen.penalty(late_firm, late_name, decided, "食品安全", "市市场监管局", 10)
    on_time = gen.penalty(late_firm, late_name, decided, "食品安全", "市市场监管局", 7)
    cases.append({"case": "late_publication", "subject": late_firm, "late": late,
                  "on_time": on_time, "decided": decided.isoformat(),
                  "published_late": workdays.add_workdays(decided, 10).isoformat(),
                  "working_days_late": 10, "working_days_on_time": 7,
                  "expected": "published after more than 7 working days (七天双公示)"})

    # 7. A repaired black entry that must no longer count, beside an active one that must.
    _, q, q_name = p.person()
    subject, _ = p.firm("商贸", dt.date(2015, 1, 1), q, q_name)
    _, r1, r1_name = p.person()
    repaired_firm, _ = p.firm("安防科技", dt.date(2014, 1, 1), r1, r1_name)
    _, r2, r2_name = p.person()
    active_firm, _ = p.firm("物流", dt.date(2014, 1, 1), r2, r2_name)
    p.relation(q, "股东", repaired_firm, "40%", start="2016-01-01")
    p.relation(q, "股东", active_firm, "40%", start="2016-01-01")
    repaired = gen.list_entry(repaired_firm, "", "black", v.BLACK_LISTS[3], dt.date(2023, 1, 1),
                              "repaired", dt.date(2024, 2, 1))
    active = gen.list_entry(active_firm, "", "black", v.BLACK_LISTS[0], dt.date(2025, 1, 1),
                            "active")
    cases.append({"case": "repaired_versus_active", "subject": subject,
                  "via": mask_resident_id(q), "via_id": q, "repaired_firm": repaired_firm,
                  "repaired_entry": repaired, "active_firm": active_firm,
                  "active_entry": active,
                  "expected": "only the active entry counts for the subject's linked parties"})

    # 8. A commitment followed by a penalty on the same matter.
    _, cb, cb_name = p.person()
    breach_firm, breach_name = p.firm("机械制造", dt.date(2010, 1, 1), cb, cb_name)
    commitment = gen.commitment(breach_firm, "安全生产", dt.date(2016, 1, 10))
    breach = gen.penalty(breach_firm, breach_name, dt.date(2016, 5, 3), "安全生产", "市安监局", 3)
    cases.append({"case": "commitment_breach", "subject": breach_firm, "commitment": commitment,
                  "penalty": breach, "matter": "安全生产",
                  "expected": "penalised on the matter it had committed to"})

    # 9. Enterprises sharing address and phone with no declared relation.
    address, phone = "杭州市西湖区文三路88号1208室", "0571-86123456"
    cluster = []
    for label in ("网络科技", "文化传媒", "教育咨询", "环保科技"):
        _, rep, rep_name = p.person()
        cluster.append(p.firm(label, dt.date(2017, 3, 1), rep, rep_name, address, phone)[0])
    cases.append({"case": "shared_address_cluster", "subjects": cluster, "address": address,
                  "phone": phone, "expected": "four firms share address and phone, no relation"})

    # 10. A mainland person owning a Hangzhou firm through an offshore holding: 80% of a BVI
    #     company that holds 40% of the firm makes 32%, a beneficial owner only through it; the
    #     Singaporean co-holder (20% x 40% = 8%) is not one.
    _, bo, bo_name = p.person()
    holder = p.passport_holder("SG", "新加坡")
    offshore = foreign.Entity("HZJWP000001", "Lucent Harbour Holdings Ltd.", "朗港控股有限公司",
                              "英属维尔京群岛", "VG", "1987654")
    gen.files.row("overseas_entities", offshore.row)
    _, fr, fr_name = p.person()
    held_firm, _ = p.firm("精密制造", dt.date(2019, 6, 1), fr, fr_name)
    p.relation(bo, "股东", offshore.entity_id, "80%", start="2018-11-01")
    p.relation(holder.number, "股东", offshore.entity_id, "20%", start="2018-11-01",
               source_type=holder.type_word)
    p.relation(offshore.entity_id, "股东", held_firm, "40%", start="2019-06-01")
    p.relation(fr, "股东", held_firm, "60%", start="2019-06-01")
    cases.append({"case": "offshore_beneficial_owner", "person": mask_resident_id(bo),
                  "person_id": bo, "person_name": bo_name,
                  "overseas_entity": offshore.entity_id, "country": offshore.country,
                  "target": held_firm, "shares": {"person_in_entity": 0.8,
                                                  "entity_in_target": 0.4},
                  "cumulative_share": 0.32,
                  "co_holder_id": holder.number, "co_holder_id_type": holder.doc_type,
                  "co_holder_share": 0.08, "direct_holder_id": fr, "direct_share": 0.6,
                  "expected": "beneficial owner (>= 25%) only through the overseas entity; "
                              "the passport holder's 8% is not"})

    # 11. A black-listed foreign legal representative: a Korean passport holder (M and eight
    #     digits: without its 证件类型 the number reads as a Macao permit) represents firm X,
    #     black-listed for tax, and firm Y. From Y, linked-party search finds both.
    holder = p.passport_holder("KR", "韩国")
    listed_firm, _ = p.firm("国际贸易", dt.date(2018, 5, 1), holder.number, holder.name,
                            rep_type=holder.type_word, rep_nationality="KOR")
    other_firm, other_name = p.firm("精密机械", dt.date(2021, 3, 1), holder.number, holder.name,
                                    rep_type=holder.type_word, rep_nationality=holder.nationality)
    firm_entry = gen.list_entry(listed_firm, "", "black", v.BLACK_LISTS[1], dt.date(2025, 2, 1),
                                "active")
    person_entry = gen.list_entry(holder.number, holder.name, "black", v.PERSON_BLACK_LISTS[0],
                                  dt.date(2025, 4, 1), "active", id_type=holder.type_word)
    cases.append({"case": "foreign_rep_black_listed", "person_id": holder.number,
                  "person_id_type": holder.doc_type, "person_name": holder.name,
                  "nationality": holder.country, "number_alone_reads_as": "hk_macao_permit",
                  "listed_firm": listed_firm, "firm_entry": firm_entry,
                  "person_entry": person_entry, "subject": other_firm,
                  "subject_name": other_name, "hops": {"person": 1, "listed_firm": 2},
                  "expected": "linked-party search from the subject finds the black-listed "
                              "legal representative (1 hop) and the listed firm (2 hops)"})

    # 12. 自然人股东 named without a number: one with a masked number, resolved by a later row
    #     giving the number and the same name in the same firm; one by name alone, never.
    _, nr, nr_name = p.person()
    named_firm, _ = p.firm("文化旅游", dt.date(2020, 8, 1), nr, nr_name)
    _, known, known_name = p.person()
    unknown_name = gen.person_name(p.next_person)
    p.next_person += 1
    p.relation(mask_resident_id(known), "股东", named_firm, "30%", start="2020-08-01",
               source_name=known_name)
    p.relation("", "股东", named_firm, "10%", start="2020-08-01", source_name=unknown_name)
    p.relation(nr, "股东", named_firm, "60%", start="2020-08-01")
    p.relation(known, "股东", named_firm, "30%", start="2020-08-01", source_name=known_name)
    cases.append({"case": "name_only_shareholders", "subject": named_firm,
                  "resolved_id": known, "resolved_name": known_name,
                  "unresolved_name": unknown_name,
                  "expected": "the masked holder is resolved to the person by the later row "
                              "with number and name; the name-only holder stays unresolved"})

    # 13. A red-listed firm with nobody black-listed near it: 守信联合激励 granted.
    _, ir, ir_name = p.person()
    clean_firm, _ = p.firm("生态农业", dt.date(2012, 3, 1), ir, ir_name, division="330110")
    clean_entry = gen.list_entry(clean_firm, "", "red", v.RED_LISTS[0], dt.date(2024, 3, 1),
                                 "active")
    cases.append({"case": "red_incentive_granted", "subject": clean_firm,
                  "red_entry": clean_entry,
                  "measures": ["减少检查频次", "绿色通道"],  # the default rule file's incentives
                  "expected": "守信联合激励 granted: red-listed, no measure of its own and no "
                              "black-listed party within 2 hops"})

    # 14. Credit repair by decision (repairs.csv): a black entry the feed still lists as active,
    #     removed by a repair decision, and a penalty whose publication a decision ended early;
    #     beside a control firm with the same entry and penalty and no repair.
    firms = []
    for label in ("建材贸易", "五金机电"):
        _, rep, rep_name = p.person()
        firms.append(p.firm(label, dt.date(2013, 5, 1), rep, rep_name, division="330105"))
    listed, decided = dt.date(2025, 1, 6), dt.date(2025, 3, 3)
    entries = [gen.list_entry(f, "", "black", v.BLACK_LISTS[2], listed, "active") for f, _ in firms]
    fines = [gen.penalty(f, n, decided, "虚假宣传", "市市场监管局", 3) for f, n in firms]
    (repaired, _), (control, _) = firms
    removal = gen.repair_entry(repaired, entries[0], listed, "市市场监管局", dt.date(2025, 9, 1))
    early = gen.repair_penalty(repaired, fines[0], "市市场监管局", decided, dt.date(2025, 7, 1))
    if removal and early:  # the data's 'today' is after both decisions
        cases.append({"case": "repaired_by_decision", "subject": repaired, "entry": entries[0],
                      "penalty": fines[0], "removal": removal, "removed_on": "2025-09-01",
                      "early_end": early, "ended_on": "2025-07-01", "control": control,
                      "control_entry": entries[1], "control_penalty": fines[1],
                      "expected": "from the decisions' dates the entry is out of force (no "
                                  "measure derives from it) and the penalty out of every "
                                  "public face, internal views keep both, marked; the "
                                  "control's stay"})
    return cases
