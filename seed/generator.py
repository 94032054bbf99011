"""A synthetic Hangzhou credit graph in the loaders' input format, with planted cases.

Deterministic: the same arguments give byte-identical files. Streaming: rows go to disk as they
are made; only a few bytes per enterprise stay in memory (registration year and district), so
a million enterprises fit in bounded memory. Subjects are derived from their index, so any
earlier subject can be referred to again without keeping it. Foreign-invested Hangzhou — overseas
entities, non-mainland persons and their documents — comes from seed.foreign the same way.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import random
from array import array
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from creditgraph.graph.divisions import hangzhou_2016
from creditgraph.graph.identifiers import (
    mask_resident_id,
    org_code_check_char,
    reg_no_check_digit,
    resident_id_check_char,
    uscc_check_char,
)
from creditgraph.policy import workdays
from creditgraph.seed import foreign
from creditgraph.seed import vocabulary as v
from creditgraph.seed.foreign import mix as _mix
from creditgraph.seed.planted import plant

DISTRICTS_2016 = sorted(hangzhou_2016())
DISTRICTS_2021 = ["330102", "330105", "330106", "330108", "330109", "330110", "330111",
                  "330112", "330113", "330114", "330122", "330127", "330182"]
DISTRICT_NAMES = {**hangzhou_2016(), "330112": "临安区", "330113": "临平区", "330114": "钱塘区"}
# Division of a firm by registration, weighted toward the city centre and the growth districts.
DISTRICT_WEIGHTS_2016 = [9, 7, 8, 8, 12, 10, 9, 12, 5, 2, 2, 2, 3]
ID_DIVISIONS = [*DISTRICTS_2016, "330183", "330681", "330282", "320102", "340104", "360102"]
BASE36 = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # characters allowed in a USCC body

FILES = {
    "departments": ["code", "name", "parent_code", "division", "level"],
    "enterprises": ["uscc", "name", "reg_no", "org_code", "division", "address", "phone",
                    "established", "status", "industry", "registered_capital", "legal_rep_id",
                    "legal_rep_id_type", "legal_rep_nationality", "legal_rep_name"],
    "overseas_entities": ["entity_id", "name", "name_zh", "country", "registration_no"],
    "persons": ["id_number", "id_type", "nationality", "name", "phone", "address"],
    "code_mappings": ["legacy_code", "legacy_type", "uscc", "source"],
    "relations": ["source_id", "source_id_type", "source_name", "relation", "target_id",
                  "target_id_type", "ratio", "role", "kind", "start_date", "end_date"],
    "civil_servants": ["id_number", "name", "department_code", "position", "rank",
                       "start_date", "end_date"],
    "integrity_records": ["id_number", "record_type", "date", "result", "content",
                          "authority"],
    "penalties": ["decision_no", "subject_name", "subject_code", "violation_type", "facts",
                  "basis", "category", "content", "fine_amount", "decision_date", "authority",
                  "authority_code", "publish_date", "valid_until"],
    "licenses": ["decision_no", "subject_name", "subject_code", "license_type",
                 "certificate_name", "license_no", "content", "decision_date", "valid_from",
                 "valid_to", "authority", "authority_code", "publish_date", "status"],
    "list_entries": ["entry_id", "list", "list_type", "subject_code", "subject_id_type",
                     "subject_name", "reason", "basis", "authority", "start_date", "end_date",
                     "status", "status_date"],
    "commitments": ["commitment_id", "subject_code", "matter", "content", "date", "authority"],
    "procurement": ["project_id", "project_name", "purchaser_code", "bidder_code", "awarded",
                    "date", "amount"],
    "repairs": ["repair_id", "repair_kind", "decision_no", "penalty_authority",
                "penalty_authority_code", "entry_id", "subject_code", "decision_date",
                "authority", "basis"],
}

# Credit-repair decisions (信用修复): a share of random penalties and active black entries, a
# year or more after the decision or listing (every domain's minimum period has passed).
REPAIRED_PENALTIES = 0.05
REPAIRED_ENTRIES = 0.10
REPAIR_BASIS = "失信行为纠正后的信用信息修复管理办法（试行）（国家发展改革委令第58号）"


# Foreign-invested Hangzhou (seed.foreign), per thousand enterprises: firms with an overseas
# shareholder, of those the share whose legal representative comes from outside the mainland,
# and domestic firms run by one anyway (a Taiwanese or Hong Kong manager, say).
FOREIGN_INVESTED = 40
FOREIGN_REP_OF_FOREIGN_INVESTED = 600
FOREIGN_REP_OF_DOMESTIC = 4
NAME_ONLY = 35  # firms whose public record names a 自然人股东 without a number
RESOLVE_AFTER = 40  # a later row gives the number: written this many firms further on
def department_uscc(body: str) -> str:
    org = body + org_code_check_char(body)
    head = "11330100" + org
    return head + uscc_check_char(head)


@dataclass
class Writers:
    """One CSV writer per input file, counting lines so dirty rows can be named by line."""

    out: Path
    handles: dict[str, Any] = field(default_factory=dict)
    writers: dict[str, Any] = field(default_factory=dict)
    lines: Counter[str] = field(default_factory=Counter)

    def open(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        for name, header in FILES.items():
            handle = (self.out / f"{name}.csv").open("w", encoding="utf-8", newline="")
            self.handles[name] = handle
            self.writers[name] = csv.writer(handle, lineterminator="\n")
            self.writers[name].writerow(header)
            self.lines[name] = 1

    def row(self, name: str, values: list[Any]) -> int:
        self.writers[name].writerow(values)
        self.lines[name] += 1
        return self.lines[name]

    def close(self) -> None:
        for handle in self.handles.values():
            handle.close()


class Generator:
    def __init__(self, out: Path, enterprises: int, seed: int, as_of: dt.date,
                 dirty_rate: float) -> None:
        self.out = out
        self.n = enterprises
        self.persons = max(enterprises // 2, 20)
        self.foreign_persons = max(enterprises // 50, 10)
        self.entities = max(enterprises * 3 // 100, 8)
        self.pending: deque[tuple[int, int, str, str, str]] = deque()  # name-only, resolved later
        self.weyl_offset = _mix(seed, 20) % 2**32
        self.seed = seed
        self.as_of = as_of
        self.dirty_rate = dirty_rate
        self.rng = random.Random(seed)
        # its own stream, so that adding repairs left every other generated row as it was (the
        # repair rows' codes and dates are written plain: the dirty forms draw from self.rng)
        self.repair_rng = random.Random(seed * 31 + 7)
        self.last_entry: tuple[str, str, dt.date] | None = None  # id, status, start
        self.files = Writers(out)
        self.year = array("H", bytes(2 * enterprises))
        self.district = array("B", bytes(enterprises))
        self.decision_numbers: Counter[tuple[str, int]] = Counter()
        self.dirty: dict[str, list[Any]] = defaultdict(list)
        self.departments = {short: (department_uscc(body), name, prefix)
                            for short, name, body, prefix in v.DEPARTMENTS}
        self.counts: Counter[str] = Counter()
        alphabet = list(dict.fromkeys(v.TRADE_CHARS))
        random.Random(seed).shuffle(alphabet)
        self.trade_alphabet = "".join(alphabet)

    # -- subjects derived from their index --------------------------------------------------

    def uscc(self, i: int) -> str:
        year, district = self.year[i], self.district[i]
        division = (DISTRICTS_2021 if year >= 2021 else DISTRICTS_2016)[district]
        h = _mix(self.seed, 1, i)
        if year < 2016:  # converted legacy firm: its organisation code is a plain number
            body = f"{(10_000_000 + i * 7 + h % 7) % 100_000_000:08d}"
        else:  # new-style: MA + six characters
            body = "MA" + "".join(BASE36[(h >> (5 * k)) % 31] for k in range(6))
        org = body + org_code_check_char(body)
        head = ("92" if self._individual(i) else "91") + division + org
        code = head + uscc_check_char(head)
        if self._bad_check(i):
            code = code[:17] + BASE36[(BASE36.index(code[17]) + 1) % 31]
        return code

    def _individual(self, i: int) -> bool:
        return _mix(self.seed, 2, i) % 10 == 0

    def _bad_check(self, i: int) -> bool:
        return (_mix(self.seed, 3, i) % 1_000_000) < self.dirty_rate * 1_000_000 * 0.4

    def reg_no(self, i: int) -> str | None:
        if self.year[i] >= 2016:
            return None
        division = DISTRICTS_2016[self.district[i]]
        body = f"{division}{i % 100_000_000:08d}"
        return body + reg_no_check_digit(body)

    def enterprise_name(self, i: int) -> str:
        h = _mix(self.seed, 4, i)
        alphabet = self.trade_alphabet
        base = len(alphabet)
        # The index written in base len(alphabet): distinct indexes, distinct trade names.
        n, chars = i, []
        for _ in range(2 if i < base * base else 3):
            chars.append(alphabet[n % base])
            n //= base
        trade = "".join(chars)
        if self._individual(i):
            district = DISTRICT_NAMES[(DISTRICTS_2021 if self.year[i] >= 2021
                                       else DISTRICTS_2016)[self.district[i]]]
            return f"杭州市{district}{trade}{i}号{v.SHOP_KINDS[h % len(v.SHOP_KINDS)]}"
        industry = self.industry(i)[0]
        return f"杭州{trade}{industry}有限公司"

    def industry(self, i: int) -> tuple[str, str]:
        h = _mix(self.seed, 5, i)
        total = sum(w for _, _, w in v.INDUSTRIES)
        pick = h % total
        for short, long, weight in v.INDUSTRIES:
            if pick < weight:
                return short, long
            pick -= weight
        return v.INDUSTRIES[0][:2]

    def resident_id(self, p: int) -> str:
        h = _mix(self.seed, 6, p)
        division = ID_DIVISIONS[h % len(ID_DIVISIONS)] if h % 10 else ID_DIVISIONS[h % 13]
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=(p * 7919) % 18262)
        body = f"{division}{birth:%Y%m%d}{p // 18262 % 1000:03d}"
        return body + resident_id_check_char(body)

    def person_name(self, p: int) -> str:
        h = _mix(self.seed, 7, p)
        given = v.GIVEN_CHARS[h % len(v.GIVEN_CHARS)]
        if h % 3:
            given += v.GIVEN_CHARS[(h >> 8) % len(v.GIVEN_CHARS)]
        return v.SURNAMES[(h >> 16) % len(v.SURNAMES)] + given

    def address(self, i: int) -> str:
        h = _mix(self.seed, 8, i)
        district = DISTRICT_NAMES[(DISTRICTS_2021 if self.year[i] >= 2021
                                   else DISTRICTS_2016)[self.district[i]]]
        street = v.STREETS[h % len(v.STREETS)]
        return f"杭州市{district}{street}{h % 900 + 1}号{(h >> 12) % 30 + 1}室"

    def phone(self, i: int) -> str:
        return f"0571-8{_mix(self.seed, 9, i) % 10_000_000:07d}"

    def established(self, i: int) -> dt.date:
        h = _mix(self.seed, 10, i)
        return dt.date(self.year[i], 1 + h % 12, 1 + (h >> 8) % 28)

    # -- foreign-invested Hangzhou, derived from the index too ------------------------------

    def abroad(self, i: int) -> tuple[bool, int | None, int]:
        """Firm i's ties abroad: whether an overseas entity holds it, the non-mainland person
        representing it if one does, and a hash whose bit fields decide the rest (one hash per
        firm keeps the seed fast)."""
        individual = self._individual(i)
        # A golden-ratio (Weyl) sequence, not a hash: irregular, yet the share holds within a
        # firm or two at any size and seed. Individual businesses never qualify.
        weyl = (i * 2_654_435_769 + self.weyl_offset) % 2**32
        invested = not individual and weyl < FOREIGN_INVESTED * 2**32 // 900
        h = _mix(self.seed, 22, i)
        share = (FOREIGN_REP_OF_FOREIGN_INVESTED if invested
                 else 0 if individual else FOREIGN_REP_OF_DOMESTIC)
        if h % 1000 >= share:
            return invested, None, h
        return invested, int(self.foreign_persons * (((h >> 10) & 0xFFFFFFFF) / 2**32) ** 1.5), h

    def investor(self, i: int) -> int:
        """The overseas entity holding firm i: a few hold several firms."""
        return int(self.entities * (_mix(self.seed, 21, i) / 2**64) ** 1.3)

    def name_only(self, i: int, h: int) -> tuple[int, bool, bool] | None:
        """A 自然人股东 firm i's record names without a number: (person, masked number given,
        resolved by a later row)."""
        if (h >> 42) % 1000 >= NAME_ONLY or self._individual(i):
            return None
        g = _mix(self.seed, 24, i)
        return g % self.persons, bool((g >> 40) % 2), (g >> 44) % 10 < 6

    # -- writing ----------------------------------------------------------------------------

    def date_text(self, day: dt.date) -> str:
        """Mostly ISO; at the dirty rate, one of the other forms registries use."""
        if self.rng.random() >= self.dirty_rate:
            return day.isoformat()
        self.counts["mixed_date_forms"] += 1
        return self.rng.choice([f"{day.year}/{day.month}/{day.day}",
                                f"{day.year}年{day.month}月{day.day}日", f"{day:%Y%m%d}"])

    def code_text(self, code: str) -> str:
        """At the dirty rate, a code in full-width characters (valid once normalised)."""
        if self.rng.random() >= self.dirty_rate:
            return code
        self.counts["full_width_codes"] += 1
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in code)

    def generate(self) -> dict[str, Any]:
        self.files.open()
        try:
            self._departments()
            self._registrations()
            self._overseas()
            self._persons()
            self._enterprises()
            cases = plant(self)
            self._procurement()
            self._civil_servants()
        finally:
            self.files.close()
        answers = {
            "parameters": {"enterprises": self.n, "seed": self.seed,
                           "as_of": self.as_of.isoformat(), "dirty_rate": self.dirty_rate},
            "rows": {f"{name}.csv": self.files.lines[name] - 1 for name in FILES},
            "dirty": dict(sorted(self.dirty.items())) | {
                "mixed_date_forms": self.counts["mixed_date_forms"],
                "full_width_codes": self.counts["full_width_codes"],
            },
            "foreign": {key: self.counts[key] for key in (
                "overseas_entities", "foreign_invested_firms", "non_resident_persons",
                "person_overseas_holdings", "branches_of_overseas", "name_only_shareholders",
                "name_only_resolved")},
            "cases": cases,
        }
        (self.out / "answers.json").write_text(
            json.dumps(answers, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
            encoding="utf-8")
        return answers

    def _departments(self) -> None:
        for _short, (code, name, _prefix) in self.departments.items():
            self.files.row("departments", [code, name, "", "330100", "市级"])

    def _registrations(self) -> None:
        """Registration year and district of every enterprise, decided up front (a few bytes
        each) so relations can point back at any of them."""
        for i in range(self.n):
            r = self.rng.random()
            year = 1990 + int(35 * r ** 0.55)
            self.year[i] = min(year, self.as_of.year)
            weights = DISTRICT_WEIGHTS_2016 if self.year[i] < 2021 else [1] * 13
            self.district[i] = self.rng.choices(range(13), weights)[0]

    def relation(self, source: str, relation: str, target: str, ratio: str = "",
                 role: str = "", kind: str = "", start: str = "", end: str = "",
                 source_type: str = "", source_name: str = "", target_type: str = "") -> int:
        return self.files.row("relations", [source, source_type, source_name, relation, target,
                                            target_type, ratio, role, kind, start, end])

    def _persons(self) -> None:
        for p in range(self.persons):
            h = _mix(self.seed, 11, p)
            self.files.row("persons", [
                self.code_text(self.resident_id(p)), "居民身份证" if h % 10 < 3 else "", "",
                self.person_name(p), f"13{h % 1_000_000_000:09d}",
                f"杭州市{v.STREETS[h % len(v.STREETS)]}",
            ])
        for f in range(self.foreign_persons):
            doc = foreign.person(self.seed, f)
            h = _mix(self.seed, 26, f)
            phone = {"HK": f"+852 9{h % 10_000_000:07d}", "MO": f"+853 6{h % 1_000_000:06d}",
                     "TW": f"+886 9{h % 100_000_000:08d}"}.get(
                doc.country, f"13{h % 1_000_000_000:09d}")
            self.counts["non_resident_persons"] += 1
            self.files.row("persons", [
                self.code_text(doc.number), doc.type_word, doc.nationality, doc.name, phone,
                f"杭州市{v.STREETS[h % len(v.STREETS)]}{h % 300 + 1}号"])
        self._dirty_documents()

    def _dirty_documents(self) -> None:
        """Bad document numbers of each type, rejected by the loader (file, line, column and
        what is wrong go to answers.json); and a number two types share, which the loader keys
        as two persons."""
        per_kind = math.ceil(self.n * self.dirty_rate * 0.1)
        base = self.foreign_persons + 1_000  # indexes no other row uses
        for j in range(per_kind):
            f = base + 10 * j
            birth = dt.date(1960, 1, 1) + dt.timedelta(days=(f * 7919) % 14000)
            hmt = f"830000{birth:%Y%m%d}{j % 1000:03d}"
            permanent = f"933840{birth:%Y%m%d}{j % 1000:03d}"
            bad_nationality = f"933999{birth:%Y%m%d}{j % 1000:03d}"
            name = foreign.foreign_name(_mix(self.seed, 27, f), "TW")
            rows = (
                ("hmt_residence_check", _wrong_check(hmt), "港澳台居民居住证", ""),
                ("foreign_permanent_check", _wrong_check(permanent), "外国人永久居留身份证", ""),
                ("foreign_permanent_nationality",
                 bad_nationality + resident_id_check_char(bad_nationality),
                 "外国人永久居留身份证", ""),
                ("passport_nationality", foreign.passport_number(f, f, "US", self.seed),
                 "护照", v.BAD_NATIONALITIES[j % len(v.BAD_NATIONALITIES)]),
                ("passport_format", "无", "护照", "US"),
                ("hk_macao_permit_format", f"H{foreign.scramble(f, 10**7, self.seed):07d}",
                 "港澳居民来往内地通行证", ""),
                ("taiwan_permit_format", f"{foreign.scramble(f, 10**9, self.seed):09d}",
                 "台湾居民来往大陆通行证", ""),
                ("untyped_8_digits", f"{foreign.scramble(f + 1, 10**8, self.seed):08d}", "", ""),
            )
            for problem, number, type_word, nationality in rows:
                line = self.files.row("persons", [number, type_word, nationality, name, "", ""])
                self.dirty["invalid_rows"].append({"file": "persons.csv", "line": line,
                                                   "column": "id_number", "problem": problem})
            shared = f"{foreign.scramble(f + 2, 10**8, self.seed):08d}"
            lines = [self.files.row("persons", [shared, "台湾居民来往大陆通行证", "中国台湾",
                                                name, "", ""]),
                     self.files.row("persons", [shared, "护照", "MY",
                                                foreign.foreign_name(f, "MY"), "", ""])]
            self.dirty["shared_numbers"].append({
                "number": shared, "file": "persons.csv", "lines": lines,
                "types": ["taiwan_permit", "passport"],
                "expected": "two persons: a number is keyed with its type"})

    def _overseas(self) -> None:
        """Overseas entities, and the mainland persons holding some of the offshore ones (a
        Person -> OverseasEntity -> Enterprise chain: round-trip investment)."""
        for e in range(self.entities):
            entity = foreign.entity(self.seed, e)
            self.files.row("overseas_entities", entity.row)
            self.counts["overseas_entities"] += 1
            h = _mix(self.seed, 28, e)
            if entity.country in ("VG", "KY", "HK") and h % 4 == 0:
                holders = 1 + (h >> 8) % 2
                for k in range(holders):
                    p = (h >> (16 + 20 * k)) % self.persons
                    share = "100%" if holders == 1 else ("60%" if k == 0 else "40%")
                    self.relation(self.resident_id(p), "股东", entity.entity_id, share)
                    self.counts["person_overseas_holdings"] += 1
        for j in range(math.ceil(self.n * self.dirty_rate * 0.05)):
            entity = foreign.entity(self.seed, self.entities + 1_000 + j)
            line = self.files.row("overseas_entities", [
                entity.entity_id, entity.name, entity.name_zh,
                ("欧洲", "东南亚", "海外")[j % 3], entity.registration_no])
            self.dirty["invalid_rows"].append({"file": "overseas_entities.csv", "line": line,
                                               "column": "country",
                                               "problem": "not a country or region"})

    def legal_rep(self, i: int) -> int:
        """Skewed: a few persons represent many firms."""
        r = _mix(self.seed, 12, i) / 2**64
        return int(self.persons * r**2.2)

    def _enterprises(self) -> None:
        for i in range(self.n):
            while self.pending and self.pending[0][0] <= i:
                self._resolve(*self.pending.popleft())
            self._enterprise(i)
        while self.pending:
            self._resolve(*self.pending.popleft())

    def _resolve(self, _due: int, p: int, code: str, ratio: str, start: str) -> None:
        """A later row naming a name-only 自然人股东 with the number: the loader resolves it."""
        self.relation(self.resident_id(p), "股东", code, ratio, start=start,
                      source_name=self.person_name(p))
        self.counts["name_only_resolved"] += 1

    def _enterprise(self, i: int) -> None:
        rng, files = self.rng, self.files
        code = self.uscc(i)
        rep = self.legal_rep(i)
        invested, foreign_rep, h = self.abroad(i)
        if foreign_rep is None:
            rep_id, rep_type, rep_nationality, rep_name = (self.resident_id(rep), "", "",
                                                           self.person_name(rep))
        else:
            doc = foreign.person(self.seed, foreign_rep)
            rep_id, rep_type, rep_nationality, rep_name = (doc.number, doc.type_word,
                                                           doc.nationality, doc.name)
        holder = rep_id, rep_type  # as a shareholder, the number is right
        bad_rep = foreign_rep is not None and (h >> 52) % 1024 < self.dirty_rate * 2 * 1024
        if bad_rep:  # mistyped by the registry: flagged, the firm still loads
            rep_id, rep_type, rep_nationality = _corrupt(rep_id, rep_type, rep_nationality)
        established = self.established(i)
        industry = self.industry(i)
        reg_no = self.reg_no(i)
        status = "存续" if rng.random() > 0.06 else rng.choice(["注销", "吊销"])
        row = [self.code_text(code), self.enterprise_name(i), reg_no or "",
               "", code[2:8], self.address(i), self.phone(i), self.date_text(established),
               status, industry[1], f"{rng.choice([10, 50, 100, 200, 500, 1000, 5000])}",
               rep_id, rep_type, rep_nationality, rep_name]
        lines = [files.row("enterprises", row)]
        if rng.random() < self.dirty_rate * 0.3:
            lines.append(files.row("enterprises", row))
            self.dirty["duplicate_rows"].append({"file": "enterprises.csv", "line": lines[-1]})
        if self._bad_check(i):  # flagged on every line that has it, a duplicate's too
            self.dirty["bad_check_uscc"] += [{"uscc": code, "file": "enterprises.csv",
                                              "line": at} for at in lines]
        if bad_rep:
            self.dirty["flagged_documents"] += [{"file": "enterprises.csv", "line": at,
                                                 "column": "legal_rep_id"} for at in lines]
        if reg_no:
            files.row("code_mappings", [reg_no, "reg_no", code, "市市场监管局新旧代码对照表"])
        start = self.date_text(established)
        remaining = 1.0
        if invested:  # an overseas shareholder first: wholly owned or a JV
            self.counts["foreign_invested_firms"] += 1
            investor = foreign.entity_id(self.investor(i))
            share = 1.0 if rng.random() < 0.45 else round(rng.uniform(0.25, 0.9), 2)
            remaining = round(1.0 - share, 2)
            self.relation(investor, "股东", code, f"{round(share * 100)}%", start=start)
            if rng.random() < 0.1:
                self.relation(investor, "实际控制人", code, start=start)
        # shareholders: persons, and earlier firms (ownership chains); a rare cycle
        name_only = self.name_only(i, h)
        for k in range(rng.choice([1, 1, 2, 2, 3]) if remaining else 0):
            share = remaining if k == 2 else round(rng.uniform(0.1, remaining), 2)
            remaining = round(remaining - share, 2)
            if share <= 0:
                break
            ratio = f"{round(share * 100)}%"
            if k == 1 and name_only:  # named without a number (or with a masked one)
                p, masked, resolved = name_only
                self.relation(mask_resident_id(self.resident_id(p)) if masked else "", "股东",
                              code, ratio, start=start, source_name=self.person_name(p))
                self.counts["name_only_shareholders"] += 1
                if resolved:
                    self.pending.append((i + RESOLVE_AFTER, p, code, ratio, start))
                continue
            owner_type = ""
            if i > 10 and rng.random() < 0.25:
                owner = self.uscc(rng.randrange(i))
            elif k == 0 and foreign_rep is not None:
                owner, owner_type = holder
            else:
                owner = self.resident_id(rep if k == 0 else rng.randrange(self.persons))
            self.relation(owner, "股东", code, ratio, start=start, source_type=owner_type)
        if i > 10 and rng.random() < 0.001:  # a cross-holding: an ownership cycle
            other = self.uscc(rng.randrange(i))
            self.relation(other, "股东", code, "10%", start=start)
            self.relation(code, "SHAREHOLDER_OF", other, "0.1", start=start)
        for n, role in enumerate(rng.sample(v.ROLES, rng.choice([1, 1, 2]))):
            person = rng.randrange(self.persons)
            if n == 0 and invested and h >> 63:
                doc = foreign.person(self.seed, person % self.foreign_persons)
                self.relation(doc.number, role, code, role=role, start=start,
                              source_type=doc.type_word)
            else:
                self.relation(self.resident_id(person), role, code, role=role, start=start)
        if i > 100 and rng.random() < 0.03:
            self.relation(code, "分支机构", self.uscc(rng.randrange(i)), start=start)
        elif NAME_ONLY <= (h >> 42) % 1000 < NAME_ONLY + 3 and not self._individual(i):
            self.relation(code, "分支机构", foreign.entity_id(self.investor(i)), start=start)
            self.counts["branches_of_overseas"] += 1
        if rng.random() < 0.05:
            relative, kind = rng.randrange(self.persons), rng.choice(v.RELATIVES)
            if foreign_rep is None and relative != rep:
                self.relation(self.resident_id(rep), "RELATIVE_OF", self.resident_id(relative),
                              kind=kind)
        self._records(i, code, established)

    def _records(self, i: int, code: str, established: dt.date) -> None:
        rng = self.rng
        name = self.enterprise_name(i)
        first = max(established, dt.date(2014, 1, 1))
        last = min(self.as_of, dt.date(2025, 12, 31))
        if first >= last:
            return
        if rng.random() < 0.08:
            decided, violation = _between(rng, first, last), rng.choice(v.VIOLATIONS)
            department = rng.choice(v.PENALTY_DEPARTMENTS)  # drawn where penalty() draws it
            number = self.penalty(code, name, decided, violation, department)
            if self.repair_rng.random() < REPAIRED_PENALTIES:
                self.repair_penalty(code, number, department, decided)
        if rng.random() < 0.2:
            self.license(code, name, _between(rng, first, last))
        r = rng.random()
        if r < 0.012:
            spec = _weighted(rng, v.BLACK_LISTS)
            self.list_entry(code, name, "black", spec, _between(rng, first, last))
            assert self.last_entry is not None
            entry_id, status, start = self.last_entry
            if status == "active" and self.repair_rng.random() < REPAIRED_ENTRIES:
                self.repair_entry(code, entry_id, start, authority=spec[1])
        elif r < 0.032:
            self.list_entry(code, name, "red", _weighted(rng, v.RED_LISTS),
                            _between(rng, first, last))
        if rng.random() < 0.04:
            self.commitment(code, rng.choice(v.COMMITMENT_MATTERS), _between(rng, first, last))

    # -- records, also used by the planted cases --------------------------------------------

    def penalty(self, code: str, name: str, decided: dt.date, violation: str,
                department: str | None = None, publish_after: int | None = None) -> str:
        rng = self.rng
        department = department or rng.choice(v.PENALTY_DEPARTMENTS)
        dept_code, dept_name, prefix = self.departments[department]
        self.decision_numbers[(prefix, decided.year)] += 1
        number = f"{prefix}罚〔{decided.year}〕{self.decision_numbers[(prefix, decided.year)]}号"
        days = publish_after if publish_after is not None else (
            rng.randint(1, 7) if rng.random() > 0.03 else rng.randint(8, 25))
        published = workdays.add_workdays(decided, days)
        kind, content, scale = rng.choice(v.PENALTY_KINDS)
        amount = round(rng.uniform(0.5, 20) * scale, 1) if scale else None
        self.files.row("penalties", [
            number, name, self.code_text(code), violation, f"{violation}违法行为",
            f"《{violation}相关法律法规》", kind, content.format(amount=amount),
            amount if amount is not None else "", self.date_text(decided), dept_name, dept_code,
            self.date_text(published), (decided + dt.timedelta(days=3 * 365)).isoformat()])
        if days > 7:
            self.dirty.setdefault("late_publications", []).append(number)
        if self.rng.random() < self.dirty_rate * 0.2:
            bad = self.files.row("penalties", [
                number + "A", name, code, violation, "", "", kind, "", "",
                f"{decided.year}-02-30", dept_name, dept_code, "", ""])
            self.dirty["invalid_rows"].append({"file": "penalties.csv", "line": bad,
                                               "column": "decision_date"})
        return number

    def repair_penalty(self, code: str, number: str, department: str, decided: dt.date,
                       day: dt.date | None = None) -> str | None:
        """提前终止公示 of a penalty, by the department that decided it."""
        day = day or decided + dt.timedelta(days=self.repair_rng.randint(400, 1000))
        if day > self.as_of:
            return None
        dept_code, dept_name, prefix = self.departments[department]
        counter = (prefix + "修", day.year)
        self.decision_numbers[counter] += 1
        repair_id = f"{prefix}信修〔{day.year}〕{self.decision_numbers[counter]}号"
        self.files.row("repairs", [repair_id, "提前终止公示", number, dept_name, dept_code, "",
                                   code, day.isoformat(), dept_name, REPAIR_BASIS])
        return repair_id

    def repair_entry(self, code: str, entry_id: str, start: dt.date,
                     authority: str, day: dt.date | None = None) -> str | None:
        """移出名单 of a black entry, by the department that listed it."""
        day = day or start + dt.timedelta(days=self.repair_rng.randint(365, 900))
        if day > self.as_of:
            return None
        self.counts["entry_repairs"] += 1
        repair_id = f"HZ-XF-{day.year}-{self.counts['entry_repairs']:06d}"
        self.files.row("repairs", [repair_id, "移出名单", "", "", "", entry_id, code,
                                   day.isoformat(), self.departments[authority][1],
                                   REPAIR_BASIS])
        return repair_id

    def license(self, code: str, name: str, decided: dt.date) -> None:
        rng = self.rng
        department = rng.choice(v.LICENSE_DEPARTMENTS)
        dept_code, dept_name, prefix = self.departments[department]
        self.decision_numbers[(prefix + "许", decided.year)] += 1
        seq = self.decision_numbers[(prefix + "许", decided.year)]
        certificate, content = rng.choice(v.LICENSES)
        published = workdays.add_workdays(decided, rng.randint(1, 7))
        self.files.row("licenses", [
            f"{prefix}许〔{decided.year}〕{seq}号", name, self.code_text(code), "普通",
            certificate, f"{prefix}{decided.year}{seq:06d}", content, self.date_text(decided),
            decided.isoformat(), (decided + dt.timedelta(days=5 * 365)).isoformat(), dept_name,
            dept_code, self.date_text(published), "有效"])

    def list_entry(self, code: str, name: str, kind: str, list_spec: tuple, start: dt.date,
                   status: str | None = None, status_date: dt.date | None = None,
                   id_type: str = "") -> str:
        rng = self.rng
        list_type, department, reason, basis, _ = list_spec
        self.counts[f"entry_{kind}"] += 1
        letter = "B" if kind == "black" else "R"
        entry_id = f"HZ-{letter}-{start.year}-{self.counts[f'entry_{kind}']:06d}"
        end = start + dt.timedelta(days=(2 if list_type == "失信被执行人" else 3) * 365)
        if status is None:
            r = rng.random()
            if kind == "black" and r < 0.15:
                status, status_date = "repaired", _between(rng, start, min(end, self.as_of))
            elif r < 0.25 or end < self.as_of:
                status, status_date = ("expired", end) if end < self.as_of else (
                    "revoked", _between(rng, start, self.as_of))
            else:
                status = "active"
        self.files.row("list_entries", [
            entry_id, "黑名单" if kind == "black" else "红名单", list_type, self.code_text(code),
            id_type, name, reason, basis, self.departments[department][1], self.date_text(start),
            end.isoformat(), status, status_date.isoformat() if status_date else ""])
        self.last_entry = (entry_id, status, start)
        return entry_id

    def commitment(self, code: str, matter: str, day: dt.date) -> str:
        self.counts["commitments"] += 1
        commitment_id = f"CM-{day.year}-{self.counts['commitments']:06d}"
        self.files.row("commitments", [commitment_id, code, matter,
                                       f"承诺严格落实{matter}主体责任", self.date_text(day),
                                       self.departments["市市场监管局"][1]])
        return commitment_id

    def _procurement(self) -> None:
        rng = self.rng
        for k in range(max(self.n // 100, 1)):
            department = rng.choice(list(self.departments))
            code, dept_name, _ = self.departments[department]
            day = _between(rng, dt.date(2014, 1, 1), min(self.as_of, dt.date(2025, 12, 31)))
            project = f"HZCG-{day.year}-{k + 1:05d}"
            bidders = rng.sample(range(self.n), min(self.n, rng.randint(3, 5)))
            winner = rng.choice(bidders)
            topic = rng.choice(["信息系统运维", "办公设备采购", "物业服务", "课题研究"])
            for bidder in bidders:
                self.files.row("procurement", [
                    project, f"{dept_name}{topic}项目",
                    code, self.code_text(self.uscc(bidder)), "是" if bidder == winner else "否",
                    self.date_text(day),
                    round(rng.uniform(10, 500), 1) if bidder == winner else ""])

    def _civil_servants(self) -> None:
        rng = self.rng
        departments = list(self.departments)
        for p in range(0, self.persons, 100):
            person = (p + 17) % self.persons
            department = rng.choice(departments)
            position = rng.choice(["科员", "主任科员", "副处长", "处长"])
            self.civil_servant(person, department, position)

    def civil_servant(self, person: int, department: str, position: str,
                      records: bool = True) -> None:
        rng = self.rng
        rid = self.resident_id(person)
        code, dept_name, _ = self.departments[department]
        start = dt.date(rng.randint(2000, 2012), rng.randint(1, 12), 1)
        self.files.row("civil_servants", [rid, self.person_name(person), code, position,
                                          rng.choice(["一级科员", "四级调研员", "二级主任科员"]),
                                          start.isoformat(), ""])
        if not records:
            return
        for year in range(max(start.year + 1, 2012), 2017):
            result = rng.choices(["优秀", "称职", "基本称职", "不称职"], [15, 80, 4, 1])[0]
            self.files.row("integrity_records", [rid, "年度考核", f"{year}-12-31", result,
                                                 f"{year}年度考核", dept_name])
        self.files.row("integrity_records", [rid, "廉政记录", "2016-01-15", "无违纪",
                                             "廉政档案年度更新", dept_name])


def _wrong_check(body: str) -> str:
    """An 18-character number with a check character that does not match."""
    right = resident_id_check_char(body[:17])
    return body[:17] + "0123456789X"[("0123456789X".index(right) + 1) % 11]


def _corrupt(number: str, type_word: str, nationality: str) -> tuple[str, str, str]:
    """A legal representative's document as a registry mistypes it: the check character of an
    18-character number, a digit lost from a permit, an unknown nationality of a passport."""
    if len(number) == 18:
        return _wrong_check(number), type_word, nationality
    if type_word and "护照" in type_word:
        bad = v.BAD_NATIONALITIES
        return number, type_word, bad[int(number[-1], 36) % len(bad)]
    typed = type_word or ("港澳居民来往内地通行证" if number[0] in "HM" else type_word)
    return number[:-1], typed, nationality


def _between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _weighted(rng: random.Random, specs: tuple) -> tuple:
    return rng.choices(specs, [s[-1] for s in specs])[0]


def generate(out: Path, enterprises: int, seed: int = 2016, as_of: dt.date | None = None,
             dirty_rate: float = 0.005) -> dict[str, Any]:
    """Write the input files and answers.json to ``out``; returns the answers."""
    if enterprises < 50:
        raise ValueError("at least 50 enterprises (the planted cases need company around them)")
    if not 0 <= dirty_rate <= 0.2:
        raise ValueError("the dirty rate is a fraction between 0 and 0.2")
    generator = Generator(out, enterprises, seed, as_of or dt.date(2026, 11, 1), dirty_rate)
    return generator.generate()


__all__ = ["generate", "mask_resident_id"]
