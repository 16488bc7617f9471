"""Eligibility statements in the description: where the candidate may live, visa sponsorship,
work authorization, allowed US states.

Places are read only from the span a scope statement points at ("must be based in <span>",
"open to candidates from <span>", "Location: <span>"), never from the whole text, which keeps
company footprints, customer bases and headquarters out. Each statement is found from a literal
cue word (see `eligibility.view`), then checked by anchored patterns before and after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jobsift.pipelines.eligibility.places import Places, scan_places, starts_with_place
from jobsift.pipelines.eligibility.view import TextView
from jobsift.pipelines.reference.geo import DEMONYMS, US_STATE_CODES, phrase_key

_I = re.IGNORECASE

# A sentence about pay (pay-transparency lists) or the company's headquarters scopes nothing.
_NOT_SCOPE = re.compile(
    r"\b(?:pay|salary|salaries|compensation|wages?|OTE|bonus|headquarter\w*|HQ)\b|[$€£]", _I
)
_EVERIFY = re.compile(r"E-Verify|\bI-9\b", _I)

# --- Scope statements: (cue, pattern before the cue, pattern from the cue) --------------------
# "must be based in", "should be located within", "need to reside in".
_RESIDE = re.compile(
    r"(?:based|located|living|residing|reside|resident|live)\s+(?:in|within|out of|anywhere in)"
    r"\s+(?:one of\s+)?"
)
_MODAL_BEFORE = re.compile(
    r"(?:must|should|need to|needs to|have to|has to|required to|will need to)\s+(?:be\s+)?"
    r"(?:currently\s+)?(?:physically\s+)?$"
)
# "Currently based in", "candidates located in", "you can be based in".
_SUBJECT_BEFORE = re.compile(
    r"(?:^|\W)(?:currently|can be|candidates?|applicants?|people|talent|someone|you are"
    r"|you're)\s+(?:be\s+)?$"
)
# "open to candidates from", "welcome qualified applicants from", "hiring someone ... within".
_OPEN_BEFORE = re.compile(
    r"(?:open to|hiring|hire|accept(?:ing)?|welcom(?:e|ing)|consider(?:ing)?)\s+(?:hiring\s+)?"
    r"(?:(?:qualified|remote|eligible)\s+)*$"
)
# "cannot accept applicants from ...": an exclusion (eligibility.exclusions), not a scope.
_NEGATED_OPEN_BEFORE = re.compile(
    r"(?:not|n't|cannot|unable to|no longer)\s+(?:currently\s+)?(?:able to\s+)?"
    r"(?:accept|hire|consider|welcome)"
)
_OPEN_AFTER = re.compile(
    r"(?:candidates?|applicants?|someone)\b[^.;:|]{0,50}?\b(?:in|from|within)\s+"
)
# "US candidates", "Canadian residents", "EU citizens" (the words before are read as places).
_PEOPLE = re.compile(r"(?:residents|citizens?|nationals|candidates|applicants)\b")
_WORDS_BEFORE = re.compile(r"([A-Z][\w.]*(?:\s[A-Z][\w.]*)?)\s+$")
_OF = re.compile(r"(?:residents?|citizens?|nationals?)\s+of\s+")
# "remote to US candidates", "remotely within the European Region", "remote in Canada".
_REMOTE_IN = re.compile(r"remote(?:ly)?\s+(?:to|within|in|from|across|throughout|only in)\s+")
_SEEKING_BEFORE = re.compile(r"seeking\s+(?:an?\s+)?$")
_SEEKING_AFTER = re.compile(r"remote\b[^.;:|]{0,60}?\s(?:in|from|based in)\s+")
# "Remote (EMEA)", "(Remote — Americas or Europe)", "Remote - US": a place must follow at once.
_REMOTE_QUALIFIER = re.compile(r"remote\s*(?:\(\s*|[—–:,/]\s*|\s-\s*)")
# "US-based remote work", "a North America-based role" (not "US-based team members").
_X_BASED = re.compile(
    r"based,?\s+(?:(?:(?:remote|hybrid|full-time|part-time)\s+)?(?:role|position|job|candidates?"
    r"|applicants?|work|opportunity|contractors?|hires?)\b|(?:remote|hybrid)\b(?!-))"
)
_CAPITALS_BEFORE = re.compile(r"((?:[A-Z][\w.]*\s){0,2}[A-Z][\w.]*)[-\s]{1,2}$")
_AUTHORIZED_BEFORE = re.compile(
    r"(?:authori[sz]ed|eligible|authori[sz]ation|permission|right|permitted|allowed|legally able)"
    r"\s+$"
)
_TO_WORK = re.compile(r"to\s+work\s+(?:in|within|for)\s+")
# "Location: DACH Region", "Locations: US, CA, EU, LATAM.", "Country: Germany" (codes count).
_LOCATION_LABEL = re.compile(r"location(?:s| requirements?| eligibility)?\s*:\s*")
_COUNTRY_LABEL = re.compile(r"countr(?:y|ies)\s*:\s*")
_REGION_LABEL = re.compile(r"regions?\s*:\s*")
_IN_PERSON = re.compile(r"in-person\s+in\s+")
# "work from our Tokyo office": the verb and preposition before "our/the <City>".
_OFFICE_VERBS = frozenset(
    {"in-person", "onsite", "on-site", "work", "working", "based", "report", "reporting", "come"}
)
_OFFICE_PREPOSITIONS = frozenset({"in", "at", "to", "from", "into"})
# "You can be based anywhere", "work from anywhere" (not "Work from anywhere options").
_ANYWHERE_BEFORE = re.compile(
    r"(?:be\s+based|be\s+located|live|work|working|located|based|hire|hiring|apply|done"
    r"|performed)\s+(?:from\s+)?$"
)
_ANYWHERE_AFTER = re.compile(
    r"anywhere\b(?!\s+(?:in|within|across|on)\b(?!\s+the\s+world))(?!\s+(?:options?|days?"
    r"|weeks?|months?|program|policy|stipend|budget|benefits?|perks?)\b)"
)
_WORLDWIDE = re.compile(r"(?:world-?wide|globally)\b")
_WORLDWIDE_BEFORE = re.compile(r"(?:remote|open|hiring|hire|available)\s+$")


@dataclass(slots=True)
class Scope:
    """Places the text scopes the candidate to; `must_be_in_city` marks a city-level "must be
    based in" (a hint of on-site work)."""

    places: Places = field(default_factory=Places)
    must_be_in_city: bool = False


