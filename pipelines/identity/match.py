"""Which postings are one job, decided one posting at a time against the postings already known.

Strong keys first: two postings that link to the same ATS posting (the same canonical posting or
apply URL) are one job, unless their titles clearly disagree (a shared generic apply page). Then,
within one block (same company key and title key, `keys.block_key`), a posting joins a job of
*another* source that holds no posting of its own source yet, when their places are compatible
and their descriptions are alike (rapidfuzz). Within one source, postings are separate jobs (a
board lists one posting per country or contract) unless one is a repost of the other: same places
and work setting, descriptions nearly word for word. Never on the title alone: without a
description on both sides a posting starts its own job. Each posting is compared only with the postings that share
a link key or its block, so the work grows with the number of postings, not with their pairs.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from jobsift.pipelines.identity.keys import block_key, board_in_url, link_keys
from jobsift.pipelines.reference.identity import rules, source_rank
from rapidfuzz import fuzz, utils

# Words of four letters or more: the content of a description, without "the", "and", "you".
_CONTENT_WORD = re.compile(r"\w{4,}")


@dataclass(slots=True)
class Candidate:
    """What matching needs of one posting."""

    id: str
    source: str  # the configured source (one job holds at most one posting of each by likeness)
    rank: int  # source_rank of its spider: 0 is the best kind
    block: str | None
    links: tuple[str, ...]
    title: str | None
    countries: frozenset[str]  # where the job is (office or work location)
    eligible: frozenset[str]  # where a candidate may live
    worldwide: bool
    work_setting: str | None
    description: str
    job_id: str | None = None
    words: str | None = field(default=None, repr=False)


def candidate(row: Mapping[str, Any], job_id: str | None = None) -> Candidate:
    """A posting row (the flat columns of `postings`) as a matching candidate. A row read back
    with its stored keys (`block_key`, `link_keys`, `source_rank`) is not keyed again."""
    if "block_key" in row:
        block, links, rank = row["block_key"], tuple(row["link_keys"] or ()), row["source_rank"]
    else:
        company = row.get("company") or board_in_url(row.get("url"), row.get("apply_url"))
        block = block_key(company, row.get("title"))
        links = tuple(link_keys(row.get("url"), row.get("apply_url")))
        rank = source_rank(row["source"])
    return Candidate(
        id=row["id"],
        source=row.get("source_name") or row["source"],
        rank=rank,
        block=block,
        links=links,
        title=row.get("title"),
        countries=frozenset(row.get("countries") or ()),
        eligible=frozenset(row.get("eligible_countries") or ()),
        worldwide=bool(row.get("worldwide")),
        work_setting=row.get("work_setting"),
        description=row.get("description_text") or "",
        job_id=job_id,
    )


def new_job_id(posting_id: str) -> str:
    """The id of a job started by a posting: the same posting always starts the same job."""
    return "job-" + hashlib.blake2b(posting_id.encode(), digest_size=8).hexdigest()


def places_compatible(a: Candidate, b: Candidate) -> bool:
    """Remote against onsite, or no country in common (the job's countries when both name some,
    else where candidates may live; neither worldwide): two jobs. A posting that names no place is
    compatible with any."""
    if {a.work_setting, b.work_setting} == {"remote", "onsite"}:
        return False
    if a.worldwide or b.worldwide:
        return True
    if a.countries and b.countries:
        return bool(a.countries & b.countries)
    left, right = a.countries or a.eligible, b.countries or b.eligible
    return not left or not right or bool(left & right)


def _words(c: Candidate) -> str:
    if c.words is None:
        limit = rules()["match"]["description_chars"]
        text = utils.default_process(c.description[:limit])
        c.words = " ".join(_CONTENT_WORD.findall(text))
    return c.words


def description_score(a: Candidate, b: Candidate) -> float:
    """0-100: how much of the shorter description's content words the other has (rapidfuzz
    token_set_ratio, so a short comment inside a long ATS description scores high)."""
    left, right = _words(a), _words(b)
    if not left or not right:
        return 0.0
    return fuzz.token_set_ratio(left, right)


def is_repost(a: Candidate, b: Candidate) -> bool:
    """`b` posted again by the same source: same places and setting, nearly the same words."""
    if (a.countries, a.eligible, a.worldwide, a.work_setting) != (
        b.countries,
        b.eligible,
        b.worldwide,
        b.work_setting,
    ):
        return False
    left, right = _words(a), _words(b)
    return bool(left and right) and fuzz.ratio(left, right) >= rules()["match"]["repost_min"]


def _titles_agree(a: Candidate, b: Candidate) -> bool:
    if not a.title or not b.title:
        return True
    minimum = rules()["match"]["link_title_min"]
    return fuzz.token_set_ratio(a.title, b.title, processor=utils.default_process) >= minimum


class Matcher:
    """Jobs known so far, indexed by link key and block; `add` places one more posting."""

    def __init__(self, known: Iterable[Candidate] = ()) -> None:
        self.by_link: dict[str, list[Candidate]] = defaultdict(list)
        self.by_block: dict[str, list[Candidate]] = defaultdict(list)
        self.sources: dict[str, set[str]] = defaultdict(set)
        for c in known:
            self._index(c)

    def note_source(self, job_id: str, source: str) -> None:
        """A job holds a posting of `source` (known from outside the candidates)."""
        self.sources[job_id].add(source)

    def _index(self, c: Candidate) -> None:
        assert c.job_id is not None
        for key in c.links:
            self.by_link[key].append(c)
        if c.block is not None:
            self.by_block[c.block].append(c)
        self.sources[c.job_id].add(c.source)

    def match(self, c: Candidate) -> tuple[str, str] | None:
        """(job_id, how) of the job `c` belongs to among those known, or None."""
        linked = [k for key in c.links for k in self.by_link.get(key, ()) if _titles_agree(c, k)]
        if linked:
            best = min(linked, key=lambda k: (k.rank, k.id))
            return best.job_id or "", "link"
        if c.block is None or not c.description:
            return None
        minimum = rules()["match"]["description_min"]
        scored = []
        limit = rules()["match"]["max_compared"]
        for k in reversed(self.by_block.get(c.block, ())[-limit:]):
            if k.source == c.source:
                if is_repost(c, k):
                    scored.append((-101.0, k.rank, k.id, k.job_id or "", "repost"))
                continue
            if c.source in self.sources[k.job_id or ""] or not places_compatible(c, k):
                continue
            score = description_score(c, k)
            if score >= minimum:
                scored.append((-score, k.rank, k.id, k.job_id or "", "description"))
        if not scored:
            return None
        best = min(scored)
        return best[3], best[4]

    def add(self, c: Candidate) -> tuple[str, str]:
        """Places `c` (keeping a job id it already has); returns (job_id, how): "kept", "link",
        "description", "repost" or "new"."""
        if c.job_id is not None:
            how = "kept"
        else:
            found = self.match(c)
            c.job_id, how = found if found else (new_job_id(c.id), "new")
        self._index(c)
        return c.job_id, how


def assign(
    new: Iterable[Candidate],
    known: Iterable[Candidate] = (),
    job_sources: Iterable[tuple[str, str]] = (),
) -> dict[str, tuple[str, str]]:
    """Job of each posting of `new` (id -> (job_id, how)): "kept" (it had one), "link",
    "description" (joined a known job) or "new". The best sources are placed first, so a job
    started within one batch is started by its best posting."""
    matcher = Matcher(known)
    for job_id, source in job_sources:
        matcher.note_source(job_id, source)
    ordered = sorted(new, key=lambda c: (c.job_id is None, c.rank, c.id))
    return {c.id: matcher.add(c) for c in ordered}
