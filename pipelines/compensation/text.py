"""Pay figures: the `Pay` value, number and period reading, and pay stated in free text.

Used by the compensation step for a salary field written as text ("$90 - $150 /hour") and for
the description. Only figures next to a currency marker are read in a description, so the scan
starts from the markers (a symbol, or a common ISO code) instead of every number in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from jobsift.pipelines.compensation.figures import MAX_PLAUSIBLE, number
from jobsift.pipelines.reference import terms

# With no period written, a figure this large (in US dollars) is an annual salary (gold rule).
ANNUAL_LOOKING = 10_000


@dataclass(frozen=True, slots=True)
class Pay:
    min: float | None
    max: float | None
    currency: str | None
    period: str | None
    text: str | None = None
    period_written: bool = False  # the period was stated, not inferred from the amount
    ote: bool = False  # on-target earnings, used only when no base figure exists

    def as_dict(self) -> dict[str, Any]:
        return {
            "min": self.min,
            "max": self.max,
            "currency": self.currency,
            "period": self.period,
            "text": self.text,
        }

    def with_text(self, text: str | None) -> Pay:
        """`dataclasses.replace(self, text=text)`, without its per-call introspection."""
        return Pay(
            self.min, self.max, self.currency, self.period, text, self.period_written, self.ote
        )

    def same_amounts(self, other: Pay) -> bool:
        return (self.min, self.max) == (other.min, other.max)


def period_of(value: Any) -> str | None:
    """ "per-year-salary", "1 YEAR", "YEARLY", "hourly" -> year / hour ...; None when unknown."""
    if not value:
        return None
    lowered = str(value).lower()
    for root, period in terms.PERIOD_ROOTS:
        if root in lowered:
            return period
    return None


def in_usd(amount: float, currency: str | None) -> float | None:
    """The amount in US dollars, roughly; as written when no currency is known, None when the
    currency is known but has no rate in the reference table."""
    if currency is None:
        return amount
    rate = terms.USD_PER_UNIT.get(currency)
    return None if rate is None else amount * rate


def inferred_period(
    low: float | None, high: float | None, currency: str | None = None
) -> str | None:
    """The period of an amount written without one, only where its size leaves one reading.

    Annual-looking (>= 10,000 US dollars) -> year. Too small for a year's pay but a plausible
    month's (`terms.MONTHLY_LOOKING`), in a written currency -> month ("R$ 4.000 - 5.000",
    "15,000 - 20,000 MXN"). Anything else -> None.
    """
    biggest = max((v for v in (low, high) if v is not None), default=None)
    if biggest is None:
        return None
    usd = in_usd(biggest, currency)
    if usd is None:
        return "year" if biggest >= ANNUAL_LOOKING else None
    if usd >= ANNUAL_LOOKING:
        return "year"
    month_low, month_high = terms.MONTHLY_LOOKING
    if currency is not None and month_low <= usd <= month_high:
        return "month"
    return None


def implausible(pay: Pay) -> str | None:
    """Why a figure cannot be pay as stored (None when it can): not positive, minimum above
    maximum, or outside the plausible range of its period ("75.00-95.00" a year, "$0.55")."""
    amounts = [v for v in (pay.min, pay.max) if v is not None]
    if not amounts or max(amounts) <= 0 or min(amounts) < 0:
        return "amount not positive"
    if pay.min is not None and pay.max is not None and pay.min > pay.max:
        return f"minimum {pay.min:g} above maximum {pay.max:g}"
    biggest = max(amounts)
    usd = in_usd(biggest, pay.currency)
    if usd is None:
        return None
    low, high = terms.PLAUSIBLE_PAY.get(pay.period or "", (_LOWEST_PAY, float(MAX_PLAUSIBLE)))
    if not low <= usd <= high:
        per = f"per {pay.period}" if pay.period else "with no period"
        return f"{biggest:g} {pay.currency or ''} {per} is outside {low:g}-{high:g} USD".replace(
            "  ", " "
        )
    return None


_LOWEST_PAY = 3.0  # no pay with no period written is below the lowest hourly wage


# --- patterns ---------------------------------------------------------------------------------


def _alternation(words: Iterable[str], escape: bool = True) -> str:
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w) if escape else w for w in ordered)


def _word_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """Whole words or phrases, matched in lower-cased text; "*" at an end allows any letters.

    The leading word boundary is factored out of the alternation and the text is lower-cased
    beforehand: ~2 µs per clause instead of ~50 µs for per-word boundaries with IGNORECASE.
    """

    def core(word: str) -> str:
        body = re.escape(word.strip("*").lower()).replace(r"\ ", r"\s+")
        return body if word.endswith("*") else rf"{body}\b"

    ordered = sorted(words, key=len, reverse=True)
    bounded = "|".join(core(w) for w in ordered if not w.startswith("*"))
    unbounded = "|".join(core(w) for w in ordered if w.startswith("*"))
    return re.compile(rf"\b(?:{bounded})" + (f"|(?:{unbounded})" if unbounded else ""))


_SYMBOLS = _alternation([*terms.CURRENCY_SYMBOLS, terms.DOLLAR_SIGN])
# Any upper-case three-letter word; _currency keeps only ISO 4217 codes.
_CODES = r"[A-Z]{3}"
# Grouped thousands (any separator), Indian lakh grouping ("12,00,000"), or a plain figure.
_NUMBER = (
    r"\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?!\d)(?:[.,]\d{1,2})?"
    r"|\d{1,2}(?:,\d{2})+,\d{3}(?!\d)(?:\.\d{1,2})?|\d+(?:[.,]\d{1,2})?"
)
_MULTIPLIER = rf"(?i:k|{_alternation(terms.LARGE_MULTIPLIERS)})"


def _money(i: int) -> str:
    return (
        rf"(?:(?P<psym{i}>{_SYMBOLS})|(?P<pcode{i}>\b{_CODES}))?\s?"
        rf"(?P<num{i}>{_NUMBER})(?:\s?(?P<mult{i}>{_MULTIPLIER})(?![A-Za-z]))?"
        rf"(?:\s?(?P<ssym{i}>{_SYMBOLS})|\s?(?P<scode{i}>{_CODES})\b)?"
    )


# "$40/hr – $55/hr": a unit may sit between the first figure and the connector.
_UNIT = r"(?:\s*/\s*(?i:hour|hr|h|year|yr|y|annum|month|mo|week|wk|day))?"
_CONNECTOR = _alternation(terms.RANGE_CONNECTORS, escape=False)
# Case matters outside (?i:): currency codes are upper-case words ("27k USD", not "27k per").
_MONEY_RANGE = re.compile(rf"{_money(1)}(?:{_UNIT}\s*\+?\s*(?i:{_CONNECTOR})\s*{_money(2)})?")


def _marker_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Where a scan starts: a character of a currency symbol ("$" also finds "CA$"), or a code.

    Two passes, a character class and a first-letter trie of codes, scan faster than one
    alternation of every symbol and code.
    """
    symbols = [*terms.CURRENCY_SYMBOLS, terms.DOLLAR_SIGN]
    chars = {ch for s in symbols for ch in s if not (ch.isascii() and ch.isalpha())}
    words = [
        *terms.ANCHOR_CURRENCY_CODES,
        *(s for s in symbols if s.isascii() and s.isalpha() and not s.islower()),
    ]
    by_first: dict[str, list[str]] = {}
    for word in sorted(set(words)):
        by_first.setdefault(word[0], []).append(re.escape(word[1:]))
    trie = "|".join(f"{first}(?:{'|'.join(rest)})" for first, rest in by_first.items())
    return re.compile(f"[{re.escape(''.join(sorted(chars)))}]"), re.compile(trie)