class _ScopeReader:
    def __init__(self, view: TextView) -> None:
        self.view = view
        self.scope = Scope()
        self._excluded: dict[int, bool] = {}

    def excluded(self, position: int) -> bool:
        start, end = self.view.unit(position)
        if start not in self._excluded:
            self._excluded[start] = _NOT_SCOPE.search(self.view.text[start:end]) is not None
        return self._excluded[start]

    def take(self, position: int, codes: bool = False, regions: bool = True) -> Places:
        places = scan_places(self.view.list_span(position), codes=codes)
        if not regions:
            places.regions.clear()  # "right to work in the EU" scopes authorization only
        self.scope.places.update(places)
        return places

    def read(self) -> Scope:
        # Each hit is checked cheapest first: the anchored pattern after the cue, then the text
        # before it, then whether its sentence is about pay or the headquarters.
        view, low = self.view, self.view.low
        for cue in ("based", "locat", "resid", "liv"):
            for at in view.hits(cue):
                if not view.word_start(at):
                    continue
                if match := _RESIDE.match(low, at):
                    before = view.before(at, 50)
                    modal = _MODAL_BEFORE.search(before) is not None
                    subject = modal or _SUBJECT_BEFORE.search(before) is not None
                    if subject and not self.excluded(at) and self.take(match.end()).named_city:
                        self.scope.must_be_in_city = self.scope.must_be_in_city or modal
                if cue == "based" and _X_BASED.match(low, at) and not self.excluded(at):
                    words = _CAPITALS_BEFORE.search(view.before_text(at, 40))
                    if words:
                        self.scope.places.update(scan_places(words.group(1)))
        for cue in ("candidate", "applicant", "citizen", "resid"):
            for at in view.hits(cue):
                if not view.word_start(at):
                    continue
                opened = _OPEN_AFTER.match(low, at)
                before = view.before(at, 40) if opened else ""
                if (
                    opened
                    and _OPEN_BEFORE.search(before)
                    and not _NEGATED_OPEN_BEFORE.search(before)
                    and not self.excluded(at)
                ):
                    self.take(opened.end())
                if _PEOPLE.match(low, at) and not self.excluded(at):
                    words = _WORDS_BEFORE.search(view.before_text(at, 40))
                    if words:
                        self.scope.places.update(_people_of(words.group(1)))
                of = _OF.match(low, at) if cue in ("citizen", "resid") else None
                if of and not self.excluded(at):
                    self.take(of.end())
        self._remote_and_work_rights()
        self._labels_and_offices()
        return self.scope

    def _remote_and_work_rights(self) -> None:
        view, low = self.view, self.view.low
        for at in view.hits("remote"):
            if not view.word_start(at):
                continue
            match = _REMOTE_IN.match(low, at)
            if not match and (seeking := _SEEKING_AFTER.match(low, at)):
                match = seeking if _SEEKING_BEFORE.search(view.before(at, 20)) else None
            if not match and (qualifier := _REMOTE_QUALIFIER.match(low, at)):
                match = qualifier if starts_with_place(view.span(qualifier.end())) else None
            if match and not self.excluded(at):
                self.take(match.end())
        for at in view.hits("to work"):
            match = _TO_WORK.match(low, at)
            if not match or not _AUTHORIZED_BEFORE.search(view.before(at, 30)):
                continue
            if not self.excluded(at) and not _EVERIFY.search(view.unit_text(at)):
                self.take(match.end(), regions=False)  # (E-Verify: see work_authorization)

    def _labels_and_offices(self) -> None:
        view, low = self.view, self.view.low
        for cue, pattern in (
            ("locat", _LOCATION_LABEL),
            ("countr", _COUNTRY_LABEL),
            ("region", _REGION_LABEL),
        ):
            for at in view.hits(cue):
                match = pattern.match(low, at) if view.word_start(at) else None
                if match and not self.excluded(at):
                    self.take(match.end(), codes=True)
        for at in view.hits("in-person"):
            if (match := _IN_PERSON.match(low, at)) and not self.excluded(at):
                self.take(match.end())
        for at in view.hits("office"):
            if low.startswith(" ", at - 1) and (city := _office_city(view.before_text(at, 60))):
                self.scope.places.update(scan_places(city))
        for at in view.hits("anywhere"):
            if _ANYWHERE_AFTER.match(low, at) and _ANYWHERE_BEFORE.search(view.before(at, 30)):
                self.scope.places.worldwide = True
        for cue in ("world", "global"):
            for at in view.hits(cue):
                if _WORLDWIDE.match(low, at) and _WORLDWIDE_BEFORE.search(view.before(at, 20)):
                    self.scope.places.worldwide = True


