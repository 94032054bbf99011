"""Foreign-invested Hangzhou: overseas entities (境外主体) that hold shares in Hangzhou firms, and
persons from outside the mainland with the documents they hold — passports with nationality,
港澳居民来往内地通行证, 台湾居民来往大陆通行证, 港澳台居民居住证 and 2023 外国人永久居留身份证.

Like every other subject of the seed, an entity or a person is derived from its index alone, so
any row can refer to it again without keeping it in memory. Numbers are distinct per index
(an affine bijection scrambles the index), valid for their type, and carry check characters where
the type has one. Local register numbers of entities follow each register's format (Hong Kong
CR No., Singapore UEN, Taiwan 統一編號 and Japanese 法人番号 with their check digits, ...)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from creditgraph.graph.documents import identify
from creditgraph.graph.identifiers import resident_id_check_char
from creditgraph.seed import vocabulary as v

MASK64 = 0xFFFFFFFFFFFFFFFF
T = TypeVar("T")


def mix(*values: int) -> int:
    """A fast deterministic hash of integers (splitmix64), for attributes derived from an index."""
    x = 0x9E3779B97F4A7C15
    for value in values:
        x = (x ^ (value + 0x9E3779B97F4A7C15 + (x << 6) + (x >> 2))) & MASK64
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9 & MASK64
        x = (x ^ (x >> 27)) * 0x94D049BB133111EB & MASK64
        x ^= x >> 31
    return x


def scramble(n: int, modulus: int, salt: int = 0) -> int:
    """A bijection of 0..modulus-1 for a power-of-ten modulus (the multiplier is prime to 10):
    distinct indexes, distinct numbers, without counting up in plain sight."""
    return (n * 2_654_435_761 + mix(salt, modulus)) % modulus


def _birth(index: int) -> tuple[dt.date, int]:
    """A birth date (1952-2001) and a sequence number, distinct for each index."""
    return dt.date(1952, 1, 1) + dt.timedelta(days=(index * 7919) % 18262), index // 18262 % 1000


@dataclass(frozen=True)
class Document:
    """A person's identity document as the rows write it."""

    number: str
    doc_type: str  # graph.documents type code
    type_word: str  # the 证件类型 cell: '' where the number's shape tells the type
    nationality: str  # the 国籍 cell ('' when left empty)
    country: str  # ISO 3166 alpha-2 of the holder
    name: str


@dataclass(frozen=True)
class Entity:
    """An overseas entity as overseas_entities.csv writes it."""

    entity_id: str
    name: str
    name_zh: str
    country_text: str
    country: str
    registration_no: str

    @property
    def row(self) -> list[str]:
        return [self.entity_id, self.name, self.name_zh, self.country_text,
                self.registration_no]


def entity_id(index: int) -> str:
    """The registry's own id of an overseas entity (no document shape: never read as one)."""
    return f"HZJW{index:07d}"


def _weighted(h: int, specs: tuple, weight_at: int) -> tuple:
    pick = h % sum(s[weight_at] for s in specs)
    for spec in specs:
        if pick < spec[weight_at]:
            return spec
        pick -= spec[weight_at]
    return specs[0]


def _pick(h: int, shift: int, options: Sequence[T]) -> T:
    return options[(h >> shift) % len(options)]


def entity(seed: int, index: int) -> Entity:
    """The index-th overseas entity."""
    h = mix(seed, 31, index)
    country, texts, _, style, register = _weighted(h, v.OVERSEAS_COUNTRIES, 2)
    country_text = _pick(h, 8, texts)
    name, name_zh = _entity_name(h, style)
    return Entity(entity_id(index), name, name_zh, country_text, country,
                  _register_number(h, index, register, seed * 64 + 1))


def _entity_name(h: int, style: str) -> tuple[str, str]:
    with_zh = (h >> 40) % 10
    if style == "jp":
        (word, word_zh), (kind, kind_zh) = (_pick(h, 12, v.JP_WORDS), _pick(h, 16, v.JP_KINDS))
        return f"{word}{kind}株式会社", f"{word_zh}{kind_zh}株式会社" if with_zh < 7 else ""
    if style == "kr":
        (word, word_zh), (kind, kind_zh) = (_pick(h, 12, v.KR_WORDS), _pick(h, 16, v.KR_KINDS))
        return f"주식회사 {word}{kind}", f"{word_zh}{kind_zh}株式会社" if with_zh < 6 else ""
    if style == "tw":
        (word, word_zh), (kind, kind_zh) = (_pick(h, 12, v.TW_WORDS), _pick(h, 16, v.TW_KINDS))
        return f"{word}{kind}", f"{word_zh}{kind_zh}"
    if style == "mo":
        return _pick(h, 12, v.MO_WORDS) + _pick(h, 16, v.MO_KINDS), ""
    words = v.EN_WORDS
    first = (h >> 12) % len(words)
    second = (first + 1 + (h >> 18) % (len(words) - 1)) % len(words)
    suffix, suffix_zh = _pick(h, 24, v.EN_SUFFIXES[style])
    name = f"{words[first][0]} {words[second][0]} {suffix}"
    share_zh = {"hk": 8, "offshore": 3, "sg": 6}.get(style, 4)
    zh = f"{words[first][1]}{words[second][1]}{suffix_zh}" if with_zh < share_zh else ""
    return name, zh


