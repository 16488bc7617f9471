"""Years of experience and education from the requirements (`pipelines/experience.py`)."""

from __future__ import annotations

import pytest
from jobsift.pipelines.document.model import parse_document
from jobsift.pipelines.sections.step import education_level, years_experience_min


@pytest.mark.parametrize(
    ("items", "years"),
    [
        (["3+ years of hands-on QA experience"], 3),
        (["2 - 6 years of professional Android development experience"], 2),
        (["1.5-3 years of experience managing portfolios"], 1.5),
        (["Minimum 2- 3 years of sales experience"], 2),
        (["Bachelor's Degree with 1-2+ years of experience"], 1),
        (["3-5+ year of experience in a customer facing role"], 3),
        (["Mindestens 2 Jahre Erfahrung im Vertrieb"], 2),
        (["Tu as au moins 5 années d'expérience en PHP"], 5),
        (["Two years of experience in support"], 2),
        (["5+ years in software development, with 1+ year leading teams"], 5),
        (["2+ years managing teams", "8+ years of experience building ML systems"], 8),
        (["Strong SQL skills", "A 4-year degree"], None),
        (["several years of experience"], None),
    ],
)
def test_years_experience_min(items: list[str], years: float | None) -> None:
    found = years_experience_min(items, parse_document(""), None)
    assert (found.value if found else None) == years


@pytest.mark.parametrize(
    ("description", "title", "years"),
    [
        ("<p>No experience required, we train you.</p>", None, 0),
        ("<p>Help shape AI.</p>", "AI Content Rater (No Experience Required)", 0),
        ("<p>You bring at least 4 years of experience in design.</p>", None, 4),
        ("<p>Building on more than 30 years of investing experience, we grow.</p>", None, None),
    ],
)
def test_years_outside_requirement_lists(
    description: str, title: str | None, years: float | None
) -> None:
    found = years_experience_min([], parse_document(description), title)
    assert (found.value if found else None) == years


@pytest.mark.parametrize(
    ("minimum", "education"),
    [
        (
            ["Bachelor’s degree in Computer Science, or equivalent practical experience."],
            "bachelor",
        ),
        (["BS or MS in computer science, related field"], "bachelor"),
        (["MS or PhD in physics, engineering or statistics"], "master"),
        (["PhD in Physics or Computer Science"], "doctorate"),
        (["A University degree"], "bachelor"),
        (["High school diploma or GED"], "high_school"),
        (["Associate's degree in accounting"], "associate"),
        (["No degree required, just curiosity"], "none"),
        (["Proficiency with MS Office suite", "Strong SQL"], None),
        (["Studium der Informatik oder vergleichbare Qualifikation"], "bachelor"),
    ],
)
def test_education_level(minimum: list[str], education: str | None) -> None:
    assert education_level(minimum) == education
