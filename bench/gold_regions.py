"""Region words of the gold README ("Regions") mapped to codes, for scoring `regions` as sets."""

from __future__ import annotations

from collections.abc import Callable

# Gold-side mapping of region words to codes (the gold labels' "Regions" rule); used only when the
# reference package does not expose one.
_GOLD_REGION_WORDS: dict[str, str] = {
    word: code
    for code, words in {
        "NORTH_AMERICA": "NORTH AMERICA|NORTHERN AMERICA|NORAM|NA",
        "LATAM": "LATAM|LATIN AMERICA|SOUTH AMERICA|CENTRAL AMERICA|CENTRAL AND SOUTH AMERICA|LAC",
        "AMERICAS": "AMERICAS|THE AMERICAS|AMER",
        "EUROPE": "EUROPE|EUROPEAN",
        "EU": "EU|EUROPEAN UNION",
        "EEA": "EEA|EUROPEAN ECONOMIC AREA",
        "EMEA": "EMEA",
        "APAC": "APAC|ASIA PACIFIC|ASIA-PACIFIC|APJ",
        "ASIA": "ASIA|SOUTHEAST ASIA|SOUTH ASIA|EAST ASIA",
        "AFRICA": "AFRICA|SUB-SAHARAN AFRICA",
        "MIDDLE_EAST": "MIDDLE EAST|MENA|GCC",
        "OCEANIA": "OCEANIA|ANZ|AUSTRALASIA",
        "DACH": "DACH",
        "NORDICS": "NORDICS|NORDIC|NORDIC COUNTRIES|SCANDINAVIA",
        "CEE": "CEE|CENTRAL AND EASTERN EUROPE|CENTRAL & EASTERN EUROPE|EASTERN EUROPE"
        "|CENTRAL EUROPE",
    }.items()
    for word in words.split("|")
}


def region_code_function() -> Callable[[str], str | None]:
    """The eligibility reference's region-word -> code function when it exists, else the table."""
    try:
        from jobsift.pipelines.reference import geo  # type: ignore[attr-defined]
    except ImportError:
        geo = None
    for name in ("region_code", "region_code_for", "region_for_word"):
        function = getattr(geo, name, None)
        if callable(function):
            return function
    return lambda word: _GOLD_REGION_WORDS.get(word.strip().upper())
