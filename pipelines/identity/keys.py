"""Keys of a posting that name its job: canonical links, a company key and a title key."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from jobsift.pipelines.discovery.urls import board_of_url
from jobsift.pipelines.reference.identity import rules

_WORD = re.compile(r"[a-z0-9+#]+")


@cache
def _link_rules() -> tuple[tuple[str, ...], tuple[str, ...], dict[str, str], tuple[str, ...]]:
    links = rules()["links"]
    names = [p.lower() for p in links["tracking_params"]]
    exact = tuple(p for p in names if not p.endswith("*"))
    prefixes = tuple(p[:-1] for p in names if p.endswith("*"))
    return exact, prefixes, dict(links["host_aliases"]), tuple(links["apply_suffixes"])


@cache
def _ats_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(a["pattern"], re.I), a["key"]) for a in rules()["links"]["ats"])


def canonical_url(url: str | None) -> str | None:
    """`host/path?query` of a link, so that the same page compares equal however it was linked.

    Scheme, `www.`, fragment, tracking parameters, a trailing slash and a trailing "/apply" are
    dropped, the host is lower-cased and aliased, the remaining parameters sorted. Links that
    cannot name one posting (no host, or a bare host or one-segment path without a query, such
    as a careers page) give None.
    """
    if not url or not isinstance(url, str) or "://" not in url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    if not host:
        return None
    exact, prefixes, aliases, suffixes = _link_rules()
    host = aliases.get(host, host)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in exact and not k.lower().startswith(prefixes)
    ]
    segments = [s for s in parts.path.split("/") if s]
    while len(segments) > 1 and segments[-1].lower() in suffixes:
        segments.pop()
    if len(segments) < 2 and not query:
        return None
    path = "/".join(unquote(s) for s in segments)
    return f"{host}/{path}" + (f"?{urlencode(sorted(query))}" if query else "")


def link_keys(*urls: str | None) -> list[str]:
    """Every key the links give: their canonical forms and the ATS postings they name."""
    keys: list[str] = []
    for url in urls:
        canonical = canonical_url(url)
        if canonical is None:
            continue
        keys.append(canonical)
        for pattern, template in _ats_patterns():
            found = pattern.search(url)
            if found:
                keys.append(template.replace("{1}", found.group(1).lower()))
    return sorted(set(keys))


def _ascii_words(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


def board_in_url(*urls: str | None) -> str | None:
    """The board token of an ATS link ("brightkiln" in jobs.lever.co/brightkiln/...), standing in
    for the company of a posting that names none (`pipelines.discovery` knows the ATS shapes)."""
    for url in urls:
        board = board_of_url(url) if url else None
        if board is not None:
            return board.token
    return None


def company_key(company: str | None) -> str | None:
    """ "Acme, Inc." and "ACME" give "acme": words joined, legal forms at the end dropped."""
    if not company:
        return None
    words = _WORD.findall(_ascii_words(company).replace(".", "").replace("&", " and "))
    suffixes = set(rules()["company"]["legal_suffixes"])
    while len(words) > 1 and words[-1] in suffixes:
        words.pop()
    return "".join(words) or None


@cache
def _title_rules() -> tuple[
    tuple[re.Pattern[str], ...], frozenset[str], dict[str, str], dict[str, str]
]:
    title = rules()["title"]
    return (
        tuple(re.compile(p) for p in title["drop_patterns"]),
        frozenset(title["noise"]),
        dict(title["abbreviations"]),
        dict(title["spellings"]),
    )


def title_key(title: str | None) -> str | None:
    """The title's words, sorted, without where/how words: "Sr. Engineer, Backend (Remote)" and
    "Senior Backend Engineer" give the same key."""
    if not title:
        return None
    drops, noise, abbreviations, spellings = _title_rules()
    text = _ascii_words(title)
    for pattern in drops:
        text = pattern.sub(" ", text)
    for spelling, word in spellings.items():
        text = text.replace(spelling, word)
    text = text.replace("&", " and ")
    words: set[str] = set()
    for word in _WORD.findall(text):
        if word in noise:
            continue
        words.update(abbreviations.get(word, word).split())
    return " ".join(sorted(words)) or None


def block_key(company: str | None, title: str | None) -> str | None:
    """Postings are compared with each other only inside one block: one company, one title."""
    company_part, title_part = company_key(company), title_key(title)
    if company_part is None or title_part is None:
        return None
    return f"{company_part}|{title_part}"
