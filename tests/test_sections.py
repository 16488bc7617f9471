"""The sections step: heading lexicon, item placement, item moves, years and education."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jobsift.pipelines.chain import normalize_payload
from jobsift.pipelines.document.model import parse_document
from jobsift.pipelines.prepare import prepare
from jobsift.pipelines.sections import step as sections
from jobsift.pipelines.sections.step import (
    MINIMUM,
    PREFERRED,
    RESPONSIBILITIES,
    place_items,
)
from jobsift.schemas import Posting, Reject

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
WITHMIRA = SHARED / "fixtures" / "withmira" / "jobs"
NOW = datetime(2026, 8, 1, tzinfo=UTC)


def _place(description: str) -> dict[str, list[str]]:
    return place_items(parse_document(description)).items


def test_role_sections_in_h4_go_to_their_lists() -> None:
    placed = _place(
        "<h4>About the Job</h4><ul><li>Lead the team.</li></ul>"
        "<h4>Minimum Qualifications</h4><ul><li>8+ years of ML.</li></ul>"
        "<h4>Preferred Qualifications</h4><ul><li>Android experience.</li></ul>"
        "<h4>Location requirements</h4><p>We are unable to sponsor visas.</p>"
    )
    assert placed == {
        RESPONSIBILITIES: ["Lead the team."],
        MINIMUM: ["8+ years of ML."],
        PREFERRED: ["Android experience."],
    }


@pytest.mark.parametrize(
    ("description", "label", "items"),
    [
        # an unknown sub-heading right under a known one inherits it, and so do its siblings
        (
            "<p><b>Duties:</b></p><p><b>Testing</b></p><ul><li>Write tests</li></ul>"
            "<p><b>Compliance</b></p><ul><li>Track rules</li></ul>",
            RESPONSIBILITIES,
            ["Write tests", "Track rules"],
        ),
        # an unknown label line inside a section keeps the section's label
        (
            "<p><b>Requirements</b></p><ul><li>English</li></ul><div><b>Processor:</b></div>"
            "<ul><li>Core i5 or higher</li></ul>",
            MINIMUM,
            ["English", "Core i5 or higher"],
        ),
        # a known heading under a parent with no content of its own takes over
        (
            "<p><b>QUALIFICATIONS</b></p><p><b>MUST-HAVES</b></p><ul><li>SQL</li></ul>"
            "<p><b>NICE-TO-HAVES</b></p><ul><li>REST APIs</li></ul>",
            PREFERRED,
            ["REST APIs"],
        ),
        # "What can you expect?" right under RESPONSIBILITIES stays responsibilities
        (
            "<h2>RESPONSIBILITIES</h2><p><b>What can you expect?</b></p><ul><li>Writing copy</li>"
            "</ul>",
            RESPONSIBILITIES,
            ["Writing copy"],
        ),
        # an intro sentence ending with ":" labels its list
        (
            "<p>We're looking for engineers proficient in:</p><ul><li>Node.js</li></ul>",
            MINIMUM,
            ["Node.js"],
        ),
    ],
)
def test_section_context(description: str, label: str, items: list[str]) -> None:
    assert _place(description)[label] == items


def test_unknown_heading_after_content_ends_the_section() -> None:
    placed = _place(
        "<p><b>Experience:</b></p><ul><li>3+ years of QA</li></ul>"
        "<p><b>Important Notice</b></p><ul><li>Ignore scams</li></ul>"
    )
    assert placed[MINIMUM] == ["3+ years of QA"]
    assert "Ignore scams" not in list(chain.from_iterable(placed.values()))


@pytest.mark.parametrize(
    ("item", "moved_to"),
    [
        ("Knowledge of healthcare regulations (HIPAA). (Preferred)", PREFERRED),
        ("Experience with video content is preferred, but not required.", PREFERRED),
        ("Background in construction sales is a bonus!", PREFERRED),
        ("Experience in sales is an advantage, but we train you.", PREFERRED),
        ("AWS DevOps Certification is highly desirable.", PREFERRED),
        ("Startup experience preferred, alongside curiosity. Ability to learn.", PREFERRED),
        ("Hands-on cloud experience (AWS and/or GCP preferred)", MINIMUM),
        ("3+ years of QA, preferably in health tech.", MINIMUM),
        ("Deep Swift expertise - knowledge of Objective-C is a plus but not required", MINIMUM),
        ("Experience with B2B sales; Retail sales experience is plus.", MINIMUM),
        ("1-2 years of media buying, with social media being a plus", MINIMUM),
        ("Bachelor's degree in CS. Advanced degree or certifications preferred.", MINIMUM),
        ("Du baust Kooperationen mit lokalen Partnern auf", RESPONSIBILITIES),
        ("Du hast Erfahrung in der Kaltakquise.", MINIMUM),
        ("You will work closely with Technical Support and Sales", RESPONSIBILITIES),
        ("You enjoy working in a fast-paced environment", MINIMUM),
        ("Tu maîtrises les méthodes Agile", MINIMUM),
    ],
)
def test_items_in_a_requirements_list_move_by_their_wording(item: str, moved_to: str) -> None:
    placed = _place(f"<h3>Requirements</h3><ul><li>Python</li><li>{item}</li></ul>")
    assert item in placed[moved_to]


@pytest.mark.parametrize(
    ("item", "moved_to"),
    [("Must have a valid driver's license", MINIMUM), ("Experience with Kafka", PREFERRED)],
)
def test_must_haves_leave_a_nice_to_have_list(item: str, moved_to: str) -> None:
    placed = _place(f"<h3>Nice to have</h3><ul><li>{item}</li></ul>")
    assert placed[moved_to] == [item]


@pytest.mark.parametrize(
    "item",
    [
        "(Tacos? If you need an ice-breaker, ask us!)",
        "Comfortable...[truncated]",
        "The following experience is preferred but not required:",
    ],
)
def test_asides_stubs_and_pseudo_headings_are_not_items(item: str) -> None:
    placed = _place(f"<h3>Requirements</h3><ul><li>SQL</li><li>{item}</li></ul>")
    assert placed[MINIMUM] == ["SQL"]


def test_prose_counts_only_where_a_label_has_no_list() -> None:
    with_list = _place(
        "<h3>About the role</h3><p>You will design new features.</p>"
        "<h3>Responsibilities</h3><ul><li>Ship code</li></ul>"
    )
    assert with_list[RESPONSIBILITIES] == ["Ship code"]
    prose_only = _place(
        "<h3>Job Description</h3><p>Researchers are responsible for quant research. "
        "Some joined from academia. You will own the roadmap.</p>"
    )
    assert prose_only[RESPONSIBILITIES] == [
        "Researchers are responsible for quant research.",
        "You will own the roadmap.",
    ]


def test_cut_sentences_are_not_items() -> None:
    placed = _place("<p>About the Role</p><p>You will own the customer relationship. This is</p>")
    assert placed[RESPONSIBILITIES] == ["You will own the customer relationship."]


@pytest.mark.parametrize(
    "sentence",
    [
        "Candidates must be based in Los Angeles, CA to be considered for this role.",
        "Remote to US candidates only with existing work authorization.",
        "You must be legally authorized to work in Canada or Mexico.",
        "This is a North America-based role, and requires regular travel.",
    ],
)
def test_eligibility_musts_are_minimum_wherever_they_appear(sentence: str) -> None:
    placed = _place(
        f"<h3>Benefits</h3><p>Great perks. {sentence}</p><h3>Requirements</h3><ul><li>SQL</li></ul>"
    )
    assert sentence in placed[MINIMUM]


def test_headless_prose_is_read_by_its_cues() -> None:
    placed = _place(
        "<p>We're looking for mathematicians. The role is four live sessions a week. "
        "Ideally you'd be free for both. You need to be comfortable with A Level. "
        "Mathmo is growing fast.</p>"
    )
    assert placed == {
        RESPONSIBILITIES: ["The role is four live sessions a week."],
        MINIMUM: ["You need to be comfortable with A Level."],
        PREFERRED: ["Ideally you'd be free for both."],
    }


@pytest.mark.parametrize(
    ("items", "label"),
    [
        (
            ["Développer des produits", "Analyser des problèmes", "Concevoir les tests"],
            RESPONSIBILITIES,
        ),
        (["Build APIs", "Managing the roadmap", "Collaborate with design"], RESPONSIBILITIES),
        (["5+ years of Python", "Strong SQL skills", "Fluency in English"], MINIMUM),
        (["Zero account fees.", "Unstoppable reliability.", "Massive scale."], None),
    ],
)
def test_lists_under_no_heading_are_labelled_by_content(
    items: list[str], label: str | None
) -> None:
    html = "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
    placed = _place(html)
    for key, values in placed.items():
        assert values == (items if key == label else [])


def test_no_item_is_placed_twice() -> None:
    placed = _place(
        "<h3>Requirements</h3><ul><li>SQL</li><li>SQL</li></ul>"
        "<h3>Nice to have</h3><ul><li>SQL</li></ul>"
    )
    assert list(chain.from_iterable(placed.values())) == ["SQL"]


def test_step_fills_lists_years_education_and_provenance() -> None:
    draft = prepare(
        {
            "source": "test",
            "source_id": "1",
            "title": "Engineer",
            "description": "<h3>What you'll do</h3><ul><li>Build APIs</li></ul>"
            "<h3>Requirements</h3><ul><li>3+ years of Go</li>"
            "<li>Bachelor's degree in CS</li><li>Kafka is a plus</li></ul>",
        },
        now=NOW,
    )
    assert not isinstance(draft, Reject)
    events = list(sections.step(draft))
    assert draft.overview["responsibilities"] == ["Build APIs"]
    assert draft.requirements["minimum"] == ["3+ years of Go", "Bachelor's degree in CS"]
    assert draft.requirements["preferred"] == ["Kafka is a plus"]
    assert draft.requirements["years_experience_min"] == 3
    assert draft.requirements["education"] == "bachelor"
    assert draft.provenance["requirements.minimum"] == "text:heading"
    assert draft.provenance["requirements.preferred"] == "text:wording"
    assert events == []


@pytest.mark.parametrize(
    ("description", "events"),
    [
        ("<h3>Requirements</h3><ul><li>SQL</li></ul>", []),
        (
            "<ul><li>5+ years of Python</li><li>Strong SQL skills</li></ul>",
            ["sections/labelled_by_content"],
        ),
        ("<h3>About us</h3><p>We sell shoes.</p>", ["sections/empty"]),
    ],
)
def test_step_events(description: str, events: list[str]) -> None:
    draft = prepare({"source": "test", "title": "Engineer", "description": description}, now=NOW)
    assert not isinstance(draft, Reject)
    assert list(sections.step(draft)) == events


def _withmira_sections(slug: str) -> str:
    page = (WITHMIRA / slug / "index.html").read_text(encoding="utf-8")
    return "".join(re.findall(r'<div class="role-section">(.*?)</div>', page, re.S))


@pytest.mark.skipif(not WITHMIRA.exists(), reason="../shared/fixtures/withmira is absent")
def test_instacart_role_sections() -> None:
    posting = normalize_payload(
        {
            "source": "withmira",
            "source_id": "instacart",
            "title": "Engineering Manager",
            "description": _withmira_sections(
                "instacart-engineering-manager-machine-learning-caper"
            ),
        },
        now=NOW,
    )
    assert isinstance(posting, Posting)
    assert len(posting.overview.responsibilities) == 6
    assert posting.overview.responsibilities[0].startswith("Lead and grow a team of ~10 ML")
    assert len(posting.requirements.minimum) == 7
    assert posting.requirements.minimum[-1].startswith("Bachelor’s degree in Computer Science")
    assert len(posting.requirements.preferred) == 5
    assert posting.requirements.years_experience_min == 8
    assert posting.requirements.education == "bachelor"


@pytest.mark.skipif(not WITHMIRA.exists(), reason="../shared/fixtures/withmira is absent")
def test_northwind_role_sections() -> None:
    placed = _place(_withmira_sections("northwind-senior-backend-engineer-python"))
    assert placed[RESPONSIBILITIES][0].startswith("Design and operate the ingestion services")
    assert len(placed[RESPONSIBILITIES]) == 3
    assert placed[PREFERRED] == [
        "Contributions to open-source data tooling.",
        "Familiarity with Apache Kafka or Redpanda.",
    ]
    # "Location requirements" is not a requirements list; its authorization must still counts
    assert placed[MINIMUM][:3] == [
        "5+ years of professional Python experience on backend services.",
        "Deep knowledge of PostgreSQL, including query planning and partitioning.",
        "Experience running services on Kubernetes in production.",
    ]
    assert "We are unable to sponsor visas for this role." not in list(
        chain.from_iterable(placed.values())
    )


_PIECES = st.sampled_from(
    [
        "<h3>Requirements</h3>",
        "<h3>Nice to have</h3>",
        "<p><b>What you'll do</b></p>",
        "<ul>",
        "</ul>",
        "<li>",
        "</li>",
        "<p>",
        "</p>",
        "3+ years",
        " is a plus",
        "Must have ",
        "(",
        ")",
        "Bachelor's degree",
        "You will build. ",
        "Du baust ",
        ":",
        "\n- ",
        "•",
        "<",
        "<br>",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), st.lists(st.one_of(_PIECES, st.text(max_size=10))).map("".join)))
def test_normalize_payload_never_raises_and_returns_a_valid_posting(description: str) -> None:
    result = normalize_payload(
        {"source": "test", "source_id": "1", "title": "Engineer", "description": description},
        now=NOW,
    )
    assert isinstance(result, Posting), getattr(result, "reason", result)
    everything = (
        result.overview.responsibilities
        + result.requirements.minimum
        + result.requirements.preferred
    )
    assert len(everything) == len(set(everything))
    assert all(" ".join(item.split()) in result.overview.description_text for item in everything)
