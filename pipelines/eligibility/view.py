"""A description prepared for cue-driven reading: lower-cased once, cut into units.

Python's regex engine scans fast only for a pattern that starts with a literal; a leading `\\b` or
alternation makes it test every position. So the eligibility readers find literal *cue words*
("based", "sponsor", "remote"...) in the lower-cased text, then check the few characters before
and after each hit with anchored patterns. All the cue words the readers ask for are found in one
pass over the text (an Aho-Corasick automaton, `pyahocorasick`), not one `str.find` scan per cue.
Units (the sentences, items and lines of
`draft.document`) bound what a hit may look at: a pay sentence next to a scope sentence stays out.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from itertools import accumulate

import ahocorasick
from jobsift.pipelines.document.model import Document

_SPAN_END = re.compile(r"(?<!\b[A-Z])[.!?;](?=\s|$)|\s\|\s|\)|\s[A-Z][\w /]{1,25}:")
_MAX_SPAN = 110
# A list goes on past _MAX_SPAN while its elements stay short ("Argentina, Armenia, ...").
_LIST_SEPARATOR = re.compile(r"[,;、，]\s*|\s+(?:and|or|et|ou|und|oder|y|e|o)\s+")
_MAX_LIST_ELEMENT_WORDS = 4
_MAX_LIST_SPAN = 4000
_LIST_STOP = re.compile(r"[,;、，]|\s(?:and|or|et|ou|und|oder|y|e|o)\s|[.!?](?=\s|$)")


class _CueIndex:
    """Every cue word the readers have asked a view for, in one automaton. A cue joins on first
    use (the readers' cues are constants, so the set stops growing after the first postings);
    the automaton is rebuilt before the next view when it grew."""

    def __init__(self) -> None:
        self.cues: set[str] = set()
        self.indexed: frozenset[str] = frozenset()
        self.automaton: ahocorasick.Automaton | None = None

    def current(self) -> tuple[ahocorasick.Automaton | None, frozenset[str]]:
        if len(self.cues) != len(self.indexed):
            automaton = ahocorasick.Automaton()
            for cue in self.cues:
                automaton.add_word(cue, (cue, len(cue) - 1))
            automaton.make_automaton()
            self.automaton, self.indexed = automaton, frozenset(self.cues)
        return self.automaton, self.indexed


_INDEX = _CueIndex()


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    # A few characters lower-case to two ("İ"); keep positions aligned with the original.
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


class TextView:
    """`text` and its lower-cased twin `low` (same positions), with unit boundaries."""

    __slots__ = (
        "_block_starts",
        "_blocks",
        "_bounds",
        "_cues",
        "_indexed",
        "_tiled",
        "low",
        "text",
    )

    def __init__(self, text: str, blocks: list[str] | None = None) -> None:
        self.text = text
        self.low = _lower(text)
        self._blocks = blocks
        self._bounds: list[int] | None = None
        self._cues: dict[str, list[int]] | None = None  # filled on the first `hits`
        self._indexed: frozenset[str] = frozenset()
        self._block_starts: list[int] | None = None
        self._tiled: list[int] | bool | None = False  # False: not computed yet

    @classmethod
    def of_document(cls, document: Document) -> TextView:
        return cls(document.text, [block.text for block in document.blocks])

    def _tiled_starts(self) -> list[int] | None:
        """Block offsets when the text is exactly the blocks joined by single spaces (the usual
        case: one join and one comparison instead of a search per block)."""
        if self._tiled is False:
            blocks = self._blocks
            if not blocks or self.text != " ".join(blocks):
                self._tiled = None
            else:
                starts = [0, *accumulate(len(block) + 1 for block in blocks)]
                starts.pop()
                self._tiled = starts
        return self._tiled  # type: ignore[return-value]

    def _boundaries(self) -> list[int]:
        if self._bounds is None:
            starts = self._tiled_starts()
            if starts is not None and self._blocks:
                ends = (
                    start + len(block) for start, block in zip(starts, self._blocks, strict=True)
                )
                self._bounds = sorted({0, len(self.text), *starts, *ends})
            else:
                self._bounds = _boundaries(self.text, self._blocks or [])
        return self._bounds

    def block_starts(self) -> list[int] | None:
        """Offset of each block in `text` (same order as the blocks); None when the blocks
        given do not all occur in order."""
        if self._block_starts is None and self._blocks is not None:
            tiled = self._tiled_starts()
            if tiled is not None:
                self._block_starts = tiled
                return tiled
            starts, cursor, text = [], 0, self.text
            for block in self._blocks:
                start = cursor if text.startswith(block, cursor) else text.find(block, cursor)
                if start < 0:
                    return None
                starts.append(start)
                cursor = start + len(block) + 1
            self._block_starts = starts
        return self._block_starts

    def hits(self, cue: str) -> list[int]:
        """Positions of a lower-case cue word, in order (overlapping ones too). The first call
        finds every cue of the index in one pass; a cue new to the index is scanned for alone
        (and joins the index for the next views)."""
        cues = self._cues
        if cues is None:
            cues = self._cues = self._index()
        found = cues.get(cue)
        if found is None:
            found = []
            if cue not in self._indexed:
                if cue:
                    _INDEX.cues.add(cue)
                low = self.low
                position = low.find(cue)
                while position >= 0:
                    found.append(position)
                    position = low.find(cue, position + 1)
            cues[cue] = found
        return found

    def _index(self) -> dict[str, list[int]]:
        automaton, self._indexed = _INDEX.current()
        cues: dict[str, list[int]] = {}
        if automaton is None:
            return cues
        for end, (cue, length) in automaton.iter(self.low):
            found = cues.get(cue)
            if found is None:
                cues[cue] = [end - length]
            else:
                found.append(end - length)
        return cues

    def has(self, cue: str) -> bool:
        """Whether the lower-case cue occurs; one scan, shared with `hits`."""
        return bool(self.hits(cue))

    def unit(self, position: int) -> tuple[int, int]:
        """Start and end of the unit holding `position`."""
        bounds = self._bounds or self._boundaries()
        index = bisect_right(bounds, position)
        return bounds[index - 1], bounds[min(index, len(bounds) - 1)]

    def unit_text(self, position: int) -> str:
        start, end = self.unit(position)
        return self.text[start:end]

    def before(self, position: int, width: int = 60) -> str:
        """Lower-cased text just before `position`, not crossing the unit start."""
        bounds = self._bounds or self._boundaries()
        start = max(bounds[bisect_right(bounds, position) - 1], position - width)
        return self.low[start:position]

    def before_text(self, position: int, width: int = 60) -> str:
        start = max(self.unit(position)[0], position - width)
        return self.text[start:position]

    def span(self, position: int) -> str:
        """Original text from `position` to the end of its sentence or clause."""
        end = min(self.unit(position)[1], position + _MAX_SPAN)
        tail = self.text[position:end]
        stop = _SPAN_END.search(tail)
        return tail[: stop.start()] if stop else tail

    def list_span(self, position: int) -> str:
        """Like `span`, but a list of short elements is read to its end, however long (a
        57-country "we accept applicants from" list)."""
        short = self.span(position)
        if len(short) < _MAX_SPAN - 5:
            return short
        end = min(self.unit(position)[1], position + _MAX_LIST_SPAN)
        tail = self.text[position:end]
        cut = len(short)
        for separator in _LIST_SEPARATOR.finditer(tail, len(short) // 2):
            if separator.start() < cut:
                continue
            next_stop = _LIST_STOP.search(tail, separator.end())
            element_end = next_stop.start() if next_stop else len(tail)
            element = tail[separator.end() : element_end]
            if len(element.split()) > _MAX_LIST_ELEMENT_WORDS:
                cut = separator.end() + len(" ".join(element.split()[:_MAX_LIST_ELEMENT_WORDS]))
                break
            cut = element_end
            if next_stop is None or tail[next_stop.start()] in ".!?":
                break
        return tail[:cut]

    def word_start(self, position: int) -> bool:
        return position == 0 or not self.low[position - 1].isalnum()

    def units_with(self, *cues: str) -> Iterator[tuple[int, int]]:
        """Each unit holding one of the cues, once."""
        seen: set[int] = set()
        for cue in cues:
            for position in self.hits(cue):
                start, end = self.unit(position)
                if start not in seen:
                    seen.add(start)
                    yield start, end


def _boundaries(text: str, blocks: list[str]) -> list[int]:
    """Start and end offsets of the blocks in `text`, sorted, plus 0 and the end."""
    if blocks and sum(map(len, blocks)) + len(blocks) - 1 == len(text):
        # Usual case: the blocks tile the text one space apart.
        ends = list(accumulate(len(block) + 1 for block in blocks))
        if text.startswith(blocks[-1], ends[-1] - len(blocks[-1]) - 1):
            starts = [0, *ends[:-1]]
            return sorted({0, len(text), *starts, *(end - 1 for end in ends)})
    bounds, cursor = [0, len(text)], 0
    for block in blocks:
        start = cursor if text.startswith(block, cursor) else text.find(block, cursor)
        if start < 0:
            continue
        cursor = start + len(block)
        bounds += (start, cursor)
        cursor += 1
    return sorted(set(bounds))
