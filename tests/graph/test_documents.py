"""Identity documents beyond resident ID numbers: each type checked by what can be checked, the
type told by shape only when the shape is unambiguous, keys that never merge two types, masks."""

from __future__ import annotations

import pytest

from creditgraph.graph import countries
from creditgraph.graph.documents import (
    NAMES,
    UnknownDocumentType,
    check_document,
    document_facts,
    document_key,
    document_type,
    identify,
)
from creditgraph.graph.identifiers import resident_id_check_char
from tests.shared import SECRET


def with_check(body: str) -> str:
    return body + resident_id_check_char(body)


HK_RESIDENCE = with_check("81000019850612003")
TW_RESIDENCE = with_check("83000019700101002")
FOREIGN_2023 = with_check("93384019800101001")   # Zhejiang, USA (840)
VALID = [
    ("330105198207053514", None, "resident_id", None),
    (HK_RESIDENCE, "港澳台居民居住证", "hmt_residence", "HK"),
    (TW_RESIDENCE, None, "hmt_residence", "TW"),
    (FOREIGN_2023, "外国人永久居留身份证", "foreign_permanent", "US"),
    (FOREIGN_2023, None, "foreign_permanent", "US"),
    ("USA330180012311", "外国人永久居留身份证", "foreign_permanent", "US"),  # the 2017 card
    ("H01234567", None, "hk_macao_permit", "HK"),
    ("M12345678", "港澳居民来往内地通行证", "hk_macao_permit", "MO"),
    ("H0123456789", "回乡证", "hk_macao_permit", "HK"),
    ("12345678", "台湾居民来往大陆通行证", "taiwan_permit", "TW"),
    ("E12345678", None, "passport", None),
    ("EA1234567", "护照", "passport", None),
    ("533456789", "护照", "passport", None),
    ("X1234567", "其他", "other", None),
]


@pytest.mark.parametrize(("number", "word", "doc_type", "nationality"), VALID)
def test_valid_numbers_of_every_type(number, word, doc_type, nationality):
    check = check_document(number, document_type(word) if word else None)
    assert check.valid, check.reason
    assert (check.doc_type or "resident_id", check.nationality) == (doc_type, nationality)
    assert check.personal


INVALID = [
    ("330105198207053515", None, "check character"),
    (HK_RESIDENCE[:-1] + ("0" if HK_RESIDENCE[-1] != "0" else "1"), "港澳台居民居住证",
     "check character"),
    ("840000198506120031", "港澳台居民居住证", "810000, 820000 or 830000"),
    (with_check("93384019801301001"), "外国人永久居留身份证", "birth date"),
    (with_check("99384019800101001"), "外国人永久居留身份证", "province"),
    (with_check("93399919800101001"), "外国人永久居留身份证", "ISO 3166 numeric"),
    (FOREIGN_2023[:-1] + ("0" if FOREIGN_2023[-1] != "0" else "1"), None, None),  # → USCC shape
    ("H1234567", "港澳居民来往内地通行证", "H or M and 8 digits"),
    ("K01234567", "港澳居民来往内地通行证", "H or M and 8 digits"),
    ("1234567", "台湾居民来往大陆通行证", "8 digits"),
    ("E123", "护照", "5-20 letters and digits"),
    ("ABCDEFG", "护照", "at least one a digit"),
    ("X1", "其他", "4-30 letters and digits"),
    ("12345678", None, "fit a 台湾居民来往大陆通行证 and a passport alike"),
    ("ZZ-99", None, "fits no document shape"),
]


@pytest.mark.parametrize(("number", "word", "reason"), INVALID)
def test_invalid_numbers_of_every_type_say_why(number, word, reason):
    check = identify(number, document_type(word) if word else None)
    if reason is None:  # a number that is neither a valid document nor a valid code
        assert not check.valid
        return
    assert check.severity == "error" and reason in check.reason, check


def test_a_chinese_passport_has_its_own_format_and_nationality_is_checked():
    assert check_document("E1234567", "passport", "CN").reason.startswith("a Chinese passport")
    assert check_document("E12345678", "passport", "中国").valid
    assert check_document("123456789", "passport", "美国").nationality == "US"
    assert "not an ISO 3166" in check_document("123456789", "passport", "Atlantis").reason


def test_unknown_type_words_are_refused_naming_the_choices():
    assert document_type("台胞证") == "taiwan_permit"
    with pytest.raises(UnknownDocumentType, match="护照"):
        document_type("驾驶证")
    assert set(NAMES) == {"resident_id", "hmt_residence", "foreign_permanent",
                          "hk_macao_permit", "taiwan_permit", "passport", "other"}


def test_equal_numbers_of_two_types_never_share_a_key():
    as_permit = check_document("12345678", "taiwan_permit")
    as_passport = check_document("12345678", "passport")
    assert document_key(as_permit, SECRET) != document_key(as_passport, SECRET)
    assert document_key(as_permit, SECRET) == document_key(
        check_document(" 1234-5678 ", "taiwan_permit"), SECRET)  # normalised first
    resident = identify("330105198207053514")  # keys made before other types existed stay
    from creditgraph.graph.identifiers import person_key
    assert document_key(resident, SECRET) == person_key("330105198207053514", SECRET)


def test_a_residence_permit_number_is_one_person_whatever_type_the_source_wrote():
    keys = {document_key(check_document(HK_RESIDENCE, t), SECRET)
            for t in (None, "resident_id", "hmt_residence")}
    assert len(keys) == 1
    assert check_document(HK_RESIDENCE, "resident_id").nationality == "HK"


def test_masks_and_facts_never_carry_the_number():
    facts = document_facts(check_document("E12345678", "passport", "US"))
    assert (facts.id_masked, facts.id_type, facts.nationality, facts.birth_year) == (
        "E******78", "passport", "US", None)
    facts = document_facts(check_document(HK_RESIDENCE))
    assert facts.id_masked == HK_RESIDENCE[:6] + "********" + HK_RESIDENCE[-4:]
    assert (facts.birth_year, facts.nationality, facts.division) == (1985, "HK", "810000")
    public = check_document("H01234567").public()
    assert "H01234567" not in repr(public)


def test_a_valid_uscc_wins_over_a_document_of_the_same_shape():
    assert identify("91330106143912349L").kind == "uscc"
    assert identify(FOREIGN_2023).doc_type == "foreign_permanent"


@pytest.mark.parametrize(("text", "code"), [("US", "US"), ("USA", "US"), ("840", "US"),
                                            ("美国", "US"), ("中国香港", "HK"), ("英属维尔京群岛", "VG"),
                                            ("Singapore", "SG"), ("台湾", "TW")])
def test_countries_in_every_common_spelling(text, code):
    assert countries.country_code(text) == code
    assert countries.chinese_name(code)
