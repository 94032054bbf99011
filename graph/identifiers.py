"""Chinese subject identifiers: normalisation, validation, classification, masking and keying.

Pure functions, no I/O. Algorithms per ../shared/DOMAIN.md:
- unified social credit code (统一社会信用代码, GB 32100-2015), 18 characters;
- organisation code (组织机构代码, GB 11714), 9 characters, also positions 9-17 of a USCC;
- legacy business registration number (工商注册号), 15 digits, ISO 7064 MOD 11,10;
- resident identity number (居民身份证号码, GB 11643-1999), 18 characters — personal data:
  only ever shown masked, stored as an HMAC-SHA256 key.

Severity: ``error`` means the text cannot be that code (length, characters, impossible date) and
the row is rejected; ``warning`` means a check character or an embedded part does not verify —
some early pilot-region codes are in real use yet fail the check — so the row is kept and flagged
unless strict mode is asked for.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import lru_cache, partial
from operator import mul
from typing import Literal

from creditgraph.graph import divisions

# "document": a person's identity document other than a resident ID (graph.documents)
CodeKind = Literal["uscc", "org_code", "reg_no", "resident_id", "document", "unknown"]
Severity = Literal["ok", "warning", "error"]

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 symbols: no I, O, S, V, Z
USCC_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
# 登记管理部门: 1 机构编制 2 外交 3 司法行政 4 文化 5 民政 6 旅游 7 宗教 8 工会 9 工商/市场监管
# A 中央军委改革和编制办公室 N 农业 Y 其他
USCC_AUTHORITIES = set("123456789ANY")

ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
RID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
RID_CHECK = "10X98765432"

_DROP = re.compile(r"[\s\-‐‑‒–—―_·]")
RID_SHAPE = re.compile(r"^\d{17}[\dX]$")


def normalize_code(text: str) -> str:
    """Trim, full-width to half-width (NFKC), upper case, drop spaces and hyphens."""
    upper = _DROP.sub("", unicodedata.normalize("NFKC", text)).upper()
    return unicodedata.normalize("NFKC", upper)  # upper-casing can denormalise (e.g. 'ǰ')


@dataclass(frozen=True)
class CodeCheck:
    input: str
    normalized: str
    kind: CodeKind
    severity: Severity
    reason: str = ""
    doc_type: str | None = None     # for kind "document": which (graph.documents)
    nationality: str | None = None  # ISO 3166 alpha-2, where the document states or was given it

    @property
    def valid(self) -> bool:
        return self.severity == "ok"

    @property
    def personal(self) -> bool:
        """A person's document number: personal data, shown only masked, stored only keyed."""
        return self.kind in ("resident_id", "document")

    @property
    def usable(self) -> bool:
        """Good enough to identify a subject (valid, or only a check-character warning)."""
        return self.severity != "error"

    def public(self) -> dict[str, object]:
        """The form safe to print or log: resident ID numbers masked, never in clear."""
        data = asdict(self) | {"valid": self.valid}
        if self.personal:
            data["input"] = data["normalized"] = mask_document_number(self.normalized)
        return data


# -- check characters --------------------------------------------------------------------------


def _weighted(values: Iterable[int], weights: list[int], body: str) -> int:
    """The weighted sum of a code's first characters (map and mul: these run for every code a
    load reads)."""
    if len(body) < len(weights):
        raise ValueError(f"{len(body)} characters, the check needs {len(weights)}")
    return sum(map(mul, values, weights))


def uscc_check_char(body: str) -> str:
    total = _weighted(map(USCC_VALUE.__getitem__, body[:17]), USCC_WEIGHTS, body)
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(body: str) -> str:
    total = _weighted(map(ORG_ALPHABET.index, body[:8]), ORG_WEIGHTS, body)
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def reg_no_check_digit(body: str) -> str:
    product = 10
    for digit in body[:14]:
        total = (int(digit) + product) % 10 or 10
        product = (2 * total) % 11
    return str((11 - product) % 10)