def _register_number(h: int, index: int, register: str, salt: int) -> str:
    r = h >> 32
    if register == "hk_cr":  # Companies Registry CR No.
        return f"{1 + r % 3}{scramble(index, 10**6, salt):06d}"
    if register == "bvi":  # BVI company number
        return f"{1 + r % 2}{scramble(index, 10**6, salt):06d}"
    if register == "ky":
        return f"{scramble(index, 10**6, salt):06d}"
    if register == "sg_uen":  # ACRA UEN of a local company: year, serial, letter
        return f"{1995 + r % 28}{scramble(index, 10**5, salt):05d}{'ABCDEGHKMNRWZ'[r % 13]}"
    if register == "tw_ban":  # 統一編號 with its check digit
        return taiwan_ban(f"{scramble(index, 10**7, salt):07d}")
    if register == "us_file":  # Delaware file number
        return f"{scramble(index, 10**7, salt):07d}"
    if register == "jp_corp":  # 法人番号: check digit and 会社法人等番号
        return japan_corporate_number(f"{1000 + r % 9000}01{scramble(index, 10**6, salt):06d}")
    if register == "kr_corp":  # 법인등록번호 with its check digit
        body = f"1101{11 + r % 3:02d}{scramble(index, 10**6, salt):06d}"
        return f"{body[:6]}-{body[6:]}{korea_corporate_check(body)}"
    if register == "gb_crn":  # Companies House number
        return f"{scramble(index, 10**7, salt):08d}"
    if register == "de_hrb":
        return f"HRB {100000 + scramble(index, 10**5, salt)}"
    return f"{10000 + scramble(index, 10**5, salt) % 90000} (SO)"  # Macao commercial register


def taiwan_ban(seven: str) -> str:
    """A 統一編號: seven digits (the seventh never 7, whose rule is special) and the digit that
    makes the weighted digit sum a multiple of 10 (so also of 5, the rule since 2023)."""
    if seven[6] == "7":
        seven = seven[:6] + "8"
    total = sum(sum(divmod(int(c) * w, 10)) for c, w in zip(seven, (1, 2, 1, 2, 1, 2, 4),
                                                               strict=True))
    return seven + str((10 - total % 10) % 10)


def japan_corporate_number(twelve: str) -> str:
    """法人番号: 9 - (Σ Pn·Qn mod 9) before the 12 digits (Pn the n-th digit from the right,
    Qn 1 for odd n, 2 for even)."""
    total = sum(int(c) * (2 if n % 2 == 0 else 1) for n, c in enumerate(reversed(twelve), 1))
    return f"{9 - total % 9}{twelve}"


def korea_corporate_check(twelve: str) -> str:
    total = sum(int(c) * (1 if k % 2 == 0 else 2) for k, c in enumerate(twelve))
    return str((10 - total % 10) % 10)


# -- persons ----------------------------------------------------------------------------------

TYPE_WEIGHTS = (("passport", 40), ("hk_macao_permit", 20), ("taiwan_permit", 14),
                ("hmt_residence", 10), ("foreign_permanent", 16))
# The 证件类型 words rows use: mostly the standard names, sometimes what registries also write.
PERMIT_WORDS = {"hk_macao_permit": ("港澳居民来往内地通行证",) * 3 + ("回乡证",),
                "taiwan_permit": ("台湾居民来往大陆通行证",) * 3 + ("台胞证",),
                "hmt_residence": ("港澳台居民居住证",),
                "foreign_permanent": ("外国人永久居留身份证",) * 3 + ("永久居留身份证",),
                "passport": ("护照",) * 5 + ("外国护照",)}