def _office_city(before: str) -> str | None:
    """The city in "... work from our Tokyo " (the text before "office"), else None."""
    words = before.split()[-6:]
    for index in range(len(words) - 1, 1, -1):
        if words[index].lower() in ("our", "the"):
            name = words[index + 1 :]
            verb, preposition = words[index - 2].lower(), words[index - 1].lower()
            if (
                name
                and all(w[:1].isupper() for w in name)
                and verb in _OFFICE_VERBS
                and preposition in _OFFICE_PREPOSITIONS
            ):
                return " ".join(name)
            return None
    return None


def _people_of(words: str) -> Places:
    """Places of the words before "residents", "citizens", "candidates" ("Canadian", "US")."""
    places = scan_places(words)
    demonym = DEMONYMS.get(phrase_key(words.split()[-1]))
    if demonym:
        places.countries.add(demonym)
    return places


def scope_of(view: TextView) -> Scope:
    return _ScopeReader(view).read()


# --- Visa sponsorship and work authorization --------------------------------------------------

_VISA_REFUSED = re.compile(
    r"\b(?:unable|not able|cannot|can ?not|can't|won't|will not|do not|don't|does not|doesn't"
    r"|not in a position)\s+(?:to\s+)?(?:[\w/-]+\s+){0,4}?sponsor(?:ship|ing|s)?\b"
    r"|\bnot\s+(?:be\s+)?(?:eligible|available)\s+for\s+(?:visa\s+|immigration\s+|work permit\s+)?"
    r"sponsorship"
    r"|\bno\s+(?:visa\s+|immigration\s+|work permit\s+)?sponsorship"
    r"|\bsponsorship\s+(?:is\s+)?(?:not|unavailable)\b"
    r"|\bwithout\s+(?:the\s+need\s+for\s+|requiring\s+)?(?:current\s+or\s+future\s+)?"
    r"(?:visa\s+|immigration\s+)?sponsorship",
    _I,
)
_VISA_OFFERED = re.compile(
    r"\bvisas?\s+(?:sponsorship\s+)?(?:is\s+|are\s+)?(?:possible|available|provided|offered)"
    r"|\b(?:we|company|employer)\s+(?:can|will|do|does|are able to|is able to)\s+(?:also\s+)?"
    r"(?:sponsor\b|offer\s+(?:visa\s+|immigration\s+)?sponsorship|provide\s+(?:visa\s+|"
    r"immigration\s+)?sponsorship)"
    r"|\b(?:we|company|employer)\s+sponsors?\s+(?:visas?|work permits?|h-?1b)"
    r"|\b(?:visa|immigration)\s+sponsorship\s+(?:is\s+)?(?:available|offered|provided|possible)"
    r"|\b(?:offer|offers|offering|provide|provides|providing)\s+(?:full\s+)?(?:visa|immigration)"
    r"\s+(?:sponsorship|support)"
    r"|\bsponsorship\s+(?:is\s+)?available|\bwilling to sponsor\b|\bopen to sponsoring\b"
    r"|\brelocation\s+(?:and|&)\s+visa\s+(?:support|assistance|sponsorship)",
    _I,
)
_WORK_PERMIT = re.compile(r"work\s+(?:authori[sz]ation|permit)(?:\s+(?:in|for)\s+)?")
_EXISTING_BEFORE = re.compile(r"(?:existing|valid|current)\s+$")
_CITIZENSHIP_REQUIRED = re.compile(r"\b(?:must|only|required|requires|need to|needs to)\b")


