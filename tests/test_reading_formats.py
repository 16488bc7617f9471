"""One reading of a description whatever its format: plain lines, markdown, squished text,
escapes, mojibake and headings in several languages give the same sections as HTML."""

from __future__ import annotations

import pytest
from jobsift.pipelines.document.lexicon import is_heading_line
from jobsift.pipelines.document.model import parse_document
from jobsift.pipelines.sections.experience import education_level, years_experience_min
from jobsift.pipelines.sections.step import (
    MINIMUM,
    PREFERRED,
    RESPONSIBILITIES,
    heading_label,
    place_items,
)


def _place(description: str) -> dict[str, list[str]]:
    return place_items(parse_document(description)).items


HTML = (
    "<h3>Responsibilities</h3><ul><li>Build the API</li><li>Review code</li></ul>"
    "<h3>Requirements</h3><ul><li>3+ years of Go</li><li>Strong SQL skills</li></ul>"
    "<h3>Nice to have</h3><ul><li>Kubernetes</li></ul>"
)
EXPECTED = {
    RESPONSIBILITIES: ["Build the API", "Review code"],
    MINIMUM: ["3+ years of Go", "Strong SQL skills"],
    PREFERRED: ["Kubernetes"],
}


@pytest.mark.parametrize(
    "description",
    [
        pytest.param(HTML, id="html"),
        pytest.param(
            "Responsibilities\nBuild the API\nReview code\nRequirements\n3+ years of Go\n"
            "Strong SQL skills\nNice to have\nKubernetes",
            id="plain-lines",
        ),
        pytest.param(
            "## Responsibilities\n\n- Build the API\n- Review code\n\n## Requirements\n\n"
            "- 3+ years of Go\n- Strong SQL skills\n\n## Nice to have\n\n- Kubernetes",
            id="markdown",
        ),
        pytest.param(
            "**Responsibilities**\n\n- Build the API\n- Review code\n\n**Requirements:**\n"
            "- 3+ years of Go\n- Strong SQL skills\n\n**Nice to have**\n- Kubernetes",
            id="markdown-bold-headings",
        ),
        pytest.param(
            "Responsibilities:\nBuild the API\nReview code\n\nRequirements:\n3+ years of Go\n"
            "Strong SQL skills\n\nNice to have:\nKubernetes",
            id="colon-headings-unbulleted",
        ),
        pytest.param(
            "Responsibilities\n\u2022 Build the API\n\u2022 Review code\nRequirements\n"
            "\u2022 3+ years of Go\n\u2022 Strong SQL skills\nNice to have\n\u2022 Kubernetes",
            id="plain-bullets",
        ),
    ],
)
def test_every_format_reads_the_same(description: str) -> None:
    assert _place(description) == EXPECTED


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("Minimum Requirements", True),
        ("Key Duties and Responsibilities", True),
        ("What you'll bring", True),
        ("What you will do", True),
        ("Nice to have", True),
        ("Required Skills", True),
        ("Bonus points", True),
        ("Strong SQL skills", False),
        ("Python Experience", False),
        ("Communication Skills", False),
        ("Experience with Python.", False),
        ("3+ years of experience", False),
        ("Compensation: $100k", False),
        ("Benefits 🎉", True),
    ],
)
def test_bare_heading_lines(line: str, heading: bool) -> None:
    assert is_heading_line(line) is heading


@pytest.mark.parametrize(
    ("heading", "label"),
    [
        ("Was du mitbringst", MINIMUM),
        ("Anforderungen", MINIMUM),
        ("Deine Aufgaben", RESPONSIBILITIES),
        ("Profil recherché", MINIMUM),
        ("Vos missions", RESPONSIBILITIES),
        ("Requisitos", MINIMUM),
        ("Responsabilidades", RESPONSIBILITIES),
        ("Diferenciais", PREFERRED),
        ("Requisitos desejáveis", PREFERRED),
        ("Deseable", PREFERRED),
        ("任职要求", MINIMUM),
        ("岗位职责", RESPONSIBILITIES),
        ("加分项", PREFERRED),
        ("歓迎スキル", PREFERRED),
        ("必須スキル", MINIMUM),
        ("業務内容", RESPONSIBILITIES),
    ],
)
def test_heading_languages(heading: str, label: str) -> None:
    assert heading_label(heading) == label
    assert is_heading_line(heading)


@pytest.mark.parametrize(
    ("description", "label", "items"),
    [
        (
            "Was du mitbringst\nErfahrung mit Python\nGute Deutschkenntnisse",
            MINIMUM,
            ["Erfahrung mit Python", "Gute Deutschkenntnisse"],
        ),
        (
            "Diferenciais\nExperiência com AWS\nConhecimento em Docker",
            PREFERRED,
            ["Experiência com AWS", "Conhecimento em Docker"],
        ),
        (
            "任职要求\n1.三年以上运营经验。\n2.熟练使用数据工具。",
            MINIMUM,
            ["三年以上运营经验。", "熟练使用数据工具。"],
        ),
        (
            "Profil recherché\nMaîtrise de Symfony\nBon niveau d'anglais",
            MINIMUM,
            ["Maîtrise de Symfony", "Bon niveau d'anglais"],
        ),
    ],
)
def test_unbulleted_lines_under_a_heading_in_other_languages(
    description: str, label: str, items: list[str]
) -> None:
    assert _place(description)[label] == items


