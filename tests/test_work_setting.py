"""Work setting from text in several languages, from labels and header lines, and conflicts with
a source's structured fields decided by the labelling rules (the specific statement wins)."""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Any

import pytest
from jobsift.pipelines.draft import Draft
from jobsift.pipelines.prepare import prepare

from tests.support.eligibility import run, run_draft, run_text

# --- phrases, in the languages we read ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "setting"),
    [
        # English
        ("This is a fully remote position.", "remote"),
        ("Remote (US only)", "remote"),
        ("Senior Engineer\n\nREMOTE-USA", "remote"),
        ("The job is 100% remote.", "remote"),
        ("Remote work IS available for this position.", "remote"),
        ("You will spend 3 days a week in our London office.", "hybrid"),
        ("You can work from home up to 3 days per week.", "hybrid"),
        ("You will be in the office Mondays, Tuesdays and Thursdays.", "hybrid"),
        ("Locals only, please.", "onsite"),
        ("This is not a remote position.", "onsite"),
        ("Seattle | ONSITE (5 days/week)", "onsite"),
        # German
        ("Die Stelle ist vollständig remote.", "remote"),
        ("100% Homeoffice möglich.", "remote"),
        ("50 % Homeoffice, sonst im Büro.", "hybrid"),
        ("Hybrides Arbeiten in Berlin.", "hybrid"),
        # French
        ("Poste en télétravail avec réunions ponctuelles.", "remote"),
        ("Télétravail partiel possible.", "hybrid"),
        ("2 jours de télétravail par semaine.", "hybrid"),
        ("Poste 100% présentiel à Lyon.", "onsite"),
        # Spanish
        ("Trabajo 100% remoto desde cualquier ciudad.", "remote"),
        ("Modalidad híbrida en Madrid.", "hybrid"),
        ("Trabajo presencial en nuestra oficina.", "onsite"),
        ("Modalidad semi-presencial en Madrid.", "hybrid"),
        # Portuguese
        ("Vaga 100% remota.", "remote"),
        ("Trabalho híbrido em Lisboa.", "hybrid"),
        ("Vaga presencial em São Paulo.", "onsite"),
        # Chinese
        ("工作地点：香港/远程", "remote"),
    ],
)
def test_setting_phrases(text: str, setting: str) -> None:
    assert run_text(text).work_setting == setting


@pytest.mark.parametrize(
    "text",
    [
        "We are not fully remote yet.",
        "Rythme de travail : de 1 à 5 jours par semaine.",
        "Our customers are remote-first and hybrid companies.",
        "Remote Support Specialist\n\nProvide phone and remote support to clients.",
    ],
)
def test_not_a_setting(text: str) -> None:
    assert run_text(text).work_setting is None


# --- labels, headings and header lines ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "setting", "countries"),
    [
        (
            "GTM Engineer\n\nLOCATION: Remote - Spain, UK via EOR\n\nREMOTE: Yes (async-first)",
            "remote",
            ["ES", "GB"],
        ),
        ("Medical Receptionist\n\nWork remotely:\n\n- No", "onsite", []),
        ("Analista\n\n## Local\n\n- REMOTO", "remote", []),
        ("Developers\n\nLocation: 100% remote, UK resident", "remote", ["GB"]),
        ("Engineer\n\n### Location\n\n- Munich, Germany\n- Remote No", "onsite", ["DE"]),
        ("Stage\n\nLocalisation : Paris ou Lyon\n\nTélétravail partiel possible", "hybrid", ["FR"]),
        ("Odoo | Software Developer | Hybrid (Belgium, 3 days/week) | Full-time", "hybrid", ["BE"]),
        ("Apple | Engineer | London, UK | ONSITE (3 days/week in office)", "hybrid", ["GB"]),
        ("Resola - Full-Stack Developer - Remote or Japan - C", "remote", ["JP"]),
        ("Manager\n\n- 🏢 Remote\n- 🕐 Part-time", "remote", []),
        ("Remote Support Specialist\n\nMaine Office: Portland", None, ["US"]),
    ],
)
def test_labels_headings_and_header_lines(
    text: str, setting: str | None, countries: list[str]
) -> None:
    result = run_text(text)
    assert (result.work_setting, result.countries) == (setting, countries)


def test_text_label_provenance() -> None:
    result = run_text("Engineer\n\nLocation: Espoo, Finland\n\nRemote: yes")
    assert result.provenance["eligibility.countries"] == "text:location"
    assert result.provenance["overview.work_setting"] == "text:remote"


class _DraftWithFacts(Draft):
    """A Draft carrying `text_facts` (the field the text-facts step adds)."""


def _with_facts(payload: dict[str, Any], facts: dict[str, str]) -> Draft:
    draft = prepare(payload)
    assert isinstance(draft, Draft)
    copy = _DraftWithFacts(**{f.name: getattr(draft, f.name) for f in fields(Draft)})
    copy.text_facts = facts  # type: ignore[attr-defined]
    return copy


def test_text_facts_of_the_draft_are_evidence() -> None:
    payload = {"source": "text", "source_id": "1", "url": "https://x.test/1", "description": "Hi."}
    result = run_draft(_with_facts(payload, {"location": "Espoo, Finland", "remote": "Hybrid"}))
    assert (result.countries, result.work_setting) == (["FI"], "hybrid")
    assert result.provenance["eligibility.countries"] == "text:location"


def test_a_structured_field_wins_over_a_less_specific_text_fact() -> None:
    payload = {"title": "Engineer", "description": "Hi.", "remote": "true"}
    result = run_draft(_with_facts(payload, {"remote": "Hybrid"}))
    assert result.work_setting == "remote"


# --- conflicts: the specific statement wins ----------------------------------------------------


def test_ashby_remote_flag_with_office_days_is_hybrid() -> None:
    result = run(
        "You will be in the office Mondays, Tuesdays and Thursdays.",
        source="ashby",
        remote="true",
        location="New York",
    )
    assert result.work_setting == "hybrid"
    assert "eligibility/setting_overrides_flag" in result.events


def test_recruitee_on_site_five_days_a_week_is_onsite() -> None:
    result = run(
        "This role is on-site 5 days a week in our Amsterdam office.",
        source="recruitee",
        remote=json.dumps({"remote": False, "hybrid": False, "on_site": True}),
        location="Amsterdam",
    )
    assert result.work_setting == "onsite"


def test_anywhere_in_the_world_loses_to_a_us_only_description() -> None:
    result = run(
        "We are a distributed team. This role is US-only.",
        source="weworkremotely",
        location="Anywhere in the World",
    )
    assert result.countries == ["US"]
    assert result.worldwide is False
    assert result.work_setting == "remote"
