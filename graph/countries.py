"""Countries and regions (ISO 3166-1, through pycountry and its Chinese translations): a
nationality or a registration country as a registry writes it — `US`, `USA`, `840`, `United
States`, `美国`, `中国香港` — to its alpha-2 code, and back to a Chinese name for display."""

from __future__ import annotations

import gettext
import unicodedata
from functools import cache

import pycountry

# Names registries use that ISO's own names or the translation do not give.
EXTRA_NAMES = {
    "香港": "HK", "中国香港": "HK", "香港特别行政区": "HK", "中国香港特别行政区": "HK",
    "澳门": "MO", "中国澳门": "MO", "澳门特别行政区": "MO", "中国澳门特别行政区": "MO",
    "台湾": "TW", "中国台湾": "TW", "台湾地区": "TW", "中国台湾地区": "TW",
    "中国": "CN", "中华人民共和国": "CN", "韩国": "KR", "朝鲜": "KP", "俄罗斯": "RU",
    "英属维京群岛": "VG", "开曼群岛": "KY", "美利坚合众国": "US", "TAIWAN": "TW",
    "KOREA": "KR", "SOUTH KOREA": "KR", "UK": "GB", "BVI": "VG", "RUSSIA": "RU",
}


class UnknownCountry(ValueError):
    pass


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split()).upper()


@cache
def _chinese() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"],
                               fallback=True)


@cache
def _index() -> dict[str, str]:
    names: dict[str, str] = {}
    zh = _chinese()
    for country in pycountry.countries:
        code = country.alpha_2
        for text in (code, country.alpha_3, country.numeric, country.name,
                     getattr(country, "official_name", ""), getattr(country, "common_name", ""),
                     zh.gettext(country.name)):
            if text:
                names.setdefault(_key(text), code)
    names.update({_key(name): code for name, code in EXTRA_NAMES.items()})
    return names


def country_code(text: str) -> str:
    """The ISO 3166-1 alpha-2 code of a country or region however it is written; raises
    UnknownCountry naming the text."""
    code = _index().get(_key(text or ""))
    if code is None:
        raise UnknownCountry(f"{text!r} is not an ISO 3166 country or region (code such as "
                             "US / USA / 840, or its English or Chinese name)")
    return code


def from_numeric(numeric: str) -> str | None:
    """Alpha-2 of a numeric code (the nationality digits of a 外国人永久居留身份证), or None."""
    country = pycountry.countries.get(numeric=numeric)
    return country.alpha_2 if country else None


def chinese_name(code: str | None) -> str:
    """`美国` for `US`; the code itself when unknown; '' for none."""
    if not code:
        return ""
    country = pycountry.countries.get(alpha_2=code)
    return _chinese().gettext(country.name) if country else code
