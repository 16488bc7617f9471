"""Sections step: responsibilities, minimum and preferred requirements, years and education.

Reads the parsed description (`draft.document`): every heading is mapped through the heading
lexicon (`pipelines.reference.headings`) to responsibilities / minimum / preferred / other, and the
items under it take that label. Then single items move by their own wording (gold README: "... is
a plus" -> preferred, "Must have" -> minimum, a task inside a requirements list ->
responsibilities), prose counts only where a label has no list, and eligibility musts are
minimum requirements wherever they appear. Lists under no heading are labelled by their content.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from jobsift.pipelines.document.lexicon import heading_label, lower
from jobsift.pipelines.document.literals import AnyMatch, AnyOf
from jobsift.pipelines.document.model import RANK_LABEL, Block, Document
from jobsift.pipelines.document.sentences import split_sentences
from jobsift.pipelines.draft import Draft
from jobsift.pipelines.reference import headings as vocab
from jobsift.pipelines.sections.experience import education_level, years_experience_min

RESPONSIBILITIES, MINIMUM, PREFERRED, OTHER = (
    vocab.RESPONSIBILITIES,
    vocab.MINIMUM,
    vocab.PREFERRED,
    vocab.OTHER,
)
LIST_LABELS = (RESPONSIBILITIES, MINIMUM, PREFERRED)


class _Cue:
    """Patterns each tried on lower-cased text only when one of its trigger words occurs in it
    (a substring test costs far less than a regular expression with alternatives)."""

    __slots__ = ("parts",)

    def __init__(self, *parts: tuple[str, tuple[str, ...]]) -> None:
        self.parts = tuple((AnyMatch(pattern), AnyOf(triggers)) for pattern, triggers in parts)

    def search(self, low: str) -> bool:
        for pattern, triggers in self.parts:  # noqa: SIM110 (no generator per call: a hot path)
            if triggers.found(low) and pattern.found(low):
                return True
        return False


_PREFERRED = _Cue((vocab.PREFERRED_MARKERS, vocab.PREFERRED_TRIGGERS))
_PREFERRED_TAG = AnyMatch(vocab.PREFERRED_TAG)
_CLAUSE_BREAK = re.compile(vocab.CLAUSE_BREAKS)
_MUST = _Cue((vocab.MUST_MARKERS, vocab.MUST_TRIGGERS))
_NEED = _Cue((vocab.NEED_CUES, vocab.NEED_TRIGGERS))
_ELIGIBILITY_MUST = _Cue((vocab.ELIGIBILITY_MUSTS, vocab.ELIGIBILITY_TRIGGERS))
_TASK_SENTENCE = _Cue(*vocab.TASK_SENTENCE_CUES)
_FUTURE_TASK = re.compile(vocab.FUTURE_TASK)
_FRENCH_INFINITIVE = re.compile(vocab.FRENCH_INFINITIVE)
_PARENTHESIS = re.compile(r"\([^()]*\)")
_FIRST_WORD = re.compile(r"[\w'-]+")
_CLOSERS = "'\"”’)]» "
_SENTENCE_ENDS = frozenset(".!?。！？")
_WORD_STARTS = AnyOf(" " + stem for stem in vocab.REQUIREMENT_STEMS)
_PREFERRED_WORDS = AnyOf(vocab.PREFERRED_TRIGGERS)
_TRUNCATION_MARKS = AnyOf(vocab.TRUNCATION_MARKS)
# Share of a headless list's items that must agree before the list is labelled by content.
_CONTENT_MAJORITY = 0.6
# Longer sentences before a list talk about something else than its items ("the team is ...").
_MAX_INTRO_WORDS = 14


def _is_requirement(low: str) -> bool:
    return _WORD_STARTS.found(" " + low.replace("(", " "))


def _is_sentence(text: str) -> bool:
    stripped = text.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _SENTENCE_ENDS


@dataclass(slots=True)
class _Parent:
    """The last known heading and whether content followed it before any sub-heading."""

    label: str
    rank: int
    had_content: bool = False
    child_rank: int | None = None


@dataclass(slots=True)
class Placement:
    """Items per list, and how each list got its items (heading, content, wording, must...)."""

    items: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in LIST_LABELS})
    origins: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in LIST_LABELS})

    def add(self, label: str, text: str, origin: str) -> None:
        self.items[label].append(text)
        self.origins[label].add(origin)


def _is_intro(blocks: list[Block], index: int) -> bool:
    """A short sentence right before a list that announces it ("Your duties will include:",
    "You will work on the following.") introduces the list like a heading."""
    block = blocks[index]
    if block.kind != "text" or index + 1 >= len(blocks) or blocks[index + 1].kind != "item":
        return False
    text = block.text
    announces = text.endswith((":", "：")) or (
        text.endswith((".", "。")) and any(word in text for word in vocab.LIST_ANNOUNCERS)
    )
    return announces and len(text.split()) <= _MAX_INTRO_WORDS


def intro_indices(blocks: list[Block]) -> frozenset[int]:
    """Positions of the sentences that introduce the list right after them."""
    return frozenset(
        index
        for index in range(len(blocks) - 1)
        if blocks[index + 1].kind == "item" and _is_intro(blocks, index)
    )


def section_labels(blocks: list[Block], intros: frozenset[int] | None = None) -> list[str | None]:
    """The label in force at every block (None: under no heading or an unknown one).

    An unknown heading right under a known one (nothing between them), and its siblings of the
    same rank, inherit the known label ("Duties:" / "Testing and QA" / "Compliance"); an unknown
    label line ("Processor:") keeps the label in force; any other unknown heading ends it.
    """
    if intros is None:
        intros = intro_indices(blocks)
    labels: list[str | None] = []
    current: str | None = None
    parent: _Parent | None = None
    for index, block in enumerate(blocks):
        intro = index in intros
        if block.kind != "heading" and not intro:
            if parent is not None and parent.child_rank is None:
                parent.had_content = True
            labels.append(current)
            continue
        labels.append(None)
        label = heading_label(block.text)
        rank = RANK_LABEL if intro else block.level
        is_label_line = intro or rank >= RANK_LABEL
        if label is None:
            if is_label_line or (block.text.endswith(":") and block.source != "h"):
                continue
            if parent is not None and (not parent.had_content or rank == parent.child_rank):
                parent.child_rank = rank
                current = parent.label
            else:
                current, parent = None, None
            continue
        if (
            label == OTHER
            and parent is not None
            and not parent.had_content
            and parent.label in LIST_LABELS
            and parent.child_rank is None
        ):
            parent.child_rank = rank  # "RESPONSIBILITIES" / "What can you expect?"
            continue
        current = label
        if not is_label_line:
            parent = _Parent(label, rank)
    return labels


def _looks_like_task(text: str, low: str) -> bool:
    match = _FIRST_WORD.search(low)
    word = match.group(0) if match else ""
    if word in vocab.TASK_VERBS or _FRENCH_INFINITIVE.match(word):
        return True
    if word.endswith("ing") and len(word) > 5 and not _is_requirement(low):
        return True
    return _TASK_SENTENCE.search(low)


def _content_label(items: list[Block]) -> str | None:
    """Label of a list under no heading, when most of its items read alike."""
    tasks = requirements = 0
    for item in items:
        low = lower(item.text)
        if _looks_like_task(item.text, low):
            tasks += 1
        elif _is_requirement(low):
            requirements += 1
    if tasks >= _CONTENT_MAJORITY * len(items):
        return RESPONSIBILITIES
    if requirements >= _CONTENT_MAJORITY * len(items):
        return MINIMUM
    return None


def _main_clause(text: str) -> str:
    """An item's first sentence up to a clause that only qualifies it, without parentheses."""
    first = lower(split_sentences(text)[0]) if text else ""
    first = _CLAUSE_BREAK.split(first, maxsplit=1)[0]
    return _PARENTHESIS.sub(" ", first)


