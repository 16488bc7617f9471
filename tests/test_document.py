"""The description parser: headings, items and sentences in every form the sources use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jobsift.pipelines.document.model import (
    RANK_EMPHASIS,
    RANK_LABEL,
    RANK_PSEUDO,
    Block,
    Document,
    collapse,
    parse_document,
    split_sentences,
)
from jobsift.pipelines.document.text import repair

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLD = SHARED / "gold" / "dev.jsonl"


def _kinds(document: Document, kind: str) -> list[str]:
    return [block.text for block in document.blocks if block.kind == kind]


@pytest.mark.parametrize(
    ("description", "heading", "level"),
    [
        ("<h2>Requirements</h2><ul><li>Python</li></ul>", "Requirements", 2),
        ("<h4>About the Job</h4><ul><li>Lead</li></ul>", "About the Job", 4),
        (
            "<p><strong>What you'll do</strong></p><ul><li>Build</li></ul>",
            "What you'll do",
            RANK_EMPHASIS,
        ),
        ("<p><b>Nice to have</b></p><p>Go experience.</p>", "Nice to have", RANK_EMPHASIS),
        (
            "<b>Key Responsibilities:</b><ul><li>Sell</li></ul>",
            "Key Responsibilities:",
            RANK_EMPHASIS,
        ),
        ("<p>Requirements:</p><ul><li>SQL</li></ul>", "Requirements:", RANK_LABEL),
        ("<p>## Key Responsibilities</p><p>- Build lists</p>", "Key Responsibilities", 2),
        ("### 1. Prospecting\n- Call people", "1. Prospecting", 3),
        ("**Bonus points**\n- Rust", "Bonus points", RANK_EMPHASIS),
        ("<p>EXTRA CREDIT</p><p>Kafka experience.</p>", "EXTRA CREDIT", RANK_EMPHASIS),
        (
            "What you'll do here\n\n - Own the relationship\n\n - Demo",
            "What you'll do here",
            RANK_LABEL,
        ),
        (
            "<p>About the Role</p><p>As a manager at Acme you will own the customer relationship "
            "from onboarding through renewal.</p>",
            "About the Role",
            RANK_LABEL,
        ),
        (
            "<ul><li>The following experience is preferred:</li><li>SQL</li></ul>",
            "The following experience is preferred:",
            RANK_PSEUDO,
        ),
        (
            "<ul><li>Customer Service Fundamentals<ul><li>3+ years</li></ul></li></ul>",
            "Customer Service Fundamentals",
            RANK_PSEUDO,
        ),
    ],
)
def test_heading_forms(description: str, heading: str, level: int) -> None:
    headings = [b for b in parse_document(description).blocks if b.kind == "heading"]
    assert (headings[0].text, headings[0].level) == (heading, level)


@pytest.mark.parametrize(
    "description",
    [
        "<p><strong>Candidates must be based in Los Angeles, CA to be considered.</strong></p>",
        "<p>We build mobile financial services that radically simplify daily life for you.</p>",
        "<p>Hey there!</p><p>We are a small team.</p>",
    ],
)
def test_sentences_are_not_headings(description: str) -> None:
    assert not _kinds(parse_document(description), "heading")


@pytest.mark.parametrize(
    ("description", "items"),
    [
        ("<ul><li>Python</li><li> SQL&nbsp;</li></ul>", ["Python", "SQL"]),
        (
            "<ul><li><p>Find partners:</p><p>You source them.</p></li></ul>",
            ["Find partners: You source them."],
        ),
        ("- Build lists\n- Run calls", ["Build lists", "Run calls"]),
        ("* Build lists\n* Run calls", ["Build lists", "Run calls"]),
        ("• Build lists\n•Run calls", ["Build lists", "Run calls"]),
        ("<p>â€¢ Build lists</p><p>â\x80¢\xa0Run calls</p>", ["Build lists", "Run calls"]),
        ("1. Build lists\n2) Run calls", ["Build lists", "Run calls"]),
        (
            "<h3>Profile</h3>Degree in CS <br>• Excel <br>• English",
            ["Degree in CS", "Excel", "English"],
        ),
        ("<p>Intro:\n- Zero fees.\n- Instant payouts.</p>", ["Zero fees.", "Instant payouts."]),
        ("<ul><li>Python<li>SQL</ul>", ["Python", "SQL"]),
    ],
)
def test_bullet_forms(description: str, items: list[str]) -> None:
    assert _kinds(parse_document(description), "item") == items


def test_prose_is_one_sentence_per_block() -> None:
    document = parse_document(
        "<p>You build APIs. Do you like SQL? We do! Tools, e.g. Postman, are used in the U.S. "
        "daily.</p>"
    )
    assert _kinds(document, "text") == [
        "You build APIs.",
        "Do you like SQL?",
        "We do!",
        "Tools, e.g. Postman, are used in the U.S. daily.",
    ]


def test_a_header_line_of_fields_stays_whole() -> None:
    document = parse_document(
        "Acme Inc. | Engineer. Frontend | Remote (UTC+3)\n<p>We build. It works."
    )
    assert document.blocks[0].text == "Acme Inc. | Engineer. Frontend | Remote (UTC+3)"
    assert _kinds(document, "text")[1:] == ["We build.", "It works."]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("One. Two.", ["One.", "Two."]),
        ("応募締切です。選考があります。", ["応募締切です。", "選考があります。"]),
        ("Mr. Smith leads. Dr. Who follows.", ["Mr. Smith leads.", "Dr. Who follows."]),
        ("Version 3.5 ships. Next year.", ["Version 3.5 ships.", "Next year."]),
        ("Great English 💰 Nous te proposons", ["Great English", "💰 Nous te proposons"]),
    ],
)
def test_split_sentences(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


def test_fused_text_is_split_at_its_joins() -> None:
    fused = (
        "Tu as au moins 5 années d'expérience sur le framework SymfonyTu as une excellente "
        "connaissance du PHP, de MySQL et des ORMsTu maîtrises les méthodes Agile et ScrumAvoir "
        "des compétences en Docker est un plus appréciable.Tu lis et comprends l'anglais"
    )
    texts = _kinds(parse_document(f"<ul><li>Coder</li></ul>\n{fused}"), "text")
    assert texts[0] == "Tu as au moins 5 années d'expérience sur le framework Symfony"
    assert "Tu lis et comprends l'anglais" in texts
    assert all(block.source == "fused" for block in parse_document(fused).blocks)


@pytest.mark.parametrize(
    ("description", "text"),
    [
        ("<p>a<b>b</b>c</p><p>d</p>", "abc d"),
        ("<p>Fish &amp; chips&nbsp;&#x27;ok&#x27;</p>", "Fish & chips 'ok'"),
        ("<p>kept<!-- dropped --> text</p>", "kept text"),
        ("<p>An <em>Everything as Code</em> approach</p>", "An Everything as Code approach"),
        ("<script>var x = 1;</script><p>shown</p>", "shown"),
        ("plain   text\n\nwith &gt; entity", "plain text with > entity"),
    ],
)
def test_text_rendering(description: str, text: str) -> None:
    assert parse_document(description).text == text


def test_heading_inside_item_marks_the_item_truncated() -> None:
    document = parse_document(
        "<ul><li><p>Bachelor</p></li><li><p>Proficiency in Python, incl<h3>Additional "
        "Information</h3><p>All team members</p>"
    )
    item = next(b for b in document.blocks if b.text.startswith("Proficiency"))
    assert item.truncated
    assert [b.kind for b in document.blocks[-2:]] == ["heading", "text"]


def test_description_cut_inside_a_tag_marks_its_last_block() -> None:
    document = parse_document("<p>Must have a degree.</p><p>Remote team</p><")
    assert document.blocks[-1].truncated
    assert not document.blocks[0].truncated


def test_literal_newline_escapes_between_tags_are_ignored() -> None:
    document = parse_document("<p>One.</p>\\n<p></p><b>Requirements</b>")
    assert [b.text for b in document.blocks] == ["One.", "Requirements"]


def test_empty_descriptions() -> None:
    assert parse_document(None) == Document(blocks=[], text="")
    assert parse_document("  \n ").blocks == []


def test_block_keeps_positional_construction() -> None:
    assert Block("heading", "Requirements", 2) == Block(
        kind="heading", text="Requirements", level=2
    )


@pytest.mark.skipif(not GOLD.exists(), reason="../shared/gold/dev.jsonl is absent")
def test_every_gold_item_is_a_block() -> None:
    missing = []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        document = parse_document(record["input"]["description"])
        texts = {block.text for block in document.blocks}
        for key in ("responsibilities", "requirements_minimum", "requirements_preferred"):
            missing += [
                (record["id"], item)
                for item in record["gold"][key]
                if collapse(repair(item)) not in texts  # the reader repairs mojibake
            ]
    assert missing == []


_HTML_PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<li>",
        "</li>",
        "<ul>",
        "</ul>",
        "<h3>",
        "</h3>",
        "<br>",
        "<b>",
        "</b>",
        "<strong>",
        "</strong>",
        "<div>",
        "</div>",
        "<!--",
        "-->",
        "<script>",
        "&amp;",
        "&#x27;",
        "&nbsp;",
        "•",
        "- ",
        "\n",
        "## ",
        "**",
        ":",
        ". ",
        "Requirements",
        "Nice to have",
        "<",
        ">",
        "â€¢",
        "\\n",
        "<p class='x'>",
        "</ol>",
        "<ol>",
        "3+ years",
        "Tu as",
        "ORMsTu",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(st.one_of(_HTML_PIECES, st.text(max_size=12))).map("".join)))
def test_parse_never_raises_and_blocks_are_verbatim(description: str) -> None:
    document = parse_document(description)
    assert isinstance(document.text, str)
    for block in document.blocks:
        assert block.kind in {"heading", "item", "text"}
        assert block.text and block.text == block.text.strip()
        if block.kind != "heading":
            assert collapse(block.text) in document.text
