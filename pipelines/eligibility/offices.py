"""Two more kinds of place statements in the description:

* a named office or site: "in our main offices in Amsterdam", "as well as in our offices in
  Austin and San Francisco", "von unseren Standorten in Hamburg oder Bochum" -> the country of
  the office city (gold README: a named office city counts; a headquarters line does not);
* "<places> only" ("This role is US-only", "USA or Canada only");
* residence and work-place statements in German, French, Spanish and Portuguese: "Wohnsitz in
  Deutschland", "trabalhar em Winnipeg e Calgary no Canadá", "résider en France", "radicado en
  Colombia".
Regions named there are not taken (an office is in a city; "offices across Europe" is a footprint).
"""

from __future__ import annotations

import re

from jobsift.pipelines.eligibility.places import Places, scan_places
from jobsift.pipelines.eligibility.view import TextView

_NOT_SCOPE = re.compile(
    r"headquarter|\bHQ\b|home office|head office|Hauptsitz|siège|sede central|sede principal", re.I
)
_OFFICE_IN = re.compile(
    r"(?:offices?|standort(?:en|e)?|büros?|bureaux?|oficinas?|escrit[óo]rios?|sites?)\s+"
    r"(?:(?:located|based)\s+)?(?:in|at|en|em|à|a|no|na|au)\s+"
)
_OWNER_BEFORE = re.compile(
    r"(?:\bour|\bthe|\bunseren?|\bunserem|\bnos|\bnuestras?|\bnossos?|\bnossas?|\bde la|\bdu)"
    r"\s+(?:[\w-]+\s+)?$"
)
# Residence and work place in other languages: cue -> pattern from the cue to the place.
_FOREIGN = {
    "wohnsitz": re.compile(r"wohnsitz\s+(?:in|im)\s+(?:der\s+|den\s+)?"),
    "ansässig": re.compile(r"ansässig\s+(?:in|im)\s+(?:der\s+|den\s+)?"),
    "wohnhaft": re.compile(r"wohnhaft\s+(?:in|im)\s+(?:der\s+|den\s+)?"),
    "trabalhar": re.compile(r"trabalhar\s+(?:em|no|na|nos|nas)\s+"),
    "trabajar": re.compile(r"trabajar\s+(?:en|desde)\s+"),
    "travailler": re.compile(r"travailler\s+(?:à|en|au|aux|depuis)\s+"),
    "résid": re.compile(r"résid(?:er|ant|ent|ez)\s+(?:à|en|au|aux|dans)\s+"),
    "resid": re.compile(r"resid(?:ir|ente|entes|a)\s+(?:en|em|no|na)\s+"),
    "radicad": re.compile(r"radicad[oa]s?\s+en\s+"),
    "basad": re.compile(r"basad[oa]s?\s+en\s+"),
    "baseado": re.compile(r"baseados?\s+(?:em|no|na)\s+"),
    "morar": re.compile(r"morar\s+(?:em|no|na)\s+"),
}


_PLACES_BEFORE_ONLY = re.compile(r"((?:[A-Z][\w.]*(?:\s+(?:or|and|&)\s+|[\s/-]+)){1,4})$")
# The office is where this job is done: the sentence speaks of the role or the candidate.
_WORK_CONTEXT = re.compile(
    r"\b(?:you|your|role|position|job|work(?:s|ing)?|based|candidates?|du|sie|arbeiten|vous|"
    r"poste|puesto|vaga|trabajar|trabalhar)\b",
    re.I,
)
_OFFICE_CUES = ("office", "site", "standort")
_FOREIGN_OFFICE_CUES = ("büro", "bureau", "oficina", "escrit")


def _without_regions(places: Places) -> Places:
    places.regions.clear()
    places.worldwide = False
    return places


def office_and_foreign_places(view: TextView) -> Places:
    found = Places()
    low = view.low
    for at in view.hits("only"):
        # "This role is US-only", "Remote (US only)", "USA or Canada only".
        words = (
            _PLACES_BEFORE_ONLY.search(view.before_text(at, 40)) if view.word_start(at) else None
        )
        if words and not _NOT_SCOPE.search(view.unit_text(at)):
            # Countries only: "for DACH only" may be a sales territory.
            found.update(_without_regions(scan_places(words.group(1))))
    for cue in _OFFICE_CUES if low.isascii() else _OFFICE_CUES + _FOREIGN_OFFICE_CUES:
        if not view.has(cue):
            continue
        for at in view.hits(cue):
            match = _OFFICE_IN.match(low, at) if view.word_start(at) else None
            if not match or not _OWNER_BEFORE.search(view.before(at, 30)):
                continue
            unit = view.unit_text(at)
            if _NOT_SCOPE.search(unit) or not _WORK_CONTEXT.search(unit):
                continue  # "Our offices in London, Singapore and New York": a footprint
            found.update(_without_regions(scan_places(view.list_span(match.end()))))
    if low.isascii():
        return found  # the foreign cues are German, French, Spanish, Portuguese words
    for cue, pattern in _FOREIGN.items():
        if not view.has(cue):
            continue
        for at in view.hits(cue):
            if view.word_start(at) and (match := pattern.match(low, at)):
                found.update(_without_regions(scan_places(view.list_span(match.end()))))
    return found