def person(seed: int, index: int) -> Document:
    """The index-th person from outside the mainland."""
    h, salt = mix(seed, 30, index), seed * 64 + 2
    doc_type = _weighted(h, TYPE_WEIGHTS, 1)[0]
    words = PERMIT_WORDS[doc_type]
    word = _pick(h, 44, words)
    untyped = (h >> 50) % 10 < 4  # rows often leave the type empty where the shape tells it
    if doc_type == "passport":
        country, _, texts = _weighted(h >> 8, v.PASSPORT_COUNTRIES, 1)
        return Document(passport_number(h, index, country, salt), "passport", word,
                        _pick(h, 56, texts), country, foreign_name(h, country))
    if doc_type == "hk_macao_permit":
        country = "HK" if h % 10 < 8 else "MO"
        number = ("H" if country == "HK" else "M") + f"{scramble(index, 10**8, salt):08d}"
        nationality = "" if (h >> 56) % 2 else ("中国香港" if country == "HK" else "中国澳门")
        return Document(number, doc_type, word if _typed(untyped, number, doc_type) else "",
                        nationality, country, foreign_name(h, country))
    if doc_type == "taiwan_permit":  # 8 digits: a passport's shape too, so always typed
        nationality = "" if (h >> 56) % 2 else "中国台湾"
        return Document(f"{scramble(index, 10**8, salt):08d}", doc_type, word, nationality, "TW",
                        foreign_name(h, "TW"))
    birth, sequence = _birth(index)
    if doc_type == "hmt_residence":
        division, country = _pick(h, 8, (("810000", "HK"),) * 6 + (("820000", "MO"),) +
                                  (("830000", "TW"),) * 3)
        body = f"{division}{birth:%Y%m%d}{sequence:03d}"
        return Document(body + resident_id_check_char(body), doc_type, word, "", country,
                        foreign_name(h, country))
    country, numeric = _pick(h, 8, v.PERMANENT_NATIONALITIES)
    province = _pick(h, 16, ("33",) * 7 + ("31", "31", "11"))
    body = f"9{province}{numeric}{birth:%Y%m%d}{sequence:03d}"
    number = body + resident_id_check_char(body)
    texts = {c: t for c, _, t in v.PASSPORT_COUNTRIES}[country]
    nationality = _pick(h, 56, (*texts, ""))
    return Document(number, doc_type, word if _typed(untyped, number, doc_type) else "",
                    nationality, country, foreign_name(h, country))


def _typed(untyped: bool, number: str, doc_type: str) -> bool:
    """Whether a row must give the type: always unless the number alone reads as this type
    (an H/M permit can also be a valid organisation code, a 2023 permanent resident number a
    valid unified social credit code; those keep the type)."""
    return not untyped or identify(number).doc_type != doc_type


def passport_number(h: int, index: int, country: str, salt: int) -> str:
    """A passport number in the format of the issuing country; distinct for each index."""
    r = h >> 20
    if country in ("US", "GB"):  # nine digits
        return f"{(5 if country == 'US' else 1) + r % 4}{scramble(index, 10**8, salt):08d}"
    if country == "JP":
        return f"{_pick(r, 0, ('TK', 'TR', 'TZ', 'MU', 'MZ'))}{scramble(index, 10**7, salt):07d}"
    if country == "KR":  # M and eight digits: a Macao permit's shape, so always typed
        return f"M{1 + r % 8}{scramble(index, 10**7, salt):07d}"
    if country == "SG":
        return f"{'EK'[r % 2]}{scramble(index, 10**7, salt):07d}{'ABCDFGHJKLMNPQRTWXZ'[r % 19]}"
    if country == "DE":
        digits = f"{scramble(index, 10**8, salt):08d}"
        letters = "FGHJKLMNPR"
        return f"C{digits[:2]}{letters[int(digits[2])]}{digits[3:6]}{letters[int(digits[6])]}" \
               f"{digits[7]}"
    if country == "MY":
        return f"A{scramble(index, 10**8, salt):08d}"
    if country == "AU":
        return f"P{'ABCDE'[r % 5]}{scramble(index, 10**7, salt):07d}"
    if country == "CA":
        return f"{_pick(r, 0, ('AB', 'GA', 'HK', 'FN'))}{scramble(index, 10**6, salt):06d}"
    digits = f"{scramble(index, 10**6, salt):06d}"  # FR: 2 digits, 2 letters, 5 digits
    return f"{digits[0]}{r % 10}{'ABCDEFGHJK'[r % 10]}{'LMNPRSTUVW'[(r >> 4) % 10]}{digits[1:]}"


def foreign_name(h: int, country: str) -> str:
    """A name in the holder's own script, as registries record it."""
    if country in ("HK", "MO", "TW"):
        return _pick(h, 28, v.TRAD_SURNAMES) + _pick(h, 36, v.TRAD_GIVEN)
    if country == "JP":
        return _pick(h, 28, v.JP_SURNAMES) + _pick(h, 36, v.JP_GIVEN)
    if country == "KR":
        return _pick(h, 28, v.KR_SURNAMES) + _pick(h, 36, v.KR_GIVEN)
    if country in ("SG", "MY"):
        return f"{_pick(h, 28, v.SEA_SURNAMES)} {_pick(h, 36, v.SEA_GIVEN)}"
    return f"{_pick(h, 36, v.LATIN_GIVEN)} {_pick(h, 28, v.LATIN_SURNAMES[country])}"


def passport_holder(seed: int, index: int, country: str, nationality: str) -> Document:
    """A passport holder of the given country (planted cases): the index decides the number,
    so an index no random row uses gives a number no random row has."""
    h = mix(seed, 33, index)
    return Document(passport_number(h, index, country, seed * 64 + 2), "passport", "护照",
                    nationality, country, foreign_name(h, country))
