"""schema.org JobPosting JSON-LD: finding the blocks in a page and mapping one onto a raw posting.

Only crawling concerns live here (which JSON-LD key becomes which raw-posting key, the gold labels'
"jsonld" row); countries, salaries and dates are interpreted by the normalization pipeline.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from typing import Any

from parsel import Selector

# `type` is matched case-insensitively: pages write "application/ld+json", "application/LD+JSON".
_SCRIPT_XPATH = (
    "//script[contains(translate(@type, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
    "'abcdefghijklmnopqrstuvwxyz'), 'ld+json')]"
)
# Wrappers some CMSs put around the JSON inside the script element.
_WRAPPER = re.compile(r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)|(?:-->|//\s*\]\]>|\]\]>)\s*$")
# Text sections appended to `description`, in this order (the gold labels: "those present").
DESCRIPTION_SECTIONS = (
    "description",
    "qualifications",
    "responsibilities",
    "requirementsSection",
    "benefitsSection",
)
ADDRESS_PARTS = (
    ("streetAddress", "street"),
    ("addressLocality", "locality"),
    ("addressRegion", "region"),
    ("postalCode", "postal_code"),
    ("addressCountry", "country"),
)


def json_ld_blocks(selector: Selector) -> tuple[list[Any], list[str]]:
    """Every decoded `<script type="application/ld+json">` of a page, and one error per bad block.

    A block that is not JSON is reported and skipped; the other blocks of the page still count.
    """
    blocks: list[Any] = []
    errors: list[str] = []
    for index, script in enumerate(selector.xpath(_SCRIPT_XPATH)):
        text = _WRAPPER.sub("", script.xpath("string()").get() or "").strip()
        if not text:
            continue
        try:
            # strict=False: real pages put raw newlines and tabs inside JSON strings.
            blocks.append(json.loads(text, strict=False))
        except ValueError as exc:
            errors.append(f"JSON-LD block {index} is not valid JSON: {exc}")
    return blocks, errors


def is_job_posting(node: dict[str, Any]) -> bool:
    types = node.get("@type")
    names = types if isinstance(types, list) else [types]
    # "JobPosting", "schema:JobPosting" and "http://schema.org/JobPosting" all occur.
    return any(isinstance(t, str) and re.split(r"[/:#]", t)[-1] == "JobPosting" for t in names)


def _is_reference(value: Any) -> bool:
    return isinstance(value, dict) and "@id" in value and set(value) <= {"@id", "@type"}


def _resolved(job: dict[str, Any], nodes: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The posting with `{"@id": ...}` values replaced by the page's node of that id (`@graph`)."""

    def resolve(value: Any) -> Any:
        if _is_reference(value):
            return nodes.get(value["@id"], value)
        return [resolve(v) for v in value] if isinstance(value, list) else value

    return {key: resolve(value) for key, value in job.items()}


def job_postings(blocks: Iterable[Any]) -> list[dict[str, Any]]:
    """The JobPosting objects of decoded blocks, in page order, wherever they sit.

    Covers single objects, top-level arrays, `@graph` and postings nested in other nodes
    (`WebPage.mainEntity`, `ItemList.itemListElement`); references such as
    `"hiringOrganization": {"@id": ...}` are resolved; a repeated posting is yielded once.
    """
    found: dict[str, dict[str, Any]] = {}
    nodes: dict[str, dict[str, Any]] = {}
    stack: list[Any] = list(reversed(list(blocks)))
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            if isinstance(node.get("@id"), str) and not _is_reference(node):
                nodes.setdefault(node["@id"], node)
            if is_job_posting(node):
                found.setdefault(json.dumps(node, sort_keys=True, default=str), node)
            else:
                stack.extend(v for v in reversed(node.values()) if isinstance(v, dict | list))
    return [_resolved(job, nodes) for job in found.values()]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str | None:
    """A JSON-LD text value: a string, a number, `{"@value": ...}` or the first of a list."""
    if isinstance(value, list):
        return next((t for t in map(_text, value) if t), None)
    if isinstance(value, dict):
        return _text(value.get("@value") if "@value" in value else value.get("name"))
    if isinstance(value, bool) or value is None:
        return None
    text = str(value).strip()
    return text or None


def _html_section(value: Any) -> str | None:
    """A text field as HTML: lists become `<ul>` items; entity-escaped HTML is unescaped once."""
    if isinstance(value, list):
        items = [t for t in map(_text, value) if t]
        return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>" if items else None
    text = _text(value)
    # "&lt;p&gt;" with no real tag: HTML that was escaped once more than JSON needed.
    if text and "&lt;" in text and "<" not in text:
        text = html.unescape(text)
    return text


def description_html(job: dict[str, Any]) -> str | None:
    """`description` and the other text sections present, joined with "\\n" (as gold reads them)."""
    sections: list[str] = []
    for key in DESCRIPTION_SECTIONS:
        section = _html_section(job.get(key))
        # Some sites repeat `qualifications` inside `description`: keep the text once.
        if section and not any(section in kept for kept in sections):
            sections.append(section)
    return "\n".join(sections) or None