_SYMBOL_MARKERS, _CODE_MARKERS = _marker_patterns()
# Lower-case currency words ("600 euros") are found with str.find: a regex branch starting with a
# common lower-case letter would be tried at every such letter of the text.
_WORD_MARKERS = tuple(
    s for s in terms.CURRENCY_SYMBOLS if s.isascii() and s.isalpha() and s.islower()
)
_PERIOD_AFTER = re.compile(
    rf"^\s*\+?\s*(?:(?:{'|'.join(terms.PERIOD_AFTER_FILLERS)})\s*/?\s*)?(?:"
    + "|".join(f"(?P<{p}>{'|'.join(pats)})" for p, pats in terms.PERIOD_AFTER.items())
    + ")",
    re.IGNORECASE,
)
_PERIOD_BEFORE = re.compile(
    "|".join(rf"(?P<{p}>\b(?:{'|'.join(pats)}))" for p, pats in terms.PERIOD_BEFORE.items()),
    re.IGNORECASE,
)
_UP_TO = re.compile(rf"\b(?:{'|'.join(terms.UP_TO_WORDS)})\s*$", re.IGNORECASE)
_OTE_AFTER = re.compile(r"^\s*\+?\s*(?:OTE\b|on[- ]target)", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r".*(?:[.!?;|•]\s|\n)", re.DOTALL)
_SALARY_WORDS = _word_pattern(terms.SALARY_WORDS)
_OTE_WORDS = _word_pattern(terms.OTE_WORDS)
_NOT_SALARY_WORDS = _word_pattern(terms.NOT_SALARY_WORDS)
_LARGE = frozenset(terms.LARGE_MULTIPLIERS)
_PRE_WINDOW = 70  # characters before a figure read for its context (cut at the clause start)
_POST_WINDOW = 30
_SCAN_BEFORE, _SCAN_AFTER = 30, 70  # a scan window around each currency marker
# Figures read per text at most: a posting states its pay in a handful; past this many the text
# is a price list or noise, and reading on would only cost time (bounded work per posting).
MAX_FIGURES = 300


