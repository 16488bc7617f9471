"""Small text helpers shared by spiders: mojibake repair, entity unescaping, location joining.

Spiders pass source values through as given; these only undo transport damage (text decoded
with the wrong codec, entities escaped once too often) and never interpret a value.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
from collections.abc import Iterable

LOCATION_SEPARATOR = " | "


def _continuation_chars() -> dict[str, int]:
    """Each character a UTF-8 continuation byte (0x80-0xBF) turns into when read as cp1252.

    cp1252 leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined; decoders then keep them as the
    Latin-1 control characters, so both readings are accepted.
    """
    chars: dict[str, int] = {}
    for byte in range(0x80, 0xC0):
        with contextlib.suppress(UnicodeDecodeError):
            chars[bytes([byte]).decode("cp1252")] = byte
        chars[chr(byte)] = byte
    return chars


def _char_class(chars: Iterable[str]) -> str:
    return "[" + re.escape("".join(chars)) + "]"


_CONTINUATION = _continuation_chars()
_NBSP = "\u00a0"
# Bytes 0x80-0x9F as read through cp1252 (or as C1 controls): never part of real Latin text.
_HIGH = _char_class(c for c, byte in _CONTINUATION.items() if byte < 0xA0)
_CONT = _char_class(_CONTINUATION)
_CONT_NO_NBSP = _char_class(c for c in _CONTINUATION if c != _NBSP)
# UTF-8 sequences read as Latin-1/cp1252, limited to lead characters that almost never start
# real words before such symbols, so that French "café…”" or "été\u00a0»" stay untouched:
# "Ã³" (ó), "Â\u00a0" (nbsp), "Å‚" (ł), "â€™" (’), "ã€" (Japanese punctuation), "ï»¿" (BOM),
# "ðŸš€" (🚀). CJK ideographs read as "ä¸­" are not repaired (too close to real Latin text).
_SEQUENCE = (
    f"[\u00c2\u00c3]{_CONT}"
    f"|[\u00c4-\u00dd]{_CONT_NO_NBSP}"
    f"|[\u00e2\u00ef]{_CONT}{{2}}"
    f"|\u00e3(?:{_HIGH}{_CONT}|{_CONT}{_HIGH})"
    f"|\u00f0{_CONT}{{3}}"
)
_MOJIBAKE = re.compile(f"(?:{_SEQUENCE})+")


def _redecode(match: re.Match[str]) -> str:
    run = match.group(0)
    raw = bytes(ord(char) if ord(char) < 0x100 else _CONTINUATION[char] for char in run)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return run


def repair_mojibake(text: str) -> str:
    """Undoes UTF-8 that was read as Latin-1 or cp1252 ("FlorianÃ³polis" -> "Florianópolis").

    Only byte runs that decode as valid UTF-8 are replaced, so the repair is reversible and
    genuine Latin text ("Zürich", "São Paulo", "naïve café") is left exactly as it is, also
    when it sits next to a damaged word.
    """
    if not text or text.isascii():
        return text
    return _MOJIBAKE.sub(_redecode, text)


def unescape_entities(text: str | None) -> str | None:
    """Decodes HTML entities exactly once ("CI&amp;T" -> "CI&T"; "&amp;lt;" -> "&lt;").

    For plain-text fields a source sends entity-escaped, and for HTML a source escapes once
    more than needed (Greenhouse `content`): unescaping twice would turn text into markup.
    """
    if text is None:
        return None
    return html.unescape(text)


def join_locations(values: Iterable[object]) -> str | None:
    """Location strings joined with " | ": stripped, empty ones dropped, repeats dropped.

    Repeats are compared without case and surrounding space; the first spelling wins. Mojibake
    is repaired on the way, since location strings are what normalization matches names in.
    """
    seen: dict[str, str] = {}
    for value in values:
        if value is None:
            continue
        text = repair_mojibake(str(value).strip())
        if text and text.casefold() not in seen:
            seen[text.casefold()] = text
    return LOCATION_SEPARATOR.join(seen.values()) or None


def join_present(values: Iterable[object], separator: str = ", ") -> str:
    """The non-empty parts joined ("Berlin", "", "Germany" -> "Berlin, Germany")."""
    return separator.join(text for value in values if value and (text := str(value).strip()))


def collapse(text: str) -> str:
    """Runs of whitespace (newlines, tabs, nbsp) as one space, none at the ends."""
    return " ".join(text.split())


def flags_as_given(source: dict[str, object], keys: Iterable[str]) -> str | None:
    """The source's own flags among `keys`, in that order, as compact JSON (`{"remote":true,
    "hybrid":false}`), the way gold `input` writes them; None when the source sends none."""
    flags = {key: source[key] for key in keys if key in source}
    return json.dumps(flags, separators=(",", ":")) if flags else None
