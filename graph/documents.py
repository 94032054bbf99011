"""Identity documents of natural persons (证件): which type a number is, whether it checks, how
it is keyed and masked. Pure functions, no I/O; the rules and their sources are in
docs/identities.md.

Types, with the names of the national 双公示 standard (证件类型):
- ``resident_id`` 居民身份证 — GB 11643-1999 (graph.identifiers.check_resident_id);
- ``hmt_residence`` 港澳台居民居住证 — 18 characters like a resident ID, division 810000 (Hong
  Kong), 820000 (Macao) or 830000 (Taiwan), GB 11643 check character;
- ``foreign_permanent`` 外国人永久居留身份证 — the 2023 card: 18 characters, ``9``, the accepting
  province (2 digits), the nationality (3-digit ISO 3166 numeric), birth date, sequence, GB 11643
  check character; the 2017 card: 3-letter ISO 3166 nationality and 12 digits;
- ``hk_macao_permit`` 港澳居民来往内地通行证 — ``H`` (Hong Kong) or ``M`` (Macao) and 8 digits
  (10 on cards before 2013);
- ``taiwan_permit`` 台湾居民来往大陆通行证 — 8 digits (10 on booklets before 2015);
- ``passport`` 护照 — 5-20 letters and digits; a Chinese one (nationality CN) is ``E``, ``G``,
  ``D``, ``S`` or ``P``, then a letter or digit and 7 digits;
- ``other`` 其他 — 4-30 letters and digits, format only.

Every number is personal data whatever its type: the graph keys a person by HMAC-SHA256 of the
type and the number (a resident ID alone, so that keys made before other types existed stay
the same), so equal numbers of two types never merge; it shows only the masked number.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import Literal, get_args

from creditgraph.graph import countries
from creditgraph.graph.identifiers import (
    CodeCheck,
    birth_date,
    check_resident_id,
    classify,
    mask_digit_runs,
    mask_document_number,
    normalize_code,
    person_key,
    resident_id_check_char,
)

DocumentType = Literal["resident_id", "hmt_residence", "foreign_permanent", "hk_macao_permit",
                       "taiwan_permit", "passport", "other"]
DOCUMENT_TYPES: tuple[str, ...] = get_args(DocumentType)

NAMES: dict[str, str] = {
    "resident_id": "居民身份证", "hmt_residence": "港澳台居民居住证",
    "foreign_permanent": "外国人永久居留身份证", "hk_macao_permit": "港澳居民来往内地通行证",
    "taiwan_permit": "台湾居民来往大陆通行证", "passport": "护照", "other": "其他",
}
# What registries write in a 证件类型 column besides the standard names.
ALIASES: dict[str, str] = {
    "身份证": "resident_id", "居民身份证号码": "resident_id", "公民身份号码": "resident_id",
    "中华人民共和国居民身份证": "resident_id",
    "港澳居民居住证": "hmt_residence", "台湾居民居住证": "hmt_residence",
    "外国人永久居留证": "foreign_permanent", "永久居留身份证": "foreign_permanent",
    "外国人永久居留身份证件": "foreign_permanent",
    "回乡证": "hk_macao_permit", "港澳通行证": "hk_macao_permit",
    "港澳居民往来内地通行证": "hk_macao_permit",
    "台胞证": "taiwan_permit", "台湾居民往来大陆通行证": "taiwan_permit",
    "外国护照": "passport", "中国护照": "passport", "普通护照": "passport",
    "其它": "other", "其他证件": "other",
}
HMT_DIVISIONS = {"810000": "HK", "820000": "MO", "830000": "TW"}
PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45,
             46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65}

_EIGHTEEN = re.compile(r"^\d{17}[\dX]$")
_FOREIGN_2017 = re.compile(r"^[A-Z]{3}\d{12}$")
_HK_MACAO = re.compile(r"^[HM](\d{8}|\d{10})$")
_TAIWAN = re.compile(r"^(\d{8}|\d{10})$")
_CHINESE_PASSPORT = re.compile(r"^[EGDSP][0-9A-Z]\d{7}$")
_PASSPORT = re.compile(r"^[0-9A-Z]{5,20}$")
_OTHER = re.compile(r"^[0-9A-Z]{4,30}$")


class UnknownDocumentType(ValueError):
    pass


def document_type(word: str) -> str:
    """The type code for what a 证件类型 column says (standard name, alias or code)."""
    text = "".join(word.split())
    if text in DOCUMENT_TYPES:
        return text
    for code, name in NAMES.items():
        if text == name:
            return code
    if text in ALIASES:
        return ALIASES[text]
    raise UnknownDocumentType(f"unknown 证件类型 {word!r}; one of {', '.join(NAMES.values())}")


def check_document(text: str, doc_type: str | None = None, nationality: str | None = None,
                   today: dt.date | None = None) -> CodeCheck:
    """Check a person's document number. Without a type the shape decides; a shape that fits
    no type, or more than one, is an error saying so (never guessed)."""
    code = normalize_code(text)
    if doc_type is None:
        doc_type, why = _shape(code)
        if doc_type is None:
            return CodeCheck(text, code, "document", "error", why)
    if doc_type == "resident_id" and code[:6] in HMT_DIVISIONS:
        doc_type = "hmt_residence"  # one person, one key, whatever type the source wrote
    if doc_type == "resident_id":
        return check_resident_id(text, today)
    checker = _CHECKS[doc_type]
    reason, found_nationality = checker(code, nationality, today or dt.date.today())
    return CodeCheck(text, code, "document", "error" if reason else "ok", reason,
                     doc_type=doc_type, nationality=found_nationality)


def identify(text: str, doc_type: str | None = None, nationality: str | None = None,
             today: dt.date | None = None, person: bool = False) -> CodeCheck:
    """What a subject reference is: with a document type, that document; without one, a
    unified social credit code, legacy code or resident ID number as before, else a person's
    document told by its shape. A valid USCC wins over a document of the same shape (a
    foreign permanent resident number also starts with 9); a USCC that only fails its check
    loses to a document that verifies. A column that only ever names a ``person`` reads the
    shape as a document first (``H12345678`` is a permit there, never an organisation code);
    an 18-digit number of division 810000 / 820000 / 830000 is a 港澳台居民居住证 everywhere."""
    if doc_type is not None:
        return check_document(text, doc_type, nationality, today)
    code = normalize_code(text)
    if person or (_EIGHTEEN.match(code) and code[:6] in HMT_DIVISIONS):
        return check_document(text, None, nationality, today)
    check = classify(text)
    if check.kind == "resident_id" or check.valid:
        return check
    document = check_document(text, None, nationality, today)
    if document.valid or check.kind == "unknown":
        return document
    return check


def _shape(code: str) -> tuple[str | None, str]:
    if _EIGHTEEN.match(code):
        if code[:6] in HMT_DIVISIONS:
            return "hmt_residence", ""
        if code[0] == "9":
            return "foreign_permanent", ""
        return "resident_id", ""
    if _FOREIGN_2017.match(code):
        return "foreign_permanent", ""
    if _HK_MACAO.match(code):
        return "hk_macao_permit", ""
    if _CHINESE_PASSPORT.match(code):
        return "passport", ""
    if _TAIWAN.match(code):
        return None, (f"{len(code)} digits fit a 台湾居民来往大陆通行证 and a passport alike; "
                      "give the 证件类型 (id_type)")
    return None, ("the number fits no document shape it could be told from; give the 证件类型 "
                  f"(id_type): {', '.join(NAMES.values())}")


def _birth_checked(code: str, today: dt.date) -> str:
    birth = birth_date(code)
    if birth is None:
        return "positions 7-14 are not a real birth date"
    if birth > today or birth.year < 1900:
        return "birth date out of range"
    return ""


def _nationality(nationality: str | None) -> tuple[str, str | None]:
    if not nationality:
        return "", None
    try:
        return "", countries.country_code(nationality)
    except countries.UnknownCountry as exc:
        return f"nationality: {exc}", None


def _hmt_residence(code: str, nationality: str | None, today: dt.date) -> tuple[str, str | None]:
    if not _EIGHTEEN.match(code):
        return "a 港澳台居民居住证 number is 17 digits and a check digit or X", None
    if code[:6] not in HMT_DIVISIONS:
        return f"a 港澳台居民居住证 number starts 810000, 820000 or 830000, not {code[:6]}", None
    reason = _birth_checked(code, today)
    if not reason and code[17] != resident_id_check_char(code):
        reason = "check character does not match"
    return reason, HMT_DIVISIONS[code[:6]]


def _foreign_permanent(code: str, nationality: str | None, today: dt.date
                       ) -> tuple[str, str | None]:
    if _FOREIGN_2017.match(code):
        try:
            return "", countries.country_code(code[:3])
        except countries.UnknownCountry:
            return f"{code[:3]} is not an ISO 3166 country code", None
    if not _EIGHTEEN.match(code) or code[0] != "9":
        return ("a 外国人永久居留身份证 number is 18 characters starting with 9 (2023 card) or 3 "
                "letters and 12 digits (2017 card)"), None
    if int(code[1:3]) not in PROVINCES:
        return f"positions 2-3 ({code[1:3]}) are not a province code", None
    country = countries.from_numeric(code[3:6])
    if country is None:
        return f"positions 4-6 ({code[3:6]}) are not an ISO 3166 numeric country code", None
    reason = _birth_checked(code, today)
    if not reason and code[17] != resident_id_check_char(code):
        reason = "check character does not match"
    return reason, country


def _hk_macao_permit(code: str, nationality: str | None, today: dt.date
                     ) -> tuple[str, str | None]:
    if not _HK_MACAO.match(code):
        return "a 港澳居民来往内地通行证 number is H or M and 8 digits (10 before 2013)", None
    return "", "HK" if code[0] == "H" else "MO"


def _taiwan_permit(code: str, nationality: str | None, today: dt.date) -> tuple[str, str | None]:
    if not _TAIWAN.match(code):
        return "a 台湾居民来往大陆通行证 number is 8 digits (10 before 2015)", None
    return "", "TW"


def _passport(code: str, nationality: str | None, today: dt.date) -> tuple[str, str | None]:
    problem, country = _nationality(nationality)
    if problem:
        return problem, None
    if country == "CN" and not _CHINESE_PASSPORT.match(code):
        return ("a Chinese passport number is E, G, D, S or P, a letter or digit and 7 digits",
                country)
    if not _PASSPORT.match(code) or not any(c.isdigit() for c in code):
        return "a passport number is 5-20 letters and digits, at least one a digit", country
    return "", country


def _other(code: str, nationality: str | None, today: dt.date) -> tuple[str, str | None]:
    problem, country = _nationality(nationality)
    if problem:
        return problem, None
    if not _OTHER.match(code):
        return "a document number is 4-30 letters and digits", country
    return "", country


_CHECKS = {"hmt_residence": _hmt_residence, "foreign_permanent": _foreign_permanent,
           "hk_macao_permit": _hk_macao_permit, "taiwan_permit": _taiwan_permit,
           "passport": _passport, "other": _other}


# -- keys, masks, facts ------------------------------------------------------------------------


def document_key(check: CodeCheck, secret: bytes) -> str:
    """The graph key of the person holding the document. A resident ID keeps the key it always
    had; another type is keyed with its type, so a passport and a permit with equal numbers
    are two people unless a row links them."""
    if check.kind == "resident_id":
        return person_key(check.normalized, secret)
    text = f"{check.doc_type}:{check.normalized}"
    return hmac.new(secret, text.encode("utf-8"), hashlib.sha256).hexdigest()


def mask_document(check: CodeCheck) -> str:
    return mask_document_number(check.normalized)


@dataclass(frozen=True)
class DocumentFacts:
    """What the graph may keep of a document: its type, the masked number, and what the number
    itself states (birth year, sex, division or nationality) where it states them."""
    id_type: str
    id_masked: str
    birth_year: int | None = None
    sex: str | None = None
    division: str | None = None
    nationality: str | None = None


def document_facts(check: CodeCheck) -> DocumentFacts:
    code = check.normalized
    doc_type = check.doc_type or "resident_id"
    masked = mask_document(check)
    if doc_type in ("resident_id", "hmt_residence") or (
            doc_type == "foreign_permanent" and len(code) == 18):
        birth = birth_date(code)
        sex = "男" if int(code[16]) % 2 else "女"
        division = code[:6] if doc_type != "foreign_permanent" else None
        nationality = "CN" if doc_type == "resident_id" else check.nationality
        return DocumentFacts(doc_type, masked, birth.year if birth else None, sex, division,
                             nationality)
    return DocumentFacts(doc_type, masked, nationality=check.nationality)


_TOKEN = re.compile(r"[0-9A-Za-z]{5,24}")


def could_be_a_document(text: str) -> bool:
    """A person's document number of any type, or a value shaped like one that no check could
    tell (eight digits may be a Taiwan permit): to be masked rather than echoed."""
    if not 5 <= len(text.strip()) <= 24:
        return False
    check = identify(text)
    if not check.personal:
        return False
    return check.doc_type is not None or check.kind == "resident_id" or (
        check.normalized.isdigit() and len(check.normalized) >= 8)


def mask_personal_text(text: str) -> str:
    """Free text for a record (a search query, a code asked about) with every token of 6-24
    letters and digits that holds a digit masked, unless it is a valid USCC, organisation code
    or registration number: a passport number has no shape of its own, so anything that might
    be one is masked. Also every run of 15+ digits."""
    masked = _TOKEN.sub(_mask_unless_a_code, text)
    return mask_digit_runs(masked)


def _mask_unless_a_code(match: re.Match[str]) -> str:
    token = match.group(0)
    if len(token) < 6 or not any(c.isdigit() for c in token):
        return token
    check = classify(token)
    if check.kind in ("uscc", "org_code", "reg_no") and check.valid and not could_be_a_document(
            token):
        return token
    return mask_document_number(token)


def read_reference(text: str, doc_type: str | None = None) -> CodeCheck:
    """What a typed subject reference is taken for — in a search box, a link, a CLI option, an
    API call: with a document type (given, or written before the number as ``护照:M18950915``),
    that document; without one, what the shape says (``identify``). A text that fits no document
    shape at all is returned as classified (a name or an overseas entity's id, never a person's
    number); one whose shape fits two types stays a person's number that cannot be told."""
    if doc_type:
        return identify(text, document_type(doc_type))  # raises UnknownDocumentType
    word, colon, number = text.partition(":")
    if colon:
        try:
            return identify(number, document_type(word))
        except UnknownDocumentType:
            pass  # not a type word: the text as a whole
    check = identify(text)
    if check.kind == "document" and check.doc_type is None and not could_be_a_document(text):
        return classify(text)
    return check