def visa_sponsorship(view: TextView) -> bool | None:
    """False on an explicit refusal, True on an offer (even conditional), else None. Questions
    ("Will you require sponsorship?") are not statements."""
    offered = False
    for start, end in view.units_with("sponsor", "visa"):
        unit = view.text[start:end]
        if unit.rstrip().endswith("?"):
            continue
        if _VISA_REFUSED.search(unit):
            return False
        offered = offered or _VISA_OFFERED.search(unit) is not None
    return True if offered else None


def work_authorization(view: TextView, sponsorship: bool | None) -> set[str]:
    """Countries where existing work authorization is required ("authorized to work in the
    U.S.", "eligible to work in Germany", "Remote to US candidates only with existing work
    authorization"). An E-Verify notice counts only together with a sponsorship refusal."""
    countries: set[str] = set()
    low = view.low
    for at in view.hits("to work"):
        match = _TO_WORK.match(low, at)
        if (
            match
            and _AUTHORIZED_BEFORE.search(view.before(at, 30))
            and _counts(view, at, sponsorship)
        ):
            countries |= scan_places(view.span(match.end())).scoped_countries()
    for cue in ("work authori", "work permit"):
        for at in view.hits(cue):
            match = _WORK_PERMIT.match(low, at)
            if not match or not _counts(view, at, sponsorship):
                continue
            if match.group().rstrip().endswith(("in", "for")):
                countries |= scan_places(view.span(match.end())).scoped_countries()
            elif _EXISTING_BEFORE.search(view.before(at, 20)):
                countries |= scan_places(view.unit_text(at)).scoped_countries()
    for at in view.hits("citizen"):
        # "Must be a U.S. Citizen", "ONLY US CITIZENS CAN BE CONSIDERED": citizenship is a
        # stricter form of existing authorization.
        unit = view.unit_text(at).lower()
        words = _WORDS_BEFORE.search(view.before_text(at, 30))
        if words and _CITIZENSHIP_REQUIRED.search(unit) and not unit.rstrip().endswith("?"):
            countries |= _people_of(words.group(1)).countries
    return countries


def _counts(view: TextView, position: int, sponsorship: bool | None) -> bool:
    unit = view.unit_text(position)
    if unit.rstrip().endswith("?"):
        return False  # an application question, not a statement
    return sponsorship is False or not _EVERIFY.search(unit)


# --- US states --------------------------------------------------------------------------------

_STATES_BEFORE = re.compile(r"(?:following|these|select|approved|eligible)\s+(?:us\s+|u\.s\.\s+)?$")
_STATES_AFTER = re.compile(r"states?\s*(?:of\s+)?:?\s*")
_RESIDENTS_OF = re.compile(r"residents?\s+of\s+")
_CODE = re.compile(r"\b[A-Z]{2}\b")
# A state list is read to the end of its unit, at most this far: a long unit with many
# "residents of" must not be re-read to its end from every hit.
_MAX_STATES_SPAN = 1000


def listed_us_states(view: TextView) -> set[str]:
    """States the text lists as where the candidate may live ("open to residents of AZ, CO,
    TX", "in the following states: ..."); pay-transparency lists and office cities are not."""
    states: set[str] = set()
    starts = []
    for at in view.hits("states"):
        if (match := _STATES_AFTER.match(view.low, at)) and _STATES_BEFORE.search(
            view.before(at, 30)
        ):
            starts.append(match.end())
    for at in view.hits("resid"):
        if match := _RESIDENTS_OF.match(view.low, at):
            starts.append(match.end())
    not_scope: dict[int, bool] = {}
    for start in starts:
        unit_start, unit_end = view.unit(start)
        if unit_start not in not_scope:
            not_scope[unit_start] = bool(_NOT_SCOPE.search(view.text[unit_start:unit_end]))
        if not_scope[unit_start]:
            continue
        span = view.text[start : min(unit_end, start + _MAX_STATES_SPAN)]
        places = scan_places(span)
        if places.countries - {"US"} or places.named_city:
            continue
        states |= places.states | {c for c in _CODE.findall(span) if c in US_STATE_CODES}
    return states