# --- reading one figure -----------------------------------------------------------------------


def _currency(match: re.Match[str], dollar: str | None) -> tuple[str | None, bool]:
    """(ISO code, whether a marker was written) from the symbols and codes around a figure."""
    for group in ("pcode1", "scode1", "pcode2", "scode2"):
        if match[group] in terms.CURRENCY_CODES:
            return match[group], True
    for group in ("psym1", "ssym1", "psym2", "ssym2"):
        symbol = match[group]
        if symbol and symbol != terms.DOLLAR_SIGN:
            return terms.CURRENCY_SYMBOLS.get(symbol), True
    if terms.DOLLAR_SIGN in (match["psym1"], match["ssym1"], match["psym2"], match["ssym2"]):
        return dollar, True
    return None, False


def _amount(match: re.Match[str], num: str, mult: str) -> float | None:
    figure = match[num]
    value = number(figure) if figure else None
    if value is not None and (match[mult] or "").lower() == "k":
        value *= 1000
    return value


def _plausible(amount: float, period: str | None, currency: str | None) -> bool:
    usd = in_usd(amount, currency)
    low, high = terms.PLAUSIBLE_PAY.get(period or "", (0.0, float(MAX_PLAUSIBLE)))
    return low <= (amount if usd is None else usd) <= high


@dataclass(frozen=True, slots=True)
class _Candidate:
    pay: Pay
    score: int


