"""The heading lexicon: what a heading announces (responsibilities, minimum, preferred, other)."""

from __future__ import annotations

import pytest
from jobsift.pipelines.sections.step import (
    MINIMUM,
    OTHER,
    PREFERRED,
    RESPONSIBILITIES,
    heading_label,
)


@pytest.mark.parametrize(
    ("heading", "label"),
    [
        ("About the Job", RESPONSIBILITIES),
        ("What you'll do", RESPONSIBILITIES),
        ("What you’ll do here", RESPONSIBILITIES),
        ("Responsibilities:", RESPONSIBILITIES),
        ("Key Responsibilities", RESPONSIBILITIES),
        ("As a core member of the team, you will:", RESPONSIBILITIES),
        ("WHAT YOU’LL ACTUALLY BE DOING", RESPONSIBILITIES),
        ("Your tasks:", RESPONSIBILITIES),
        ("Aufgaben", RESPONSIBILITIES),
        ("Was dich in dieser Rolle erwartet 🧐", RESPONSIBILITIES),
        ("Vos missions", RESPONSIBILITIES),
        ("Minimum Qualifications", MINIMUM),
        ("Requirements", MINIMUM),
        ("What we're looking for", MINIMUM),
        ("What We’re Looking For", MINIMUM),
        ("Must-haves", MINIMUM),
        ("MUST-HAVES", MINIMUM),
        ("This role could be a fit if you have:", MINIMUM),
        ("Who you are", MINIMUM),
        ("Your profile", MINIMUM),
        ("Profil", MINIMUM),
        ("Unser perfektes Match💗", MINIMUM),
        ("Ton profil", MINIMUM),
        ("求める人物像", MINIMUM),
        ("Preferred Qualifications", PREFERRED),
        ("Nice to have", PREFERRED),
        ("NICE-TO-HAVES", PREFERRED),
        ("Bonus points", PREFERRED),
        ("Bonus tacos if you have", PREFERRED),
        ("Extra credit", PREFERRED),
        ("Desired skills:", PREFERRED),
        ("DESIRABLE CANDIDATES", PREFERRED),
        ("Location requirements", OTHER),
        ("About Coder", OTHER),
        ("Benefits", OTHER),
        ("What we offer:", OTHER),
        ("Interview process", OTHER),
        ("Once you join, Wealthfront will:", OTHER),
        ("What great looks like", OTHER),
        ("Who A·Team is not for:", OTHER),
        ("Our tech stack", OTHER),
        ("Testing and Quality Assurance", None),
    ],
)
def test_heading_lexicon(heading: str, label: str | None) -> None:
    assert heading_label(heading) == label
