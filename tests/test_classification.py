"""Classification step: cleaned titles, seniority from the title or a labelled fact, employment type."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jobsift.pipelines.classification import step as classification
from jobsift.pipelines.classification.step import clean_title, header_segments, seniority_of
from jobsift.pipelines.draft import Draft
from jobsift.pipelines.prepare import prepare

FETCHED_AT = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _draft(**raw: Any) -> Draft:
    payload = {"fetched_at": FETCHED_AT.isoformat(), **raw}
    payload.setdefault("title", None)
    payload.setdefault("description", "<p>About the role.</p>")
    draft = prepare(payload)
    assert isinstance(draft, Draft)
    return draft


# --- titles -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # location / setting qualifiers
        ("Senior Backend Engineer (Remote)", "Senior Backend Engineer"),
        ("Staff Backend Engineer (Remote, UK)", "Staff Backend Engineer"),
        ("Data Science Intern | Fully Remote US", "Data Science Intern"),
        ("Deal Desk Analyst | Fully Remote Poland and UK", "Deal Desk Analyst"),
        ("Forward Deployed Engineer - (East coast based)", "Forward Deployed Engineer"),
        ("Construction Project Manager (Los Angeles, CA)", "Construction Project Manager"),
        ("2026 Point72 Academy Insight Program – Japan", "2026 Point72 Academy Insight Program"),
        ("Partner Development Representative (f/m/d) - Berlin, Germany",
         "Partner Development Representative"),
        ("(Senior) Financial Accountant (f/m/d) - Berlin/Brandenburg Region, Germany",
         "(Senior) Financial Accountant"),
        ("Support Engineer (AMER)", "Support Engineer"),
        ("Staff Software Engineer, Product (Belo Horizonte)", "Staff Software Engineer, Product"),
        # employment type, gender and blurb qualifiers
        ("Chat Support Specialist (Part-Time)", "Chat Support Specialist"),
        ("Junior Copywriter US/CA - (6 Month FTC)", "Junior Copywriter"),
        ("AI Content Analyst (No Experience Required)", "AI Content Analyst"),
        ("Softwareentwickler (m/w/d) Embedded", "Softwareentwickler Embedded"),
        ("Senior Software Engineer (Contract)", "Senior Software Engineer"),
        ("Designer - Part-Time", "Designer"),
        ("Contract: Designer", "Designer"),
        ("Full-Stack Developer - Remote", "Full-Stack Developer"),
        ("Remote-first Engineer", "Remote-first Engineer"),  # a hyphen is not a separator
        # specialisations and territories stay
        ("Security Engineer (DevSecOps)", "Security Engineer (DevSecOps)"),
        ("Engineering Manager, Machine Learning (Caper)", "Engineering Manager, Machine Learning (Caper)"),
        ("Account Manager, Commercial, EMEA", "Account Manager, Commercial, EMEA"),
        ("Technical Account Manager - DACH", "Technical Account Manager - DACH"),
        ("Customer Success Manager, LATAM", "Customer Success Manager, LATAM"),
        ("Content Marketing Manager, Organic Growth (SEO & AEO)",
         "Content Marketing Manager, Organic Growth (SEO & AEO)"),
        ("Portfolio Manager - Freelance AI Trainer", "Portfolio Manager - Freelance AI Trainer"),
        ("Product Sales Specialist - Pet Health", "Product Sales Specialist - Pet Health"),
        ("Remote Office Assistant", "Remote Office Assistant"),
        ("Creative Lead - Web &amp; Brand", "Creative Lead - Web & Brand"),
        (None, None),
        ("", None),
    ],
)  # fmt: skip
def test_clean_title_drops_qualifiers_and_keeps_specialisations(raw: str | None,
                                                                expected: str | None) -> None:  # fmt: skip
    assert clean_title(raw).title == expected


# --- seniority ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Data Science Intern", "intern"),
        ("2026 Technology Internship – Software Engineer", "intern"),
        ("Junior Copywriter", "junior"),
        ("Jr. Data Analyst", "junior"),
        ("Entry-Level Support Agent", "junior"),
        ("Mid-Level Backend Developer", "mid"),
        ("Senior Backend Engineer", "senior"),
        ("Sr. Software Engineer - Backend", "senior"),
        ("Staff Software Engineer", "staff"),
        ("Principal NetSuite Consultant", "principal"),
        ("Engineering Team Lead", "lead"),
        ("Tech Lead Full-Stack Rails Engineer", "lead"),
        ("Software Engineering Manager", "manager"),
        ("Engineering Manager, Machine Learning", "manager"),
        ("Director, Marketing", "director"),
        ("Head of Engineering", "director"),
        ("VP of Sales", "executive"),
        ("Chief Technology Officer", "executive"),
        # alternatives and optional levels
        ("Senior/Staff ML Engineer", "senior"),
        ("Software Engineer, Python - Mid / Senior", None),
        ("(Senior) Financial Accountant", None),
        ("Engineer and Senior Engineer", None),
        # job families that contain "Manager", and words that only look like levels
        ("Product Manager", None),
        ("Paid Search Manager", None),
        ("Customer Success Manager", None),
        ("Account Manager B2B Sales", None),
        ("Junior Compliance and Immigrations Manager", "junior"),
        ("Associate Product Manager", None),
        ("Support Technician II", None),
        ("Lead Generation Specialist", None),
        ("Senior Staff Accountant", "senior"),
        ("Chief of Staff / Executive Assistant to the CEO", None),
        ("Mid-Market Account Executive", None),
        (None, None),
    ],
)
def test_seniority_of_follows_the_gold_rules(title: str | None, expected: str | None) -> None:
    assert seniority_of(title) == expected


def test_a_labelled_seniority_fact_wins_over_the_title() -> None:
    draft = _draft(title="Engineering Manager, Machine Learning (Caper)",
                   facts={"Seniority signal": "Lead"})  # fmt: skip
    assert list(classification.step(draft)) == []
    assert draft.overview["seniority"] == "lead"
    assert draft.provenance["overview.seniority"] == "facts:Seniority signal"
    assert draft.overview["title"] == "Engineering Manager, Machine Learning (Caper)"


def test_an_unknown_seniority_fact_falls_back_to_the_title() -> None:
    draft = _draft(title="Senior Backend Engineer", facts={"Seniority signal": "n/a"})
    list(classification.step(draft))
    assert draft.overview["seniority"] == "senior"
    assert draft.provenance["overview.seniority"] == "title"


# --- employment type ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Full-time", "full_time"),
        ("FullTime", "full_time"),
        ("full_time", "full_time"),
        ("fulltime_permanent", "full_time"),
        ("FULL_TIME", "full_time"),
        ("Full Time", "full_time"),
        ("permanent | full-time", "full_time"),
        ("Part-time", "part_time"),
        ("Contractor", "contract"),
        ("Freelance | berufserfahren", "contract"),
        ("Intern", "internship"),
        ("Temporary", "temporary"),
        ("Working student", "part_time"),
        ("Full-time | Contract", None),  # two alternatives
        ("contract | part-time", None),
        ("berufserfahren", None),  # an experience level, not a type
        ("permanent", None),
    ],
)
def test_employment_type_from_the_source_field(value: str, expected: str | None) -> None:
    draft = _draft(title="Engineer", employment_type=value)
    list(classification.step(draft))
    assert draft.overview["employment_type"] == expected


@pytest.mark.parametrize(
    ("title", "field", "expected"),
    [
        ("Data Science Intern | Fully Remote US", "Part-time", "internship"),  # internship wins
        ("2026 Technology Internship – Software Engineer", "Full Time", "internship"),
        ("Chat Support Specialist (Part-Time)", None, "part_time"),  # a title qualifier
        ("Junior Copywriter - (6 Month FTC)", None, "contract"),
        ("Contract Manager", None, None),  # a job about contracts, not a contract job
    ],
)
def test_employment_type_from_the_title(
    title: str, field: str | None, expected: str | None
) -> None:
    draft = _draft(title=title, employment_type=field)
    list(classification.step(draft))
    assert draft.overview["employment_type"] == expected


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("<p>Location: Remote, USA</p><p>Employment Type: Full-time, Exempt</p>", "full_time"),
        ("<p>This is a part-time remote position.</p>", "part_time"),
        ("<p>This will be a 6-month, full-time temporary role.</p>", "temporary"),
        ("<p>We prefer contract-to-hire relationships, but we're also open to full-time "
         "employment for the right candidate.</p>", None),
        ("<p>28 Urlaubstage pro Jahr bei Vollzeitbeschäftigung</p>", None),
        ("<p>Benefits for full-time employees and their dependents.</p>", None),
        ("<p>We connect companies with freelance professionals.</p>", None),
    ],
)  # fmt: skip
def test_employment_type_from_the_text(description: str, expected: str | None) -> None:
    draft = _draft(title="Engineer", description=description)
    list(classification.step(draft))
    assert draft.overview["employment_type"] == expected


def test_employment_fact_is_used_when_the_field_is_empty() -> None:
    draft = _draft(title="Engineer", facts={"Employment": "Full-time"})
    list(classification.step(draft))
    assert draft.overview["employment_type"] == "full_time"
    assert draft.provenance["overview.employment_type"] == "facts:Employment"


# --- company and title from the source's conventions --------------------------------------------


def test_wwr_company_prefix_is_split_from_the_title() -> None:
    draft = _draft(source="weworkremotely", title="Mathmo: Maths Coach")
    list(classification.step(draft))
    assert (draft.overview["title"], draft.overview["company"]) == ("Maths Coach", "Mathmo")


def test_wwr_prefix_does_not_replace_a_company_the_source_gives() -> None:
    draft = _draft(source="weworkremotely", title="Mathmo: Maths Coach", company="Mathmo Ltd")
    list(classification.step(draft))
    assert (draft.overview["title"], draft.overview["company"]) == ("Maths Coach", "Mathmo Ltd")


HN_COMMENT = (
    "ResortPass | Senior Software Engineer, Frontend | New York, NY | Onsite | Full-time | "
    "$160k–$180k ($210k for senior band) + Equity | Visa possible<p>ResortPass is rebuilding..."
)


def test_hacker_news_header_gives_title_company_and_type() -> None:
    draft = _draft(source="hackernews", description=HN_COMMENT)
    list(classification.step(draft))
    overview = draft.overview
    assert overview["title"] == "Senior Software Engineer, Frontend"
    assert overview["company"] == "ResortPass"
    assert overview["seniority"] == "senior"
    assert overview["employment_type"] == "full_time"


def test_hacker_news_header_with_two_types_gives_none() -> None:
    comment = (
        "Zeitlabs | Senior Frontend Engineer | Remote (UTC+3) | Full time or Full time contract<p>x"
    )
    draft = _draft(source="hackernews", description=comment)
    list(classification.step(draft))
    assert draft.overview["employment_type"] is None


def test_a_header_naming_several_roles_gives_no_title() -> None:
    comment = "Acme | Multiple roles: Backend, Frontend | Remote | Full-time<p>We are hiring."
    draft = _draft(source="hackernews", description=comment)
    list(classification.step(draft))
    assert draft.overview["title"] is None
    assert draft.overview["company"] == "Acme"


def test_header_segments_need_a_pipe_separated_first_line() -> None:
    assert header_segments("<p>We are hiring engineers.</p>") == []
    assert header_segments("Acme | Engineer | Remote<p>text")[:2] == ["Acme", "Engineer"]


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("<h3>About Coder</h3><p>Coder is an AI software company. Coder's tools ...</p>", "Coder"),
        ("<p>At Nango (YC W23), we're building ... Customers rely on Nango.</p>", "Nango"),
        ("<p>Homebound is on a mission to ... Homebound has raised ...</p>", "Homebound"),
        ("<p>About Outreach</p><p>Outreach, founded in 2014, is a platform.</p>", "Outreach"),
        ("<p>About the role</p><p>At least 3 years of experience. About You: curious.</p>", None),
        ("<p>Acme is hiring a Sales Engineer.</p>", None),  # one mention is not enough
    ],
)
def test_employer_named_in_the_text_fills_a_missing_company(
    description: str, expected: str | None
) -> None:
    draft = _draft(source="ashby", title="Sales Engineer", description=description)
    list(classification.step(draft))
    assert draft.overview["company"] == expected
    assert draft.provenance.get("overview.company") == ("text" if expected else None)


def test_employer_in_text_never_replaces_the_source_company() -> None:
    draft = _draft(title="Engineer", company="Point72", description="<p>About Cubist Cubist</p>")
    list(classification.step(draft))
    assert draft.overview["company"] == "Point72"


@pytest.mark.parametrize(
    "description",
    [
        "<p>Our client is currently seeking an empathetic Chat Support Specialist.</p>",
        "<p>We are seeking an Account Manager. The client is a leader in distribution.</p>",
        "<p>Cella is searching for a Copywriter to join our client, a leader in energy.</p>",
        "<p>Our client in the healthcare space is looking for a Medical Copywriter.</p>",
    ],
)
def test_agency_post_for_an_unnamed_client_has_no_company(description: str) -> None:
    draft = _draft(title="Account Manager", company="1840 & Company", description=description)
    list(classification.step(draft))
    assert draft.overview["company"] is None


def test_mentions_of_clients_do_not_make_an_agency_post() -> None:
    description = "<p>Sometimes the client has a clear vision. We serve our clients well.</p>"
    draft = _draft(title="Developer", company="A.Team", description=description)
    list(classification.step(draft))
    assert draft.overview["company"] == "A.Team"


def test_placeholder_company_is_not_an_employer() -> None:
    draft = _draft(title="Chat Support Specialist", company="Confidential Company")
    list(classification.step(draft))
    assert draft.overview["company"] is None


# --- robustness and the gold set ----------------------------------------------------------------


@given(st.text(max_size=120))
def test_title_and_seniority_never_raise(text: str) -> None:
    cleaned = clean_title(text)
    seniority_of(cleaned.title)
    header_segments(text)


def _gold(shared: Path) -> list[dict[str, Any]]:
    path = shared / "gold" / "dev.jsonl"
    if not path.is_file():
        pytest.skip("no gold set")
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("field", ["title", "seniority", "employment_type"])
def test_gold_accuracy_floor(shared: Path, field: str) -> None:
    from jobsift.pipelines.chain import normalize_payload

    records = _gold(shared)
    right = sum(
        getattr(normalize_payload(dict(r["input"]), now=FETCHED_AT).overview, field)
        == r["gold"][field]
        for r in records
    )
    assert right / len(records) >= 0.9