def _candidate(
    text: str, match: re.Match[str], previous_end: int, dollar: str | None, salary_field: bool
) -> _Candidate | None:
    """One figure (or range) with its context, or None when it is not this role's pay."""
    if (match["mult1"] or "").lower() in _LARGE or (match["mult2"] or "").lower() in _LARGE:
        return None  # "$150M in capital", "$1M ARR"
    currency, marked = _currency(match, dollar)
    if not (marked or salary_field):
        return None
    low, high = _amount(match, "num1", "mult1"), _amount(match, "num2", "mult2")
    if low is None:
        return None
    if high is not None and match["mult2"] and not match["mult1"] and low < 1000 <= high:
        low *= 1000  # "€75–90k": the k belongs to both ends
    pre = text[max(previous_end, match.start() - _PRE_WINDOW) : match.start()]
    clause = _CLAUSE_BREAK.match(pre)
    if clause:
        pre = pre[clause.end() :]
    post = text[match.end() : match.end() + _POST_WINDOW]
    pre_lower = pre.lower()
    if _NOT_SALARY_WORDS.search(pre_lower) or _NOT_SALARY_WORDS.search(post[:20].lower()):
        return None
    written = _PERIOD_AFTER.match(post)
    end = match.end()
    if written:
        end += written.end()
        post = post[written.end() :]
    else:
        written = _PERIOD_BEFORE.search(pre)
    period = written.lastgroup if written else None
    salary_word = _SALARY_WORDS.search(pre_lower) is not None
    ote = _OTE_WORDS.search(pre_lower) is not None or _OTE_AFTER.match(post) is not None
    is_range = high is not None
    biggest = max(low, high or 0)
    if not (
        salary_field or salary_word or written or ote or (is_range and biggest >= ANNUAL_LOOKING)
    ):
        return None
    period = period or inferred_period(low, high, currency if marked else None)
    if not salary_field and not _plausible(biggest, period, currency):
        return None  # "Up to 1000 EUR per year for conferences" is a perk
    up_to = not is_range and bool(_UP_TO.search(pre))
    pay = Pay(
        None if up_to else low,
        high if is_range else low,
        currency,
        period,
        text[match.start() : end].strip(),
        period_written=written is not None,
        ote=ote,
    )
    return _Candidate(pay, 2 * salary_word + (written is not None) + is_range - 5 * ote)


# --- scanning ---------------------------------------------------------------------------------


def _windows(text: str) -> list[tuple[int, int]]:
    """Merged spans around every currency marker; the rest of the text holds no marked figure."""
    starts = [m.start() for m in _SYMBOL_MARKERS.finditer(text)]
    starts += [m.start() for m in _CODE_MARKERS.finditer(text)]
    for word in _WORD_MARKERS:
        at = text.find(word)
        while at != -1:
            starts.append(at)
            at = text.find(word, at + 1)
    spans: list[tuple[int, int]] = []
    for start in sorted(starts):
        low, high = max(0, start - _SCAN_BEFORE), min(len(text), start + _SCAN_AFTER)
        if spans and low <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], high))
            continue
        # Never start inside a figure: back to a space, but not into the previous span (so the
        # walks, like the spans, cover each character at most once: linear in the text).
        floor = spans[-1][1] if spans else 0
        while low > floor and not text[low - 1].isspace():
            low -= 1
        spans.append((low, high))
    return spans


def text_pay(
    text: str, dollar: str | None = terms.DOLLAR_DEFAULT, salary_field: bool = False
) -> Pay | None:
    """The role's pay stated in free text, or None. `dollar` is what "$" alone means here.

    `salary_field` says the whole text is a salary field, so a figure needs no currency marker
    or salary word ("60000-80000").
    """
    spans = [(0, len(text))] if salary_field else _windows(text)
    best: _Candidate | None = None
    previous_end = 0
    figures = 0
    for start, end in spans:
        if figures >= MAX_FIGURES:
            break
        for match in _MONEY_RANGE.finditer(text, start, end):
            figures += 1
            if figures > MAX_FIGURES:
                break
            candidate = _candidate(text, match, previous_end, dollar, salary_field)
            previous_end = match.end()
            if candidate is not None and (best is None or candidate.score > best.score):
                best = candidate
    return best.pay if best is not None else None