def resident_id_check_char(body: str) -> str:
    return RID_CHECK[_weighted(map(int, body[:17]), RID_WEIGHTS, body) % 11]


# -- validators --------------------------------------------------------------------------------


@lru_cache(maxsize=1 << 18)
def check_uscc(text: str) -> CodeCheck:
    code = normalize_code(text)

    result = partial(CodeCheck, text, code, "uscc")  # result(severity, reason="")

    if len(code) != 18:
        return result("error", f"length {len(code)}, a unified social credit code has 18")
    for position, char in enumerate(code, start=1):
        if char not in USCC_VALUE:
            return result("error", f"character {char!r} at position {position} is not allowed "
                                   "(0-9 and A-Y without I, O, S, V, Z)")
    if not code[2:8].isdigit():
        return result("error", "positions 3-8 (division code) must be digits")
    expected = uscc_check_char(code)
    if code[17] != expected:
        return result("warning", f"check character is {code[17]!r}, expected {expected!r}")
    if code[0] not in USCC_AUTHORITIES:
        return result("warning", f"unknown registration authority {code[0]!r} at position 1")
    if org_code_check_char(code[8:16]) != code[16]:
        return result("warning", "embedded organisation code (positions 9-17) fails its check")
    if not divisions.known(code[2:8]):
        return result("warning", f"division code {code[2:8]} is not a known division")
    return result("ok")


@lru_cache(maxsize=1 << 18)
def check_org_code(text: str) -> CodeCheck:
    code = normalize_code(text)

    result = partial(CodeCheck, text, code, "org_code")  # result(severity, reason="")

    if len(code) != 9:
        return result("error", f"length {len(code)}, an organisation code has 9")
    if any(c not in ORG_ALPHABET for c in code[:8]) or code[8] not in "0123456789X":
        return result("error", "an organisation code is 8 characters 0-9A-Z and a check 0-9 or X")
    expected = org_code_check_char(code)
    if code[8] != expected:
        return result("warning", f"check character is {code[8]!r}, expected {expected!r}")
    return result("ok")


@lru_cache(maxsize=1 << 18)
def check_reg_no(text: str) -> CodeCheck:
    code = normalize_code(text)

    result = partial(CodeCheck, text, code, "reg_no")  # result(severity, reason="")

    if len(code) != 15:
        return result("error", f"length {len(code)}, a registration number has 15 digits")
    if not code.isdigit():
        return result("error", "a registration number is 15 digits")
    expected = reg_no_check_digit(code)
    if code[14] != expected:
        return result("warning", f"check digit is {code[14]!r}, expected {expected!r}")
    return result("ok")


def check_resident_id(text: str, today: dt.date | None = None) -> CodeCheck:
    code = normalize_code(text)

    result = partial(CodeCheck, text, code, "resident_id")  # result(severity, reason="")

    if len(code) == 15 and code.isdigit():
        return result("error", "15-digit first-generation ID numbers are not accepted; "
                               "give the 18-digit number")
    if len(code) != 18:
        return result("error", f"length {len(code)}, a resident ID number has 18 characters")
    if not RID_SHAPE.match(code):
        return result("error", "a resident ID number is 17 digits and a check digit or X")
    birth = birth_date(code)
    if birth is None:
        return result("error", "positions 7-14 are not a real birth date")
    if birth > (today or dt.date.today()) or birth.year < 1900:
        return result("error", "birth date out of range")
    if not divisions.known(code[:6], birth.year) and not divisions.known(code[:6]):
        return result("error", f"division code {code[:6]} is not a known division")
    expected = resident_id_check_char(code)
    if code[17] != expected:
        return result("error", "check character does not match")
    return result("ok")


def birth_date(code: str) -> dt.date | None:
    try:
        return dt.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        return None


