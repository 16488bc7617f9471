"""crawlers.jsonld: finding JSON-LD blocks and JobPostings, and mapping one onto raw fields."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jobsift.crawlers.jsonld import job_posting_fields, job_postings, json_ld_blocks
from parsel import Selector

JOB = {"@type": "JobPosting", "title": "Engineer"}


def page(*scripts: str, script_type: str = "application/ld+json") -> Selector:
    blocks = "".join(f'<script type="{script_type}">{s}</script>' for s in scripts)
    return Selector(text=f"<html><head>{blocks}</head><body><p>x</p></body></html>")


# --- blocks -----------------------------------------------------------------------------------


def test_invalid_block_is_reported_and_the_others_kept() -> None:
    blocks, errors = json_ld_blocks(
        page(json.dumps({"@type": "Organization"}), '{"@type": "JobPosting",}', json.dumps(JOB))
    )
    assert blocks == [{"@type": "Organization"}, JOB]
    assert len(errors) == 1 and errors[0].startswith("JSON-LD block 1 is not valid JSON")


@pytest.mark.parametrize(
    ("script", "script_type"),
    [
        (json.dumps(JOB), "application/LD+JSON"),
        (json.dumps(JOB), "application/ld+json; charset=utf-8"),
        (f"<!-- {json.dumps(JOB)} -->", "application/ld+json"),
        (f"//<![CDATA[\n{json.dumps(JOB)}\n//]]>", "application/ld+json"),
    ],
    ids=["upper-case-type", "type-with-charset", "html-comment", "cdata"],
)
def test_block_variants_are_read(script: str, script_type: str) -> None:
    assert json_ld_blocks(page(script, script_type=script_type)) == ([JOB], [])


def test_raw_control_characters_inside_strings_are_accepted() -> None:
    blocks, errors = json_ld_blocks(page('{"@type": "JobPosting", "description": "a\nb\tc"}'))
    assert errors == [] and blocks[0]["description"] == "a\nb\tc"


def test_other_scripts_and_empty_blocks_are_ignored() -> None:
    selector = Selector(
        text='<script>var x = {"@type": "JobPosting"};</script>'
        '<script type="application/ld+json">   </script>'
    )
    assert json_ld_blocks(selector) == ([], [])


# --- finding postings -------------------------------------------------------------------------

ORG = {"@type": "Organization", "@id": "https://acme.example/#org", "name": "Acme"}
FIND_CASES = {
    "single-object": ([JOB], [JOB]),
    "top-level-array": (
        [[ORG, JOB, {**JOB, "title": "Designer"}]],
        [JOB, {**JOB, "title": "Designer"}],
    ),
    "graph": ([{"@context": "https://schema.org", "@graph": [ORG, JOB]}], [JOB]),
    "nested-main-entity": ([{"@type": "WebPage", "mainEntity": JOB}], [JOB]),
    "type-as-list": ([{**JOB, "@type": ["JobPosting"]}], [{**JOB, "@type": ["JobPosting"]}]),
    "prefixed-type": (
        [{**JOB, "@type": "http://schema.org/JobPosting"}],
        [{**JOB, "@type": "http://schema.org/JobPosting"}],
    ),
    "repeated-posting-once": ([JOB, [JOB]], [JOB]),
    "no-posting": ([ORG, {"@type": "FAQPage"}, "text", 3], []),
    "lookalike-type": ([{"@type": "JobPostingDraft"}], []),
}


@pytest.mark.parametrize(("blocks", "expected"), FIND_CASES.values(), ids=FIND_CASES.keys())
def test_job_postings(blocks: list[Any], expected: list[dict[str, Any]]) -> None:
    assert job_postings(blocks) == expected


def test_references_are_resolved_within_the_page() -> None:
    job = {**JOB, "hiringOrganization": {"@id": ORG["@id"]}, "sameAs": [{"@id": "unknown"}]}
    [found] = job_postings([{"@graph": [job, ORG]}])
    assert found["hiringOrganization"] == ORG
    assert found["sameAs"] == [{"@id": "unknown"}]  # nothing to resolve it with: kept


# --- mapping ----------------------------------------------------------------------------------


def fields(**job: Any) -> dict[str, Any]:
    return job_posting_fields({"@type": "JobPosting", **job})


MAPPING_CASES = {
    "identifier-property-value": (
        {"identifier": {"@type": "PropertyValue", "name": "Acme", "value": 4471}},
        {"identifier": "4471"},
    ),
    "identifier-text": ({"identifier": "R-88"}, {"identifier": "R-88"}),
    "organization-object": (
        {"hiringOrganization": {"name": "Acme &amp; Co"}},
        {"company": "Acme &amp; Co"},
    ),
    "organization-text": ({"hiringOrganization": "Acme"}, {"company": "Acme"}),
    "organization-list": (
        {"hiringOrganization": [{"name": "Acme"}, {"name": "B"}]},
        {"company": "Acme"},
    ),
    "title-from-name": ({"name": "Welder"}, {"title": "Welder"}),
    "street-address": (
        {
            "jobLocation": {
                "address": {"streetAddress": "1 Main St, Austin, TX", "addressCountry": "US"}
            }
        },
        {"location": "1 Main St, Austin, TX"},
    ),
    "locality-region-country": (
        {
            "jobLocation": [
                {
                    "address": {
                        "addressLocality": "Austin",
                        "addressRegion": "TX",
                        "addressCountry": "US",
                    }
                },
                {"address": {"addressLocality": "Toronto", "addressCountry": {"name": "CA"}}},
            ]
        },
        {"location": "Austin, TX, US | Toronto, CA"},
    ),
    "applicants-country-state-area": (
        {
            "applicantLocationRequirements": [
                {"@type": "Country", "name": "Mexico"},
                {"@type": "State", "name": "Ontario"},
                {"@type": "AdministrativeArea", "name": "EMEA"},
            ]
        },
        {"location": "Mexico | Ontario | EMEA"},
    ),
    "applicant-country-from-address": (
        {
            "applicantLocationRequirements": {
                "@type": "Country",
                "address": {"addressCountry": "BR"},
            }
        },
        {"location": "BR", "applicant_locations": [{"type": "Country", "name": "BR"}]},
    ),
    "office-and-applicants-deduplicated": (
        {
            "jobLocation": {"address": {"addressLocality": "Lisbon", "addressCountry": "Portugal"}},
            "applicantLocationRequirements": [{"name": "Portugal"}, {"name": "Portugal"}],
        },
        {"location": "Lisbon, Portugal | Portugal"},
    ),
    "empty-place": ({"jobLocation": {"@type": "Place"}}, {"location": None, "job_locations": None}),
    "salary-monetary-amount": (
        {"baseSalary": {"@type": "MonetaryAmount", "currency": "GBP", "value": {"value": 40}}},
        {"salary": {"@type": "MonetaryAmount", "currency": "GBP", "value": {"value": 40}}},
    ),
    "salary-currency-from-posting": (
        {"baseSalary": {"value": {"minValue": 1}}, "salaryCurrency": "CHF"},
        {"salary": {"value": {"minValue": 1}, "currency": "CHF"}},
    ),
    "salary-plain-number": (
        {"baseSalary": 52000, "salaryCurrency": "EUR"},
        {"salary": {"@type": "MonetaryAmount", "currency": "EUR", "value": 52000}},
    ),
    "salary-text": ({"baseSalary": "$40-45/hour"}, {"salary": "$40-45/hour"}),
    "salary-list": (
        {"baseSalary": [{"currency": "USD", "value": 1}, {"currency": "CAD", "value": 2}]},
        {"salary": {"currency": "USD", "value": 1}},
    ),
    "employment-type-list": (
        {"employmentType": ["FULL_TIME", "INTERN"]},
        {"employment_type": "FULL_TIME | INTERN"},
    ),
    "employment-type-text": ({"employmentType": "PART_TIME"}, {"employment_type": "PART_TIME"}),
    "telecommute": ({"jobLocationType": "TELECOMMUTE"}, {"remote": "TELECOMMUTE"}),
    "dates": (
        {"datePosted": "2026-01-02", "validThrough": "2026-02-02T00:00Z"},
        {"posted": "2026-01-02", "valid_through": "2026-02-02T00:00Z"},
    ),
    "experience-months": (
        {
            "experienceRequirements": {
                "@type": "OccupationalExperienceRequirements",
                "monthsOfExperience": 36,
            }
        },
        {"experience_months": 36, "experience_requirements": None},
    ),
    "experience-text": (
        {"experienceRequirements": "3+ years of Go"},
        {"experience_months": None, "experience_requirements": "3+ years of Go"},
    ),
    "education-credential": (
        {"educationRequirements": [{"credentialCategory": "bachelor degree"}]},
        {"education_credential": "bachelor degree"},
    ),
    "education-text": (
        {"educationRequirements": "High school diploma"},
        {"education_credential": "High school diploma"},
    ),
    "direct-apply": (
        {"url": "https://acme.example/j/1", "directApply": True},
        {
            "url": "https://acme.example/j/1",
            "apply_url": "https://acme.example/j/1",
            "direct_apply": True,
        },
    ),
    "no-direct-apply": (
        {"url": "https://acme.example/j/1", "directApply": False},
        {"apply_url": None, "direct_apply": False},
    ),
}


@pytest.mark.parametrize(("job", "expected"), MAPPING_CASES.values(), ids=MAPPING_CASES.keys())
def test_job_posting_fields(job: dict[str, Any], expected: dict[str, Any]) -> None:
    mapped = fields(**job)
    assert {key: mapped.get(key) for key in expected} == expected


DESCRIPTION_CASES = {
    "all-sections-in-order": (
        {
            "benefitsSection": "<p>B</p>",
            "requirementsSection": "<p>R</p>",
            "responsibilities": "<p>Do</p>",
            "qualifications": "<p>Q</p>",
            "description": "<p>D</p>",
        },
        "<p>D</p>\n<p>Q</p>\n<p>Do</p>\n<p>R</p>\n<p>B</p>",
    ),
    "only-present-sections": ({"description": "<p>D</p>", "benefitsSection": ""}, "<p>D</p>"),
    "section-repeated-in-description": (
        {"description": "<p>D</p><ul><li>Go</li></ul>", "qualifications": "<ul><li>Go</li></ul>"},
        "<p>D</p><ul><li>Go</li></ul>",
    ),
    "list-of-strings": (
        {"responsibilities": ["Ship", "Review"]},
        "<ul><li>Ship</li><li>Review</li></ul>",
    ),
    "escaped-html-unescaped-once": (
        {"description": "&lt;p&gt;Tom &amp;amp; Jerry&lt;/p&gt;"},
        "<p>Tom &amp; Jerry</p>",
    ),
    "real-html-left-alone": ({"description": "<p>a &lt; b</p>"}, "<p>a &lt; b</p>"),
    "none": ({}, None),
}


@pytest.mark.parametrize(
    ("job", "expected"), DESCRIPTION_CASES.values(), ids=DESCRIPTION_CASES.keys()
)
def test_description(job: dict[str, Any], expected: str | None) -> None:
    assert fields(**job).get("description") == expected


def test_structured_locations_are_kept_as_extras() -> None:
    mapped = fields(
        jobLocation={
            "address": {"addressLocality": "Austin", "addressRegion": "TX", "postalCode": "78701"}
        },
        applicantLocationRequirements=[{"@type": "State", "name": "Texas"}],
    )
    assert mapped["job_locations"] == [
        {"locality": "Austin", "region": "TX", "postal_code": "78701"}
    ]
    assert mapped["applicant_locations"] == [{"type": "State", "name": "Texas"}]


def test_absent_fields_are_left_out() -> None:
    assert fields(title="Engineer") == {"title": "Engineer"}
