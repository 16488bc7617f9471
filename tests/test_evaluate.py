"""The gold-set evaluator: every metric is produced, on the real gold file and on small cases."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO.parent / "shared" / "gold" / "dev.jsonl"


def _load_evaluator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_evaluate", REPO / "bench" / "evaluate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


evaluate = _load_evaluator()
render = sys.modules["bench.render"].render  # loaded by the evaluator

LIST_FIELDS = ["responsibilities", "requirements_minimum", "requirements_preferred"]
SET_FIELDS = ["countries", "regions", "us_states", "work_authorization_required"]
SCALAR_FIELDS = [
    "title",
    "company",
    "work_setting",
    "worldwide",
    "timezone",
    "visa_sponsorship",
    "employment_type",
    "seniority",
    "years_experience_min",
    "salary",
]


@pytest.fixture(scope="module")
def gold_summary() -> dict:
    if not GOLD.exists():
        pytest.skip("../shared/gold/dev.jsonl is absent")
    return evaluate.summary(evaluate.evaluate(evaluate.load_gold(GOLD)))


def test_gold_run_covers_every_record(gold_summary: dict) -> None:
    assert gold_summary["records"] == sum(1 for line in GOLD.open() if line.strip())
    assert isinstance(gold_summary["rejected"], list)


@pytest.mark.parametrize("name", SCALAR_FIELDS + SET_FIELDS + LIST_FIELDS)
def test_gold_run_produces_accuracy(gold_summary: dict, name: str) -> None:
    entry = gold_summary["fields"][name]
    assert entry["n"] == gold_summary["records"]
    assert 0.0 <= entry["accuracy"] <= 1.0


@pytest.mark.parametrize("name", LIST_FIELDS)
def test_gold_run_produces_item_scores(gold_summary: dict, name: str) -> None:
    entry = gold_summary["fields"][name]
    for metric in ("precision", "recall", "f1"):
        assert entry[metric] is not None and 0.0 <= entry[metric] <= 1.0, metric


@pytest.mark.parametrize("name", ["countries", "regions", "work_authorization_required"])
def test_gold_run_produces_set_recall(gold_summary: dict, name: str) -> None:
    # every one of these has non-empty gold in dev.jsonl, so recall is defined
    assert gold_summary["fields"][name]["recall"] is not None


def test_gold_run_produces_hallucination_rate(gold_summary: dict) -> None:
    assert gold_summary["hallucination_slots"] > 0
    assert 0.0 <= gold_summary["hallucination_rate"] <= 1.0


def test_json_output_is_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    if not GOLD.exists():
        pytest.skip("../shared/gold/dev.jsonl is absent")
    assert evaluate.main([str(GOLD), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert set(printed["fields"]) == set(SCALAR_FIELDS + SET_FIELDS + LIST_FIELDS)


def _record(description: str, **gold_overrides: object) -> dict:
    gold = {
        "title": "Engineer",
        "company": None,
        "work_setting": None,
        "countries": [],
        "regions": [],
        "worldwide": False,
        "us_states": [],
        "timezone": None,
        "visa_sponsorship": None,
        "work_authorization_required": [],
        "salary": None,
        "employment_type": None,
        "seniority": None,
        "years_experience_min": None,
        "responsibilities": [],
        "requirements_minimum": [],
        "requirements_preferred": [],
    }
    gold.update(gold_overrides)
    return {
        "id": "case",
        "input": {
            "source": "test",
            "source_id": "1",
            "title": "Engineer",
            "description": description,
        },
        "gold": gold,
    }


def test_list_items_score_exact_matches_only() -> None:
    description = "<h3>Requirements</h3><ul><li>Python  experience</li><li>SQL</li></ul>"
    record = _record(description, requirements_minimum=["Python experience", "Go"])
    report = evaluate.evaluate([record])
    counts = report.counts["requirements_minimum"]
    assert (counts.tp, counts.fn) == (1, 1)  # whitespace collapsed; "Go" is missed
    assert counts.fp == 1  # "SQL" is not in gold


def test_rejected_record_is_all_wrong_and_listed() -> None:
    record = {"id": "broken", "input": {"source": "test"}, "gold": _record("")["gold"]}
    report = evaluate.evaluate([record])
    assert [record_id for record_id, _ in report.rejected] == ["broken"]
    assert all(counts.correct == 0 for counts in report.counts.values())
    assert "REJECTED broken" in evaluate.render_table(report)


@pytest.mark.parametrize(
    ("words", "codes"),
    [
        (["LATIN AMERICA", "AMER"], {"LATAM", "AMERICAS"}),
        (["NORTHERN AMERICA"], {"NORTH_AMERICA"}),
        (["EU", "EUROPE"], {"EU", "EUROPE"}),
    ],
)
def test_gold_region_words_map_to_codes(words: list[str], codes: set[str]) -> None:
    assert evaluate._gold_set("regions", words, evaluate._region_code_function()) == codes


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("• Ship code", "Ship code"),
        ("â€¢ Ship code", "Ship code"),
        ("  a \n b ", "a b"),
        ("- item", "item"),
        ("C++ work", "C++ work"),
    ],
)
def test_normalize_item(raw: str, expected: str) -> None:
    assert evaluate.normalize_item(raw) == expected


# The floors the normalizers must keep on the development gold set (issue "Normalization that
# reads real postings"): accuracy, exact-set or F1 per field, and the hallucination rate.
# Issue 8: the HTML rendering stays >= 0.95 on work setting, countries, salary and every list.
FLOORS = [
    ("work_setting", "accuracy", 0.95),
    ("countries", "accuracy", 0.95),
    ("salary", "accuracy", 0.95),
    ("responsibilities", "f1", 0.95),
    ("requirements_minimum", "f1", 0.95),
    ("requirements_preferred", "f1", 0.95),
]


@pytest.mark.parametrize(("name", "metric", "floor"), FLOORS)
def test_gold_floors(gold_summary: dict, name: str, metric: str, floor: float) -> None:
    assert gold_summary["fields"][name][metric] >= floor


def test_gold_hallucinations_stay_under_three_percent(gold_summary: dict) -> None:
    assert gold_summary["hallucination_rate"] <= 0.03
    assert gold_summary["rejected"] == []


# --- renderings and the text-only format (issue 8: one reading whatever the format) ---------

DEV_TEXT = REPO.parent / "shared" / "gold" / "dev-text.jsonl"


@pytest.fixture(scope="module")
def rendering_summaries() -> dict:
    if not GOLD.exists():
        pytest.skip("../shared/gold/dev.jsonl is absent")
    records = evaluate.load_gold(GOLD)
    return {
        name: evaluate.summary(evaluate.evaluate(records, name)) for name in ("plain", "markdown")
    }


@pytest.fixture(scope="module")
def text_summary() -> dict:
    if not DEV_TEXT.exists():
        pytest.skip("../shared/gold/dev-text.jsonl is absent")
    return evaluate.summary(evaluate.evaluate(evaluate.load_gold(DEV_TEXT)))


# Floors at the levels reached (issue 8 targets: 0.90 per list in every rendering, text-only
# 0.80 / 0.80 / 0.75); raise them, never lower them.
RENDERING_FLOORS = [
    ("plain", "responsibilities", 0.93),
    ("plain", "requirements_minimum", 0.93),
    ("plain", "requirements_preferred", 0.92),
    ("markdown", "responsibilities", 0.96),
    ("markdown", "requirements_minimum", 0.95),
    ("markdown", "requirements_preferred", 0.98),
]
# Every rendering, whatever its lists score: work setting and countries >= 0.95, salary >= 0.90.
RENDERING_FIELD_FLOORS = [
    (rendering, name, metric, floor)
    for rendering in ("plain", "markdown")
    for name, metric, floor in (
        ("work_setting", "accuracy", 0.95),
        ("countries", "accuracy", 0.95),
        ("salary", "accuracy", 0.90),
    )
]
TEXT_FLOORS = [
    ("responsibilities", 0.86),
    ("requirements_minimum", 0.81),
    ("requirements_preferred", 0.76),
]


@pytest.mark.parametrize(("rendering", "name", "floor"), RENDERING_FLOORS)
def test_rendering_floors(
    rendering_summaries: dict, rendering: str, name: str, floor: float
) -> None:
    assert rendering_summaries[rendering]["fields"][name]["f1"] >= floor


@pytest.mark.parametrize(("rendering", "name", "metric", "floor"), RENDERING_FIELD_FLOORS)
def test_rendering_field_floors(
    rendering_summaries: dict, rendering: str, name: str, metric: str, floor: float
) -> None:
    assert rendering_summaries[rendering]["fields"][name][metric] >= floor


@pytest.mark.parametrize("rendering", ["plain", "markdown"])
def test_rendering_hallucinations(rendering_summaries: dict, rendering: str) -> None:
    assert rendering_summaries[rendering]["hallucination_rate"] <= 0.03
    assert rendering_summaries[rendering]["rejected"] == []


# Issue 8 targets for the text-only set: work setting 0.90, countries 0.85, salary 0.85.
TEXT_FIELD_FLOORS = [("work_setting", 0.90), ("countries", 0.85), ("salary", 0.85)]


@pytest.mark.parametrize(("name", "floor"), TEXT_FLOORS)
def test_text_only_floors(text_summary: dict, name: str, floor: float) -> None:
    assert text_summary["fields"][name]["f1"] >= floor


@pytest.mark.parametrize(("name", "floor"), TEXT_FIELD_FLOORS)
def test_text_only_field_floors(text_summary: dict, name: str, floor: float) -> None:
    assert text_summary["fields"][name]["accuracy"] >= floor


def test_text_only_hallucinations(text_summary: dict) -> None:
    assert text_summary["hallucination_rate"] <= 0.03
    assert text_summary["rejected"] == []


def test_text_only_record_is_fed_as_a_description() -> None:
    record = {"id": "t1", "url": "https://example.com/1", "text": "Requirements\n- Go"}
    assert evaluate.record_payload(record) == {
        "source": "text",
        "source_id": "t1",
        "url": "https://example.com/1",
        "description": "Requirements\n- Go",
    }
    assert evaluate.is_text_only([record])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("**Python** experience", "Python experience"),
        ("__Go__ skills", "Go skills"),
        ("Experience with C\\+\\+ \\- required", "Experience with C++ - required"),
        ("1. First item", "First item"),
        ("customerâ€™s needs", "customer’s needs"),
    ],
)
def test_normalize_item_drops_emphasis_escapes_and_mojibake(raw: str, expected: str) -> None:
    assert evaluate.normalize_item(raw) == expected


RENDER_HTML = (
    "<h3>Requirements</h3><p>Intro <b>bold</b> text<br>second line</p>"
    "<ul><li>• Go</li><li><strong>SQL</strong> skills</li></ul>"
)


@pytest.mark.parametrize(
    ("rendering", "expected"),
    [
        ("html", RENDER_HTML),
        ("plain", "Requirements\nIntro bold text\nsecond line\nGo\nSQL skills"),
        (
            "markdown",
            "## Requirements\n\nIntro **bold** text\nsecond line\n\n- • Go\n- **SQL** skills",
        ),
    ],
)
def test_renderings(rendering: str, expected: str) -> None:
    assert render(RENDER_HTML, rendering) == expected


def test_every_rendering_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    if not GOLD.exists():
        pytest.skip("../shared/gold/dev.jsonl is absent")
    assert evaluate.main([str(GOLD)]) == 0
    printed = capsys.readouterr().out
    for title in ("(html)", "plain lines", "markdown"):
        assert title in printed