def test_squished_one_line_text_splits_at_inline_headings_and_bullets() -> None:
    description = (
        "We are a small team building payments software for shops. "
        "**Responsibilities** * Build the API * Review code "
        "**Requirements** * 3+ years of Go * Strong SQL skills"
    )
    placed = _place(description)
    assert placed[RESPONSIBILITIES] == ["Build the API", "Review code"]
    assert placed[MINIMUM] == ["3+ years of Go", "Strong SQL skills"]


@pytest.mark.parametrize(
    ("description", "placed"),
    [
        (
            "**What you will do:** Build the API and review code.\n"
            "**What you bring:** 3+ years of Go.",
            {RESPONSIBILITIES: ["Build the API and review code."], MINIMUM: ["3+ years of Go."]},
        ),
        (
            "Intro text for the role that is long enough to count as squished by the reader. "
            "**What you will do:** Build the API and review code. **What you bring:** 3+ years.",
            {RESPONSIBILITIES: ["Build the API and review code."], MINIMUM: ["3+ years."]},
        ),
        (
            "**Location:** London\n**Requirements:** 3+ years of Go",
            {RESPONSIBILITIES: [], MINIMUM: ["3+ years of Go"]},
        ),
    ],
)
def test_markdown_inline_bold_headings(description: str, placed: dict) -> None:
    items = _place(description)
    assert {label: items[label] for label in placed} == placed


def test_bold_words_inside_a_long_sentence_are_no_headings() -> None:
    text = (
        "We use **Python** and **Go** daily in a team that ships to production every day and "
        "cares deeply about quality, testing, observability and the people who use our work."
    )
    assert [b.kind for b in parse_document(text).blocks] == ["text"]


@pytest.mark.parametrize(
    ("description", "item"),
    [
        ("Requirements\n\\- Experience with C\\+\\+", "Experience with C++"),
        ("Requirements\n\\* Experience with SQL", "Experience with SQL"),
        ("Requirements\n- Bachelorâ€™s degree", "Bachelor’s degree"),
        ("<h3>Requirements</h3><ul><li>Bachelorâ€™s degree</li></ul>", "Bachelor’s degree"),
    ],
)
def test_escapes_and_mojibake_are_repaired(description: str, item: str) -> None:
    assert _place(description)[MINIMUM] == [item]


def test_prose_under_a_heading_stays_sentences_when_the_section_has_a_list() -> None:
    description = (
        "Responsibilities\nIn this role you will grow our product. It is a new team.\n"
        "- Build the API\n- Review code"
    )
    assert _place(description)[RESPONSIBILITIES] == ["Build the API", "Review code"]


@pytest.mark.parametrize(
    ("description", "minimum"),
    [
        ("Requirements\nTravel: None\n3+ years of Go", ["3+ years of Go"]),
        ("Headquarters: London\nRequirements\n3+ years of Go", ["3+ years of Go"]),
        ("Requirements\nWhat can you expect?\n3+ years of Go", ["3+ years of Go"]),
        (
            "Details\nSee our site <a href='https://x.example'>here</a>\n\nRequirements\n- Go",
            ["Go"],
        ),
    ],
)
def test_fields_questions_and_inline_links_in_text(description: str, minimum: list[str]) -> None:
    assert _place(description)[MINIMUM] == minimum


def test_title_line_before_prose_ends_a_section() -> None:
    description = (
        "Requirements\n3+ years of Go\nRemote Work Environment\n"
        "We are a fully remote company and support our team with the tools, the rituals and"
        " the budget it needs to do its best work from anywhere."
    )
    assert _place(description)[MINIMUM] == ["3+ years of Go"]


@pytest.mark.parametrize(
    ("description", "years", "education"),
    [
        ("Requirements\n3+ years of Python\nBachelor's degree in CS", 3.0, "bachelor"),
        ("## Requirements\n\n- 3+ years of Python\n- Bachelor's degree in CS", 3.0, "bachelor"),
        ("Anforderungen\nMindestens 2 Jahre Erfahrung\nStudium der Informatik", 2.0, "bachelor"),
    ],
)
def test_years_and_education_in_every_rendering(
    description: str, years: float, education: str
) -> None:
    document = parse_document(description)
    minimum = place_items(document).items[MINIMUM]
    assert years_experience_min(minimum, document, None).value == years
    assert education_level(minimum) == education


@pytest.mark.parametrize(
    ("description", "responsibilities"),
    [
        (
            "Acme is hiring a GTM engineer to build our revenue systems.\n"
            "Build and maintain GTM workflows\nAutomate routing and alerts\n"
            "Connect product and sales data",
            [
                "Build and maintain GTM workflows",
                "Automate routing and alerts",
                "Connect product and sales data",
            ],
        ),
        (  # two fragment lines are no list
            "Acme is hiring.\nBuild and maintain GTM workflows\nAutomate routing and alerts",
            [],
        ),
    ],
)
def test_a_run_of_bare_fragment_lines_is_a_list(
    description: str, responsibilities: list[str]
) -> None:
    assert _place(description)[RESPONSIBILITIES] == responsibilities


@pytest.mark.parametrize(
    ("description", "rendering"),
    [
        ("**Location**\n\nIndia, Remote", "Location India, Remote"),
        ("## Location\nIndia, Remote", "Location India, Remote"),
        ("**Location:**\nIndia, Remote", "Location: India, Remote"),
        ("- **SQL** skills", "- **SQL** skills"),
    ],
)
def test_markdown_heading_marks_leave_the_text_like_tags_leave_html(
    description: str, rendering: str
) -> None:
    document = parse_document(description)
    assert document.text == rendering
    assert all(block.text in document.text for block in document.blocks)