def _is_preferred(text: str, low: str) -> bool:
    """ "... is a plus", "(Preferred)", "... preferred, but not required" (not "(X preferred)"
    inside a required item, nor a clause after " - " or ";", nor a second sentence)."""
    if not _PREFERRED_WORDS.found(low):
        return False
    return _PREFERRED_TAG.found(low) or _PREFERRED.search(_main_clause(text))


def _second_person_verb(low: str) -> str | None:
    words = low.split(maxsplit=2)
    if len(words) < 2 or words[0] not in vocab.SECOND_PERSON:
        return None
    return words[1].strip(",.")


def _is_task_item(low: str) -> bool:
    """A task inside a requirements list: "You will build ...", "Du baust Kooperationen ... auf".
    English "You act before anyone asks" items are attitudes, so only "you will" counts there."""
    if low.startswith("you"):
        return _FUTURE_TASK.match(low) is not None
    verb = _second_person_verb(low)
    return verb is not None and verb not in vocab.STATE_VERBS


def _moved_label(text: str, label: str) -> str:
    """Where an item belongs by its own wording, given the list it sits in."""
    low = lower(text)
    if label == MINIMUM:
        if _is_preferred(text, low):
            return PREFERRED
        if _is_task_item(low) or _is_imperative_task(text, low):
            return RESPONSIBILITIES
    elif label == PREFERRED:
        if _MUST.search(low):
            return MINIMUM
        if _is_imperative_task(text, low):
            return RESPONSIBILITIES
    return label


