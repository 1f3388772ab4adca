"""ISO 3166-1 country codes and the names readers see (from pycountry, not a hand-kept list)."""

from __future__ import annotations

from functools import cache

import pycountry

# Codes people often type that ISO 3166-1 spells otherwise.
_COMMON_SLIPS = {"UK": "GB", "EL": "GR", "EN": "GB", "SC": "GB", "NI": "GB"}


@cache
def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    # Prefer the everyday name ("Bolivia") over the ISO short name ("Bolivia, Plurinational State of").
    return getattr(country, "common_name", None) or country.name


@cache
def is_country(code: str) -> bool:
    return len(code) == 2 and code.isupper() and pycountry.countries.get(alpha_2=code) is not None


@cache
def country_code(text: str) -> str | None:
    """'GB' from 'GB', 'gb', 'GBR', 'United Kingdom' or 'Viet Nam' (ISO 3166's codes and names, official and common,
    by pycountry, compared whole), else None: what an import reads as a country, never guessed (no fuzzy match)."""
    try:
        return pycountry.countries.lookup(text.strip()).alpha_2
    except LookupError:
        return None


def suggest(code: str) -> str:
    """A hint for a value that is not an ISO 3166-1 alpha-2 code."""
    upper = code.strip().upper()
    if upper in _COMMON_SLIPS:
        return f"use '{_COMMON_SLIPS[upper]}' ({country_name(_COMMON_SLIPS[upper])}); regions go in 'region'"
    if is_country(upper):
        return f"write it in capitals: '{upper}'"
    found = country_code(code)
    if found is not None:
        return f"'{code}' is written '{found}'"
    return "use two-letter ISO 3166-1 codes, e.g. GB, AU, NL"