def _address(value: Any) -> dict[str, str]:
    """A PostalAddress (or a plain address string) as {street, locality, region, ...}."""
    if isinstance(value, str):
        return {"street": value.strip()} if value.strip() else {}
    if not isinstance(value, dict):
        return {}
    return {name: text for key, name in ADDRESS_PARTS if (text := _text(value.get(key)))}


def job_locations(job: dict[str, Any]) -> list[dict[str, str]]:
    places = [p for p in _as_list(job.get("jobLocation")) if isinstance(p, dict | str)]
    addresses = [_address(p.get("address") if isinstance(p, dict) else p) for p in places]
    return [address for address in addresses if address]


def applicant_locations(job: dict[str, Any]) -> list[dict[str, str]]:
    """`applicantLocationRequirements` as [{type, name}]; `name` or the address's country."""
    locations: list[dict[str, str]] = []
    for requirement in _as_list(job.get("applicantLocationRequirements")):
        if isinstance(requirement, str):
            name, kind = requirement.strip(), None
        elif isinstance(requirement, dict):
            address = requirement.get("address")
            country = address.get("addressCountry") if isinstance(address, dict) else None
            name, kind = _text(requirement.get("name")) or _text(country), requirement.get("@type")
        else:
            continue
        if name:
            locations.append(
                {"type": kind, "name": name} if isinstance(kind, str) else {"name": name}
            )
    return locations


def _place_text(address: dict[str, str]) -> str:
    """The street address as written, else locality, region and country joined."""
    if "street" in address:
        return address["street"]
    parts = [address[key] for key in ("locality", "region", "country") if key in address]
    return ", ".join(dict.fromkeys(parts))


def location_text(places: list[dict[str, str]], applicants: list[dict[str, str]]) -> str | None:
    """`jobLocation[].address` then `applicantLocationRequirements[].name`, joined with " | "."""
    parts = [_place_text(a) for a in places] + [a["name"] for a in applicants]
    return " | ".join(dict.fromkeys(p for p in parts if p)) or None


def salary(job: dict[str, Any]) -> dict[str, Any] | str | None:
    """`baseSalary` as given; a bare number is wrapped as a MonetaryAmount with `salaryCurrency`."""
    value = job.get("baseSalary")
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, dict)), value[0] if value else None)
    currency = _text(job.get("salaryCurrency"))
    if isinstance(value, dict):
        return {**value, "currency": currency} if currency and "currency" not in value else value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"@type": "MonetaryAmount", "currency": currency, "value": value}
    return _text(value)


def _joined(value: Any) -> str | None:
    parts = [t for t in map(_text, _as_list(value)) if t]
    return " | ".join(dict.fromkeys(parts)) or None


def _identifier(value: Any) -> str | None:
    """`identifier`: text, a number, or a PropertyValue `{name, value}`."""
    if isinstance(value, list):
        return next((i for i in map(_identifier, value) if i), None)
    if isinstance(value, dict):
        return _text(value.get("value")) or _text(value.get("@value"))
    return _text(value)


def _organization(value: Any) -> str | None:
    if isinstance(value, list):
        return next((o for o in map(_organization, value) if o), None)
    if isinstance(value, dict):
        return _text(value.get("name")) or _text(value.get("legalName"))
    return _text(value)


def _requirement(value: Any, key: str) -> Any:
    """`{key: x}` of the first requirement object that has it (`monthsOfExperience`...)."""
    for item in _as_list(value):
        if isinstance(item, dict) and item.get(key) not in (None, ""):
            return item[key]
    return None


def job_posting_fields(job: dict[str, Any]) -> dict[str, Any]:
    """Raw-posting fields (docs/raw-postings.md; gold's "jsonld" rule) of one JobPosting object.

    Keys outside the contract (`identifier`, `applicant_locations`, `job_locations`,
    `experience_months`, `experience_requirements`, `education_credential`, `direct_apply`) land
    in the raw posting's `extra` unless the spider maps them.
    """
    places, applicants = job_locations(job), applicant_locations(job)
    url = _text(job.get("url"))
    direct_apply = job.get("directApply")
    fields: dict[str, Any] = {
        "identifier": _identifier(job.get("identifier")),
        "url": url,
        # `directApply` says the posting's own URL takes applications.
        "apply_url": url if direct_apply is True else None,
        "title": _text(job.get("title")) or _text(job.get("name")),
        "company": _organization(job.get("hiringOrganization")),
        "location": location_text(places, applicants),
        "description": description_html(job),
        "posted": _text(job.get("datePosted")),
        "valid_through": _text(job.get("validThrough")),
        "salary": salary(job),
        "employment_type": _joined(job.get("employmentType")),
        "remote": _joined(job.get("jobLocationType")),
        "applicant_locations": applicants,
        "job_locations": places,
        "experience_months": _requirement(job.get("experienceRequirements"), "monthsOfExperience"),
        # Plain-text requirements ("3+ years of Go") are kept as written.
        "experience_requirements": _joined(
            [r for r in _as_list(job.get("experienceRequirements")) if isinstance(r, str)]
        ),
        "education_credential": _text(
            _requirement(job.get("educationRequirements"), "credentialCategory")
        )
        or _joined([r for r in _as_list(job.get("educationRequirements")) if isinstance(r, str)]),
        "direct_apply": direct_apply if isinstance(direct_apply, bool) else None,
    }
    return {key: value for key, value in fields.items() if value not in (None, [], "")}