def _is_imperative_task(text: str, low: str) -> bool:
    """ "Lead high complexity projects ..." inside a requirements list: a task (an imperative
    task verb, capitalised, and no requirement wording)."""
    match = _FIRST_WORD.match(low)
    return (
        match is not None
        and text[:1].isupper()
        and match.group(0) in vocab.TASK_VERBS
        and match.group(0) not in vocab.ATTITUDE_VERBS
        and not _is_requirement(low)
    )


def _sentence_label(text: str, low: str, label: str | None) -> str | None:
    """The list a prose sentence belongs to, under the section label in force."""
    if label == RESPONSIBILITIES:
        return label if _TASK_SENTENCE.search(low) else None
    if label == MINIMUM:
        return label if _is_requirement(low) else None
    if label == PREFERRED:
        return label
    if label is not None:
        return None
    if low.startswith("ideally") or _is_preferred(text, low):
        return PREFERRED
    if _TASK_SENTENCE.search(low):
        return RESPONSIBILITIES
    verb = _second_person_verb(low)
    if _MUST.search(low) or _NEED.search(low) or (verb and verb in vocab.STATE_VERBS):
        return MINIMUM
    return None


def _usable(block: Block) -> bool:
    text = block.text
    if block.truncated or text.endswith(":") or _TRUNCATION_MARKS.found(text):
        return False
    return not (text.startswith("(") and text.endswith(")"))  # an aside, e.g. a joke


def _item_labels(blocks: list[Block], labels: list[str | None]) -> list[str | None]:
    """Labels of the items: their section's, or for lists under no heading, their content's."""
    headless: dict[int, list[Block]] = {}
    for block, label in zip(blocks, labels, strict=True):
        if block.kind == "item" and label is None:
            headless.setdefault(block.group, []).append(block)
    by_content = {group: _content_label(items) for group, items in headless.items()}
    return [
        (label if label is not None else by_content.get(block.group))
        if block.kind == "item"
        else None
        for block, label in zip(blocks, labels, strict=True)
    ]


def place_items(document: Document) -> Placement:
    blocks = document.blocks
    intros = intro_indices(blocks)
    labels = section_labels(blocks, intros)
    item_labels = _item_labels(blocks, labels)
    listed = {label for label in item_labels if label in LIST_LABELS}
    all_listed = len(listed) == len(LIST_LABELS)
    placement = Placement()
    items, origins = placement.items, placement.origins
    seen: set[str] = set()
    for index, block in enumerate(blocks):
        kind = block.kind
        if kind == "heading" or index in intros or not _usable(block):
            continue
        text = block.text
        if kind == "item":
            label = item_labels[index]
            if label not in LIST_LABELS:
                continue
            placed = _moved_label(text, label)
            origin = "heading" if labels[index] is not None else "content"
            origin = origin if placed == label else "wording"
        else:
            if block.source != "fused" and not _is_sentence(text):
                continue  # a line that is not a sentence, or one the origin cut
            if text.endswith("?"):
                continue  # a question asks the reader, it states no task or requirement
            low = lower(text)
            if _ELIGIBILITY_MUST.search(low):
                placed, origin = MINIMUM, "must"
            elif all_listed or labels[index] in listed:
                continue  # prose counts only where a label has no list
            else:
                placed = _sentence_label(text, low, labels[index])
                if placed is None or placed in listed:
                    continue
                origin = "prose"
        if text not in seen:
            seen.add(text)
            items[placed].append(text)  # Placement.add, inline
            origins[placed].add(origin)
    return placement


_PATHS = {
    RESPONSIBILITIES: "overview.responsibilities",
    MINIMUM: "requirements.minimum",
    PREFERRED: "requirements.preferred",
}


def step(draft: Draft) -> Iterable[str]:
    placement = place_items(draft.document)
    items = placement.items
    draft.overview["responsibilities"] = items[RESPONSIBILITIES]
    draft.requirements["minimum"] = items[MINIMUM]
    draft.requirements["preferred"] = items[PREFERRED]
    for label, path in _PATHS.items():
        if items[label]:
            draft.provenance[path] = "text:" + "+".join(sorted(placement.origins[label]))
    events: list[str] = []
    if draft.document.blocks and not any(items.values()):
        events.append("sections/empty")
    elif any("content" in origins for origins in placement.origins.values()):
        events.append("sections/labelled_by_content")  # lists under no known heading
    years = years_experience_min(items[MINIMUM] + items[PREFERRED], draft.document, draft.raw.title)
    if years is not None:
        draft.requirements["years_experience_min"] = years.value
        draft.provenance["requirements.years_experience_min"] = years.origin
    education = education_level(items[MINIMUM])
    if education is not None:
        draft.requirements["education"] = education
        draft.provenance["requirements.education"] = "text:requirements.minimum"
    return events
