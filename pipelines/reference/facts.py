"""Facts written in a posting's text: labels of "Label: value" lines, header words, and the words
that say a header fragment is not a title or company. The data is `facts.toml` next to this file."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

_DATA: dict[str, Any] = tomllib.loads(Path(__file__).with_name("facts.toml").read_text("utf-8"))

# fact key -> the labels that introduce it, in every language read ("Standort", "Lieu", ...)
LABELS: dict[str, tuple[str, ...]] = {key: tuple(v) for key, v in _DATA["labels"].items()}
FACT_KEYS: tuple[str, ...] = tuple(LABELS)
ROLE_WORDS: tuple[str, ...] = tuple(_DATA["header"]["role_words"])
EMPLOYER_JOINERS: tuple[str, ...] = tuple(_DATA["header"]["employer_joiners"])
STATUS_PREFIXES: tuple[str, ...] = tuple(_DATA["header"]["status_prefixes"])
NOT_EMPLOYER_WORDS: tuple[str, ...] = tuple(_DATA["header"]["not_employer_words"])
SETTING_PATTERNS: tuple[str, ...] = tuple(_DATA["header"]["setting_patterns"])
VISA_PATTERNS: tuple[str, ...] = tuple(_DATA["header"]["visa_patterns"])
MAX_TITLE_WORDS: int = _DATA["header"]["max_title_words"]
MAX_FIRST_LINE_CHARS: int = _DATA["header"]["max_first_line_chars"]
MAX_VALUE_CHARS: int = _DATA["labels_limits"]["max_value_chars"]
# Employment-type words read only in a labelled value ("Type de contrat : Stage ..."), where they
# cannot be another sense of the word ("early stage").
LABEL_TYPE_WORDS: dict[str, tuple[str, ...]] = {
    kind: tuple(words) for kind, words in _DATA["label_type_words"].items()
}
# Abbreviations of an employment type as a title qualifier ("Developer - London - FT").
TITLE_TYPE_ABBREVIATIONS: dict[str, str] = dict(_DATA["title_type_abbreviations"])
