"""Identifier algorithms (GB 32100, GB 11714, ISO 7064 MOD 11,10, GB 11643), by example and by
property."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditgraph.graph import divisions
from creditgraph.graph.identifiers import (
    ORG_ALPHABET,
    USCC_ALPHABET,
    check_org_code,
    check_reg_no,
    check_resident_id,
    check_uscc,
    classify,
    mask_resident_id,
    normalize_code,
    org_code_check_char,
    person_key,
    reg_no_check_digit,
    resident_facts,
    resident_id_check_char,
    uscc_check_char,
)

# Public examples (../shared/DOMAIN.md)
VALID_USCC = ["91330100799655058B", "91110000600037341L", "9144030071526726XG",
              "91310115MA1K3BTP2B"]
VALID_RID = ["110102199101010078", "44011320141005001X"]


@pytest.mark.parametrize("code", VALID_USCC)
def test_published_usccs_verify(code):
    result = check_uscc(code)
    assert result.valid, result.reason
    assert classify(code).kind == "uscc"


@pytest.mark.parametrize("code", VALID_RID)
def test_published_resident_ids_verify(code):
    assert check_resident_id(code).valid
    assert classify(code).kind == "resident_id"


def test_registration_number_example_verifies():
    assert check_reg_no("110108000000016").valid
    assert check_reg_no("110108000000017").severity == "warning"


def test_normalisation_trims_widens_and_drops_separators():
    assert normalize_code(" ９１３３０１００７９９６５５０５８ｂ ") == "91330100799655058B"
    assert normalize_code("79965505-8") == "799655058"
    assert normalize_code("9133 0100 7996 5505 8B") == "91330100799655058B"


@pytest.mark.parametrize(("code", "severity", "reason"), [
    ("91330100799655058C", "warning", "check character is 'C', expected 'B'"),
    ("9133010079965505", "error", "length 16"),
    ("91330100I99655058B", "error", "character 'I' at position 9"),
    ("9133O100799655058B", "error", "character 'O' at position 5"),
    ("913301007996550X8B", "warning", ""),  # embedded organisation code broken
])
def test_uscc_failures_are_graded(code, severity, reason):
    result = check_uscc(code)
    if severity == "warning" and not reason:
        body = code[:17]
        code = body + uscc_check_char(body)
        result = check_uscc(code)
        assert "embedded organisation code" in result.reason
    assert result.severity == severity
    assert reason in result.reason


def test_resident_id_rules():
    assert check_resident_id("110102199102300078").reason == (
        "positions 7-14 are not a real birth date")
    assert "check character" in check_resident_id("110102199101010079").reason
    future = check_resident_id("1101022199" + "01010078")
    assert future.severity == "error"
    assert "division code 999999" in check_resident_id(
        _rid("999999", "19900101", "123")).reason
    assert "first-generation" in check_resident_id("110102910101007").reason


def _rid(division: str, birth: str, sequence: str) -> str:
    body = division + birth + sequence
    return body + resident_id_check_char(body)


def test_resident_facts_and_masking_keep_nothing_identifying():
    number = _rid("330106", "19700312", "123")
    facts = resident_facts(number)
    assert (facts.id_masked, facts.birth_year, facts.sex, facts.division) == (
        "330106********" + number[-4:], 1970, "男", "330106")
    assert mask_resident_id(number) == "330106********" + number[-4:]
    assert "19700312" not in mask_resident_id(number)
    assert resident_facts(_rid("330106", "19700312", "124")).sex == "女"


def test_person_key_is_keyed_not_a_plain_hash():
    number = VALID_RID[0]
    a = person_key(number, b"key-one-0123456789")
    assert a == person_key(" " + number.lower() + " ", b"key-one-0123456789")
    assert a != person_key(number, b"key-two-0123456789")
    import hashlib

    assert a != hashlib.sha256(number.encode()).hexdigest()


def test_historical_divisions():
    assert divisions.known("330103", 2016) and not divisions.known("330103", 2022)
    assert divisions.known("330113", 2022) and not divisions.known("330113", 2016)
    assert divisions.name("330185", 2016) == "临安市"
    assert set(divisions.hangzhou_2016()) == {
        "330102", "330103", "330104", "330105", "330106", "330108", "330109", "330110",
        "330111", "330122", "330127", "330182", "330185"}


def test_classify_never_echoes_a_mistyped_id_number():
    mistyped = VALID_RID[0][:-1] + "5"
    result = classify(mistyped)
    assert result.kind == "resident_id" and not result.valid
    assert mistyped not in str(result.public())


# -- properties --------------------------------------------------------------------------------

org_bodies = st.text(alphabet=ORG_ALPHABET[:10] + "ABCDEFGHJKLMNPQRTUWXY", min_size=8,
                     max_size=8)
hangzhou = st.sampled_from(sorted(divisions.hangzhou_2016()))


@st.composite
def usccs(draw) -> str:
    prefix = draw(st.sampled_from(["91", "92", "93", "51", "52", "11", "12"]))
    org = draw(org_bodies)
    org += org_code_check_char(org)
    if org[-1] == "X" or any(c not in USCC_ALPHABET for c in org):
        org = org[:8] + "0"
        org = org[:8] + org_code_check_char(org)
    body = prefix + draw(hangzhou) + org
    return body + uscc_check_char(body)


@st.composite
def resident_ids(draw) -> str:
    birth = draw(st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2010, 12, 31)))
    sequence = draw(st.integers(min_value=0, max_value=999))
    return _rid(draw(st.sampled_from(["330106", "330102", "330110", "330108"])),
                birth.strftime("%Y%m%d"), f"{sequence:03d}")


@given(usccs())
def test_generated_usccs_validate_and_org_codes_match(code):
    if "X" in code[8:17] or any(c not in USCC_ALPHABET for c in code):
        return
    result = check_uscc(code)
    assert result.severity in ("ok", "warning")
    assert check_uscc(code[:17] + uscc_check_char(code[:17])).reason.find("check character") < 0


@given(usccs(), st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=30))
def test_any_single_character_change_in_a_uscc_is_caught(code, position, shift):
    original = USCC_ALPHABET.index(code[position])
    changed = code[:position] + USCC_ALPHABET[(original + shift) % 31] + code[position + 1:]
    assert not check_uscc(changed).valid


@given(resident_ids())
@settings(max_examples=200)
def test_generated_resident_ids_validate_and_classify(number):
    assert check_resident_id(number).valid
    assert classify(number).kind == "resident_id"
    assert number not in str(classify(number).public())


@given(resident_ids(), st.integers(min_value=0, max_value=16))
def test_a_changed_digit_in_a_resident_id_is_caught(number, position):
    digit = str((int(number[position]) + 1) % 10)
    assert not check_resident_id(number[:position] + digit + number[position + 1:]).valid


@given(st.text(alphabet="0123456789", min_size=14, max_size=14))
def test_registration_numbers_with_their_check_digit_verify(body):
    assert check_reg_no(body + reg_no_check_digit(body)).valid


@given(st.text(max_size=40))
def test_classify_never_crashes_and_normalises_idempotently(text):
    result = classify(text)
    assert result.kind in ("uscc", "org_code", "reg_no", "resident_id", "unknown")
    assert normalize_code(result.normalized) == result.normalized


def test_organisation_codes():
    assert check_org_code("79965505-8").valid
    assert check_org_code("799655059").severity == "warning"
    assert check_org_code("7996550").severity == "error"
