"""Issue 9, bounded work: hostile inputs that once took seconds (a quadratic scan) go through the
whole chain and give the right result. Sizes are moderate: seconds if quadratic, milliseconds if
linear; no wall-clock is asserted."""

from __future__ import annotations

from typing import Any

import pytest
from jobsift.pipelines.chain import normalize_payload
from jobsift.pipelines.compensation.figures import number
from jobsift.schemas import Posting
from price_parser.parser import parse_number


def _posting(**fields: Any) -> Posting:
    payload = {"source": "t", "url": "https://example.com/j/1", "title": "Engineer"}
    payload.setdefault("description", "Role")
    result = normalize_payload({**payload, **fields})
    assert isinstance(result, Posting), result
    return result


@pytest.mark.parametrize(
    "description",
    [
        pytest.param("Remote (" + "$100k-$50k" * 4000 + ") - EU only", id="ranges-in-a-phrase"),
        pytest.param("USD" * 20000, id="codes"),
        pytest.param("Visa sponsorship " + "€" * 20000 + " available", id="euro-signs"),
        pytest.param("Salary: " + "1" * 20000 + " USD per year", id="20000-digits"),
        pytest.param("$1," * 20000, id="dollar-one-comma"),
    ],
)
def test_hostile_description_gives_no_pay(description: str) -> None:
    posting = _posting(description=description)
    assert posting.compensation is None
    assert posting.overview.title == "Engineer"


def test_a_long_zero_padded_figure_reads_like_price_parser() -> None:
    posting = _posting(description="Salary: " + "0" * 30 + "85000 USD per year")
    assert posting.compensation is not None
    assert (posting.compensation.min, posting.compensation.currency) == (85000.0, "USD")
    assert posting.compensation.period == "year"


@pytest.mark.parametrize(
    "text",
    [
        "0" * 25 + "85000",
        "0" * 25 + "85000.5",
        "0" * 25 + "85000,50",
        "0" * 25 + "85.000",
        "0" * 25 + "85,000",
        "0" * 25 + "85.0000",
        "0" * 25 + "85€99",
        "0" * 25 + "85.",
        "1 000 000 000 000 000 000 000,25",
        "1.000.000.000.000.000.000.000",
        "abc" * 10,
        "1" * 30 + "x",
        "\u0663" * 25,  # Arabic-Indic digits
    ],
)
def test_long_figures_parse_as_price_parser_does(text: str) -> None:
    expected = parse_number(text)
    parsed = number(text)
    if expected is None or not 0 <= float(expected) <= 1e11:
        assert parsed is None
    else:
        assert parsed == float(expected)


def test_a_run_of_digits_is_no_figure() -> None:
    assert number("1" * 20000) is None
    assert number("0" * 20000) == 0.0
    assert number("0" * 19999 + "1") == 1.0


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        pytest.param("Data Engineer" + "\u2028" * 20000 + "(Remote)", "Data Engineer", id="u2028"),
        pytest.param("Data Engineer" + "\n" * 20000 + "(Remote)", "Data Engineer", id="newlines"),
        pytest.param("Data Engineer" + "\t" * 20000 + "(Remote)", "Data Engineer", id="tabs"),
        pytest.param("Data Engineer" + "\u00a0" * 20000 + "(Remote)", "Data Engineer", id="nbsp"),
        pytest.param("x" + " " * 30000 + "x", "x x", id="spaces"),
    ],
)
def test_hostile_titles_are_cleaned(title: str, expected: str) -> None:
    assert _posting(title=title).overview.title == expected


def test_a_title_of_repeated_country_codes_is_kept_whole() -> None:
    posting = _posting(title="US " * 8000)
    assert posting.overview.title == " ".join(["US"] * 8000)
    assert posting.compensation is None