def _looks_like_resident_id(code: str) -> bool:
    """Shape, a plausible birth date and a known division: treat as personal data even when the
    check character is wrong, so a mistyped ID number is still never echoed in clear."""
    if len(code) == 15 and code.isdigit():
        return birth_date(f"{code[:6]}19{code[6:12]}") is not None and divisions.known(code[:6])
    if not RID_SHAPE.match(code):
        return False
    birth = birth_date(code)
    return birth is not None and birth.year >= 1900 and divisions.known(code[:6])


@lru_cache(maxsize=1 << 18)
def classify(text: str) -> CodeCheck:
    """Work out which identifier a text is and check it."""
    code = normalize_code(text)
    if len(code) == 18:
        if _looks_like_resident_id(code):
            as_rid = check_resident_id(text)
            if as_rid.valid or not check_uscc(text).valid:
                return as_rid
        return check_uscc(text)
    if len(code) == 9:
        return check_org_code(text)
    if len(code) == 15 and code.isdigit():
        as_reg = check_reg_no(text)
        if not as_reg.valid and _looks_like_resident_id(code):
            return check_resident_id(text)
        return as_reg
    return CodeCheck(text, code, "unknown", "error",
                     f"not a known identifier (length {len(code)})")


# -- personal data -----------------------------------------------------------------------------


def mask_resident_id(code: str) -> str:
    """``330102********1234``: division kept, birth date and sequence hidden."""
    code = normalize_code(code)
    if len(code) < 10:
        return "*" * len(code)
    return code[:6] + "*" * (len(code) - 10) + code[-4:]


def mask_document_number(code: str) -> str:
    """Any person's document number masked: 15 characters or more as a resident ID
    (``810000********1234``); shorter ones keep their first character and last two
    (``E******78``)."""
    code = normalize_code(code)
    if len(code) >= 15:
        return mask_resident_id(code)
    if len(code) <= 4:
        return "*" * len(code)
    return code[0] + "*" * (len(code) - 3) + code[-2:]


_TOKEN = re.compile(r"[0-9A-Za-z]{15,}")
_FIFTEEN_DIGITS = re.compile(r"\d{15}")


def mask_digit_runs(text: str) -> str:
    """Any token holding a run of 15 or more digits, masked like an ID number, unless it is a
    valid unified social credit code or registration number that cannot be a resident ID
    number. Reports and messages go through this, so a mistyped ID number (bad check digit,
    impossible date, extra digit) is never echoed in clear either."""
    return _TOKEN.sub(_mask_token, text)  # tokens first: a nested pattern backtracks badly


def _mask_token(match: re.Match[str]) -> str:
    token = match.group(0)
    if not _FIFTEEN_DIGITS.search(token):
        return token
    code = token.upper()
    if len(code) == 18 and check_uscc(code).valid and not check_resident_id(code).valid:
        return token
    if len(code) == 15 and check_reg_no(code).valid and not _looks_like_resident_id(code):
        return token
    if len(code) >= 18:
        return code[:6] + "*" * (len(code) - 10) + code[-4:]
    return code[:6] + "*" * (len(code) - 6)


def person_key(resident_id: str, secret: bytes) -> str:
    """The graph key of a person: HMAC-SHA256 of the normalised ID number under a secret key.
    A plain hash would be brute-forced (about 10^11 possible numbers)."""
    return hmac.new(secret, normalize_code(resident_id).encode("ascii"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ResidentFacts:
    """What the graph may keep of an ID number: masked form, birth year, sex, division."""
    id_masked: str
    birth_year: int
    sex: str
    division: str


def resident_facts(resident_id: str) -> ResidentFacts:
    code = normalize_code(resident_id)
    birth = birth_date(code)
    assert birth is not None, "check_resident_id first"
    return ResidentFacts(
        id_masked=mask_resident_id(code),
        birth_year=birth.year,
        sex="男" if int(code[16]) % 2 else "女",
        division=code[:6],
    )


def org_code_of_uscc(uscc: str) -> str:
    """Positions 9-17: a legacy organisation code matches its USCC directly."""
    return normalize_code(uscc)[8:17]
