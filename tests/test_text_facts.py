"""Facts written in a description: label lines in several languages, "A | B | C" headers, title
lines, and header fragments that are never a title or a company."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from jobsift.pipelines.chain import normalize_payload
from jobsift.pipelines.draft import Draft
from jobsift.pipelines.prepare import prepare
from jobsift.pipelines.text_facts import read_text_facts, type_line
from jobsift.pipelines.text_header import employer, role, split_header
from jobsift.schemas import Reject

FETCHED_AT = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _text_only(description: str) -> dict[str, Any]:
    """A posting fed as text only (no title, company or location fields)."""
    result = normalize_payload({"source": "text", "source_id": "1", "description": description})
    assert not isinstance(result, Reject), result
    return result.model_dump(mode="json")


# --- label lines --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "value", "label"),
    [
        ("Intro.\nLocation: London (hybrid)\nMore.", "location", "London (hybrid)", "Location"),
        ("**Location:** Latin America (Remote)", "location", "Latin America (Remote)", "Location"),
        ("- **Location**: Berlin", "location", "Berlin", "Location"),
        ("Job type: Contract", "employment_type", "Contract", "Job type"),
        ("Standort: München", "location", "München", "Standort"),
        ("Lieu : Paris", "location", "Paris", "Lieu"),
        ("**Localisation** : En télétravail", "location", "En télétravail", "Localisation"),
        ("Ubicación: Madrid, España", "location", "Madrid, España", "Ubicación"),
        ("Localização: São Paulo", "location", "São Paulo", "Localização"),
        ("工作地点：香港/远程", "location", "香港/远程", "工作地点"),
        ("Anstellungsart: Vollzeit", "employment_type", "Vollzeit", "Anstellungsart"),
        ("Type de contrat : CDD", "employment_type", "CDD", "Type de contrat"),
        ("TYPE: Full-time", "employment_type", "Full-time", "TYPE"),
        ("REMOTE: Yes (async-first)", "remote", "Yes (async-first)", "REMOTE"),
        ("Company: Acme GmbH", "company", "Acme GmbH", "Company"),
        ("Job title: Data Engineer", "title", "Data Engineer", "Job title"),
    ],
)
def test_label_lines_in_several_languages(text: str, key: str, value: str, label: str) -> None:
    facts = read_text_facts(text)
    assert facts.values[key] == value
    assert facts.labels[key] == label


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Salary: £40k – £55k", "Salary: £40k – £55k"),
        ("Gehalt: 4.500 € pro Monat", "Gehalt: 4.500 € pro Monat"),
        ("Salaire : 45 000 €", "Salaire: 45 000 €"),
        ("Salario: $15,000 MXN", "Salario: $15,000 MXN"),
        ("Salário: R$ 4.000 a 5.000", "Salário: R$ 4.000 a 5.000"),
        ("Rémunération mensuelle : 600 euros", "Rémunération mensuelle: 600 euros"),
    ],
)
def test_salary_labels_keep_the_label_which_may_state_the_period(text: str, value: str) -> None:
    assert read_text_facts(text).values["salary"] == value


@pytest.mark.parametrize(
    "text",
    [
        "Position: Full-time",  # a type, not a title
        "Role: you will own our data platform end to end and report to the CTO every week",
        "The location: is up to you",  # not a label at the start of a line
        "Location: " + "x" * 300,  # a paragraph, not a value
        "Company: https://acme.example",  # a URL is no employer
        "Company: We are hiring",  # a recruiting note is no employer
    ],
)
def test_what_is_not_a_labelled_fact(text: str) -> None:
    values = read_text_facts(text).values
    assert "title" not in values
    assert "company" not in values
    assert len(values.get("location", "")) <= 160


def test_the_first_label_of_a_kind_wins() -> None:
    facts = read_text_facts("Location: Lisbon\nLocation: Porto")
    assert facts.values["location"] == "Lisbon"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("## Details\n* Full time\n* Remote", "Full time"),
        ("- Part-time (16-20 hours per week).", "Part-time"),
        ("🕐 Part-time", "Part-time"),
        ("Full time / contract", "Full time / contract"),
    ],
)
def test_a_line_that_is_only_an_employment_type(text: str, value: str) -> None:
    assert type_line(text) == value


# --- "A | B | C" header lines -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "company", "title", "employment", "salary"),
    [
        (
            "Acme | Senior Engineer | Remote (US) | Full-time | $150k-$180k",
            "Acme",
            "Senior Engineer",
            "Full-time",
            "$150k-$180k",
        ),
        ("GTM Engineer | TestGorilla", "TestGorilla", "GTM Engineer", None, None),
        ("(CLOSED) Entex | Backend Developer | Berlin", "Entex", "Backend Developer", None, None),
        ("Acme | https://acme.example | Data Scientist", "Acme", "Data Scientist", None, None),
        ("SEEKING FREELANCER | Designer | Remote", None, "Designer", None, None),
        ("jobs@acme.example | Developer | Remote", None, "Developer", None, None),
    ],
)
def test_pipe_headers(
    line: str, company: str | None, title: str, employment: str | None, salary: str | None
) -> None:
    header = split_header(line)
    assert (header.company, header.title) == (company, title)
    assert (header.employment_type, header.salary) == (employment, salary)


@pytest.mark.parametrize(
    "fragment",
    ["https://acme.example/jobs", "www.acme.com", "San Carlos, CA", "Berlin", "hr@acme.example"],
)
def test_header_fragments_that_are_neither_title_nor_company(fragment: str) -> None:
    assert role(fragment) is None
    assert employer(fragment) is None


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("(CLOSED) Entex", "Entex"),
        ("[FILLED] Acme Corp", "Acme Corp"),
        ("SEEKING FREELANCER", None),
    ],
)
def test_status_prefixes_and_recruiting_notes(fragment: str, expected: str | None) -> None:
    assert employer(fragment) == expected


def test_a_header_reaches_normalize_with_text_provenance() -> None:
    posting = _text_only("Acme | Staff Engineer | Remote | Contract\nWe build things.")
    assert posting["overview"]["title"] == "Staff Engineer"
    assert posting["overview"]["company"] == "Acme"
    assert posting["overview"]["seniority"] == "staff"
    assert posting["overview"]["employment_type"] == "contract"
    assert posting["provenance"]["overview.title"] == "text:header"
    assert posting["provenance"]["overview.company"] == "text:header"
    assert posting["provenance"]["overview.employment_type"] == "text:header"


# --- title lines --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title", "company"),
    [
        ("Senior Data Engineer\nWe are a small team.", "Senior Data Engineer", None),
        ("# Communications editor/storyteller\nText.", "Communications editor/storyteller", None),
        ("Acme AG: Developer\nText.", "Developer", "Acme AG"),
        (
            "Senior Rails Developer at Quave - Fully Remote\nText.",
            "Senior Rails Developer",
            "Quave",
        ),
        ("Back-End Developer na Mix Fiscal\nTexto.", "Back-End Developer", "Mix Fiscal"),
        (
            "Resola - Full-Stack Developer - Remote or Japan\nText.",
            "Full-Stack Developer",
            "Resola",
        ),
        ("Community Manager [Code for All]\nText.", "Community Manager", "Code for All"),
    ],
)
def test_title_lines_of_a_text_only_posting(text: str, title: str, company: str | None) -> None:
    facts = read_text_facts(text, has_title=False)
    assert facts.values["title"] == title
    assert facts.values.get("company") == company
    assert facts.labels["title"] == "first line"


@pytest.mark.parametrize(
    "text",
    [
        "Desired Skills and Experience\n• Lead projects",  # a heading names no role
        "English version [here](/en).\nText.",  # a link and a sentence
        "We are looking for a developer to join our team in Berlin and help us ship.\nText.",
        "https://acme.example/careers/engineer\nText.",
    ],
)
def test_lines_that_are_not_titles(text: str) -> None:
    assert "title" not in read_text_facts(text, has_title=False).values


def test_a_title_line_is_read_only_when_the_source_gives_no_title() -> None:
    assert "title" not in read_text_facts("Senior Data Engineer\nText.", has_title=True).values


@pytest.mark.parametrize(
    ("text", "title", "seniority"),
    [
        (
            "Senior Rails Developer at Quave - Fully Remote - $4,000\nText.",
            "Senior Rails Developer",
            "senior",
        ),
        ("Director of Engineering\nText.", "Director of Engineering", "director"),
        ("Online English Teacher, $16-20/hr\nText.", "Online English Teacher", None),
        ("Customer Advocate (this position has been filled)\nText.", "Customer Advocate", None),
        ("Customer Happiness Specialist- West Coast\nText.", "Customer Happiness Specialist", None),
        ("[REMOTO] Analista de Negócios\nTexto.", "Analista de Negócios", None),
    ],
)
def test_a_title_line_keeps_its_seniority(text: str, title: str, seniority: str | None) -> None:
    overview = _text_only(text)["overview"]
    assert (overview["title"], overview["seniority"]) == (title, seniority)


def test_a_source_title_and_company_win_over_the_text() -> None:
    draft = prepare(
        {
            "title": "Backend Engineer",
            "company": "Source Co",
            "description": "Company: Text Co\nJob title: Frontend Engineer",
            "fetched_at": FETCHED_AT.isoformat(),
        }
    )
    assert isinstance(draft, Draft)
    assert draft.text_facts["company"] == "Text Co"
    posting = normalize_payload(draft.raw_payload)
    assert not isinstance(posting, Reject)
    assert (posting.overview.title, posting.overview.company) == ("Backend Engineer", "Source Co")


def test_draft_interface_keys() -> None:
    draft = prepare(
        {
            "description": "Acme | Engineer | Berlin | Remote | Full-time | €70k\nSalary: €70k",
            "fetched_at": FETCHED_AT.isoformat(),
        }
    )
    assert isinstance(draft, Draft)
    assert set(draft.text_facts) <= {
        "title", "company", "location", "employment_type", "salary", "remote"
    }  # fmt: skip
    assert draft.text_facts["location"] == "Berlin | Remote"
    assert draft.text_facts["remote"] == "Remote"
    assert draft.fact_origin("location") == "text:header"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Contract, part-time", "contract"),  # the contract and its schedule
        ("Part-time, Contract", "contract"),
        ("Full time / contract", None),  # alternatives
        ("Full or part-time", None),
        ("Stage dans la fonction publique", "internship"),  # a label-only word
        ("Vollzeit", "full_time"),
    ],
)
def test_employment_type_from_a_labelled_value(value: str, expected: str | None) -> None:
    posting = _text_only(f"Intro line.\nEmployment type: {value}\nMore.")
    assert posting["overview"]["employment_type"] == expected


def test_html_descriptions_are_read_by_lines() -> None:
    facts = read_text_facts(
        "<p><strong>Location:</strong> London (hybrid)</p><p>Job type: Contract</p>"
    )
    assert facts.values["location"] == "London (hybrid)"
    assert facts.values["employment_type"] == "Contract"


@pytest.mark.parametrize(
    "text",
    ["Full time is not what this role is.", "We are a fully remote team.", "Internal tools"],
)
def test_lines_that_only_start_with_a_type_word(text: str) -> None:
    assert type_line(text) is None


def test_a_type_line_is_used_when_nothing_else_states_the_type() -> None:
    posting = _text_only("Data Engineer\nWe build pipelines.\n- Part-time\n- Remote")
    assert posting["overview"]["employment_type"] == "part_time"
    assert posting["provenance"]["overview.employment_type"] == "text:line"


def test_many_label_lines_are_read_in_one_pass() -> None:
    # Moderate size: a quadratic scan of 20,000 lines would stall the suite.
    facts = read_text_facts("Location: Berlin\n" * 20_000 + "Salary: €70k")
    assert facts.values["location"] == "Berlin"
    assert facts.values["salary"] == "Salary: €70k"
