"""Compensation step: structured salary objects of every source, salary text, and what is not pay."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jobsift.pipelines.compensation import step as compensation
from jobsift.pipelines.compensation.step import choose, structured_pay
from jobsift.pipelines.compensation.text import Pay, text_pay
from jobsift.pipelines.draft import Draft
from jobsift.pipelines.prepare import prepare

FETCHED_AT = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _draft(**raw: Any) -> Draft:
    draft = prepare({"title": "Engineer", "fetched_at": FETCHED_AT.isoformat(), **raw})
    assert isinstance(draft, Draft)
    return draft


def _parts(pay: Pay | None) -> tuple[Any, ...] | None:
    return None if pay is None else (pay.min, pay.max, pay.currency, pay.period)


# --- text ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$150,000 – $180,000 USD per year", (150000, 180000, "USD", "year")),
        (
            "The base salary range for this role is $110,000 - 130,000.",
            (110000, 130000, "USD", "year"),
        ),
        (
            "Estimated annual salary range: $150,000 - $189,000 plus equity",
            (150000, 189000, "USD", "year"),
        ),
        ("Compensation range: $65,000 - $75,000 annually", (65000, 75000, "USD", "year")),
        ("$9 - $11 an hour", (9, 11, "USD", "hour")),
        ("Hourly Rate: $24.04/Hour", (24.04, 24.04, "USD", "hour")),
        ("Compensation Range: $40/hr – $55/hr.", (40, 55, "USD", "hour")),
        ("the starting base pay ranges from $15 to $25 per hour", (15, 25, "USD", "hour")),
        (
            "Pay is £75 per hour for sessions and £40 per hour for additional work",
            (75, 75, "GBP", "hour"),
        ),
        ("Salary up to $185,500 + equity", (None, 185500, "USD", "year")),
        ("€75–90k OTE, uncapped", (75000, 90000, "EUR", "year")),
        ("CA 36k – 44k CAD per year, depending on experience", (36000, 44000, "CAD", "year")),
        ("Salary: CA$165,000 - CA$211,000", (165000, 211000, "CAD", "year")),
        ("Salary: A$120k–A$140k", (120000, 140000, "AUD", "year")),
        ("Wynagrodzenie: PLN 281,000 – 384,000", (281000, 384000, "PLN", "year")),
        ("Gehalt: 4.500 € pro Monat", (4500, 4500, "EUR", "month")),
        ("Day rate: £500 per day", (500, 500, "GBP", "day")),
        ("Pay: $2,000 per week", (2000, 2000, "USD", "week")),
        (
            "ResortPass | Senior Engineer | $160k–$180k ($210k for senior band) + Equity",
            (160000, 180000, "USD", "year"),
        ),
    ],
)
def test_text_pay_reads_amounts_currencies_and_periods(text: str, expected: tuple) -> None:
    assert _parts(text_pay(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$31,2k- $52k", (31200, 52000, "USD", "year")),
        ("$90 - $150 /hour", (90, 150, "USD", "hour")),
        ("OTE $25k - $35k", (25000, 35000, "USD", "year")),
        ("60000-80000", (60000, 80000, None, "year")),  # no symbol or code: no currency
        ("100", (100, 100, None, None)),  # no period written, not annual-looking
    ],
)
def test_salary_field_text_needs_no_marker_or_salary_word(text: str, expected: tuple) -> None:
    assert _parts(text_pay(text, salary_field=True)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Homebound has raised $150M in capital from leading venture capitalists",
        "We've passed $1M ARR with just 6 people.",
        "clients who trust us with more than $90 billion of their hard earned savings",
        "managing multiple clients with monthly budgets ranging between $50,000-$500,000 per client",
        "Continuous education. Up to 1000 EUR per year for conferences, books, and courses.",
        "Entwickle dich weiter mit einem Studienbudget von 2.000 € pro Jahr!",
        "Tickets restaurant à hauteur de 10€ pris en charge à 50%",
        "Equity: 0.25% – 0.5%, plus a 10% annual bonus",
        "Life insurance at 4x annual salary",
        "We have helped members earn $85+ million since 2020.",
        "Visit www.example.com for more information about our 401(k).",
    ],
)
def test_text_pay_ignores_what_is_not_salary(text: str) -> None:
    assert text_pay(text) is None


def test_dollar_alone_follows_the_context_but_a_written_code_wins() -> None:
    assert _parts(text_pay("Salary: $100,000 per year", dollar=None)) == (
        100000,
        100000,
        None,
        "year",
    )
    assert text_pay("Salary: $100,000 USD per year", dollar=None).currency == "USD"
    assert text_pay("Salary: $100,000 CAD per year").currency == "CAD"


def test_base_pay_wins_over_on_target_earnings() -> None:
    text = "Hourly Rate: $24.04/Hour Total On-Target Earnings: $75,000 (uncapped commission)"
    assert _parts(text_pay(text)) == (24.04, 24.04, "USD", "hour")
    assert _parts(text_pay("The annual OTE for this position is $90,000 - $120,000 USD.")) == (
        90000, 120000, "USD", "year",
    )  # fmt: skip


# --- structured objects -------------------------------------------------------------------------

ASHBY_UK_IE_PL = {
    "compensationTierSummary": "£96K – £120K • Offers Equity",
    "salaryComponents": [
        {"tierTitle": "United Kingdom", "minValue": 96000, "maxValue": 120000,
         "currencyCode": "GBP", "interval": "1 YEAR"},
        {"tierTitle": "Ireland", "minValue": 114000, "maxValue": 142000,
         "currencyCode": "EUR", "interval": "1 YEAR"},
        {"tierTitle": "Poland", "minValue": 276000, "maxValue": 342000,
         "currencyCode": "PLN", "interval": "1 YEAR"},
    ],
}  # fmt: skip
ASHBY_US_TIERS = {
    "salaryComponents": [
        {"tierTitle": "US Tier 1", "minValue": 188000, "maxValue": 246000,
         "currencyCode": "USD", "interval": "1 YEAR"},
        {"tierTitle": "US Tier 2", "minValue": 157000, "maxValue": 205000,
         "currencyCode": "USD", "interval": "1 YEAR"},
        {"tierTitle": "US Tier 3", "minValue": 143000, "maxValue": 186000,
         "currencyCode": "USD", "interval": "1 YEAR"},
        {"tierTitle": "Canada", "minValue": 165000, "maxValue": 211000,
         "currencyCode": "CAD", "interval": "1 YEAR"},
    ],
}  # fmt: skip
ASHBY_NATIVE = {
    "compensationTiers": [
        {"title": "Canada", "components": [
            {"compensationType": "EquityPercentage", "interval": "NONE", "currencyCode": None,
             "minValue": None, "maxValue": None},
            {"compensationType": "Salary", "interval": "1 YEAR", "currencyCode": "CAD",
             "minValue": 104000, "maxValue": 131000},
        ]},
    ],
}  # fmt: skip


@pytest.mark.parametrize(
    ("data", "locations", "expected"),
    [
        ({"min": 140000, "max": 160000, "currency": "USD", "interval": "per-year-salary"}, [],
         (140000, 160000, "USD", "year")),  # Lever salaryRange
        (ASHBY_UK_IE_PL, ["United Kingdom", "Ireland", "Poland"], (96000, 120000, "GBP", "year")),
        (ASHBY_UK_IE_PL, ["Poland", "Ireland", "United Kingdom"], (276000, 342000, "PLN", "year")),
        (ASHBY_US_TIERS, ["United States", "Canada"], (143000, 246000, "USD", "year")),
        (ASHBY_US_TIERS, ["Toronto, Ontario, Canada"], (165000, 211000, "CAD", "year")),
        (ASHBY_NATIVE, ["Canada"], (104000, 131000, "CAD", "year")),
        ({"max": "75000", "min": "60000", "period": "year", "currency": "EUR"}, [],
         (60000, 75000, "EUR", "year")),  # Recruitee: strings
        ({"min": "100000.00", "max": "", "currencySymbol": "£", "currencyCode": "GBP",
          "type": "yearly"}, [], (100000, 100000, "GBP", "year")),  # Personio: min only
        ({"pay_input_ranges": [
            {"min_cents": 15000000, "max_cents": 18000000, "currency_type": "USD",
             "title": "San Francisco Bay Area"},
            {"min_cents": 13000000, "max_cents": 16000000, "currency_type": "USD",
             "title": "Remote - Canada"}]},
         ["Remote - Canada"], (130000, 160000, "USD", "year")),  # Greenhouse: cents
        ({"payRangeDetails": [
            {"location": "New York, NY", "currency": "USD", "frequency": "YEAR",
             "rangeStart": 150000, "rangeEnd": 190000, "isRemote": False},
            {"location": "Remote (Canada)", "currency": "CAD", "frequency": "YEAR",
             "rangeStart": 140000, "rangeEnd": 170000, "isRemote": True}]},
         ["Remote (Canada)"], (140000, 170000, "CAD", "year")),  # Rippling: a band per place
        ({"payRangeDetails": [{"location": "Austin, TX", "currency": "USD", "frequency": "HOUR",
                               "rangeStart": 40, "rangeEnd": 55}]},
         ["Austin, TX"], (40, 55, "USD", "hour")),
        ({"annualSalaryMin": "72800", "annualSalaryMax": "156000", "salaryCurrency": "USD"}, [],
         (72800, 156000, "USD", "year")),  # Jobicy 2024
        ({"salaryMin": 151000, "salaryCurrency": "USD", "salaryPeriod": "yearly"}, [],
         (151000, 151000, "USD", "year")),  # Jobicy 2026, min only
        ({"minSalary": 50, "maxSalary": 50, "currency": "USD", "salaryPeriod": "hourly"}, [],
         (50, 50, "USD", "hour")),  # Himalayas
        ({"salary_min": 40000, "salary_max": 82500}, [], (40000, 82500, None, "year")),  # RemoteOK
        ({"salary_min": 0, "salary_max": 0}, [], None),  # RemoteOK: 0 means not given
        ({"@type": "MonetaryAmount", "currency": "EUR", "value": {"@type": "QuantitativeValue",
          "minValue": 42000, "maxValue": 60000, "unitText": "YEARLY"}}, [],
         (42000, 60000, "EUR", "year")),  # JSON-LD baseSalary
        ({"@type": "MonetaryAmount", "currency": "USD", "value": {"@type": "QuantitativeValue",
          "value": 35, "unitText": "HOUR"}}, [], (35, 35, "USD", "hour")),
        ({"summaryComponents": [], "unrelated": "x"}, [], None),
    ],
)  # fmt: skip
def test_structured_pay_reads_every_source_shape(data: Any, locations: list[str],
                                                 expected: tuple | None) -> None:  # fmt: skip
    assert _parts(structured_pay(data, locations)) == expected


def test_structured_period_is_marked_written_only_when_the_source_gives_one() -> None:
    assert structured_pay(
        {"min": 1, "max": 2, "currency": "USD", "interval": "1 YEAR"}
    ).period_written
    assert not structured_pay({"salary_min": 40000, "salary_max": 80000}).period_written


# --- which one wins -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "text", "winner"),
    [
        # an explicit rate beats a yearly interval on the same figure (Ashby $24.04)
        (Pay(24.04, 24.04, "USD", "year", period_written=True),
         Pay(24.04, 24.04, "USD", "hour", period_written=True), "text"),
        # an explicit rate beats a board's estimate without a period (RemoteOK)
        (Pay(50000, 90000, None, "year"), Pay(9, 11, "USD", "hour", period_written=True), "text"),
        # an annualised salary field loses to the hourly rate in the text (Remotive)
        (Pay(31200, 52000, "USD", "year"), Pay(15, 25, "USD", "hour", period_written=True), "text"),
        # a complete structured field keeps its own currency twin (Jobicy CAD vs USD text)
        (Pay(36000, 44000, "CAD", "year", period_written=True),
         Pay(27000, 32000, "USD", "year", period_written=True), "field"),
        # text without a written period never overrides
        (Pay(55000, 100000, "USD", "year"), Pay(55000, 100000, "USD", "year"), "field"),
        (None, Pay(1, 2, "USD", "hour", period_written=True), "text"),
        (Pay(1, 2, "USD", "hour", period_written=True), None, "field"),
    ],
)  # fmt: skip
def test_choose_lets_an_explicit_rate_in_the_text_win(field: Pay | None, text: Pay | None,
                                                      winner: str) -> None:  # fmt: skip
    assert choose(field, text) is (field if winner == "field" else text)


# --- the step -----------------------------------------------------------------------------------


def test_step_uses_the_structured_field_and_records_provenance() -> None:
    draft = _draft(salary={"min": 140000, "max": 160000, "currency": "USD",
                           "interval": "per-year-salary"})  # fmt: skip
    assert list(compensation.step(draft)) == []
    assert draft.posting["compensation"] == {
        "min": 140000, "max": 160000, "currency": "USD", "period": "year", "text": None,
    }  # fmt: skip
    assert draft.provenance["compensation"] == "source:salary"


def test_step_reads_a_json_string_of_a_structured_salary() -> None:
    draft = _draft(salary=json.dumps(ASHBY_UK_IE_PL), location="Poland | United Kingdom")
    list(compensation.step(draft))
    assert _parts(Pay(**draft.posting["compensation"])) == (276000, 342000, "PLN", "year")


def test_step_prefers_an_explicit_hourly_rate_in_the_text() -> None:
    draft = _draft(
        salary={"salary_min": 50000, "salary_max": 90000},
        description="<p>Great team.</p><p>$9 - $11 an hour</p>",
    )
    assert list(compensation.step(draft)) == ["salary/text_wins"]
    assert _parts(Pay(**draft.posting["compensation"])) == (9, 11, "USD", "hour")
    assert draft.provenance["compensation"] == "text"


def test_step_reads_the_description_when_there_is_no_field() -> None:
    draft = _draft(
        description="<p>The pay range for this role is $100,000 - $150,000 annually.</p>"
    )
    list(compensation.step(draft))
    assert draft.posting["compensation"]["text"] == "$100,000 - $150,000 annually"
    assert draft.provenance["compensation"] == "text"


def test_step_counts_a_salary_text_it_cannot_parse() -> None:
    draft = _draft(salary="Competitive")
    assert list(compensation.step(draft)) == ["salary/unparsed"]
    assert draft.posting["compensation"] is None
    assert "compensation" not in draft.provenance


def test_step_reads_a_salary_fact() -> None:
    draft = _draft(facts={"Salary": "$150,000 – $180,000 USD per year"})
    list(compensation.step(draft))
    assert _parts(Pay(**draft.posting["compensation"])) == (150000, 180000, "USD", "year")
    assert draft.provenance["compensation"] == "facts:Salary"


def test_a_structured_salary_without_currency_gets_none_unless_the_source_documents_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    draft = _draft(source="remoteok", salary={"salary_min": 60000, "salary_max": 90000})
    list(compensation.step(draft))
    assert draft.posting["compensation"]["currency"] == "USD"  # RemoteOK's documented convention
    monkeypatch.setattr(compensation, "conventions", lambda source: {})
    list(compensation.step(draft))
    assert draft.posting["compensation"]["currency"] is None


def test_step_leaves_dollar_unresolved_for_a_posting_limited_to_canada() -> None:
    draft = _draft(description="<p>Salary: $100,000 - $120,000 per year</p>")
    draft.eligibility["countries"] = ["CA"]
    list(compensation.step(draft))
    assert draft.posting["compensation"]["currency"] is None


# --- robustness and the gold set ----------------------------------------------------------------

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=15), children, max_size=5)
    ),
    max_leaves=20,
)
_KEYS = st.sampled_from(["min", "max", "minValue", "maxValue", "currency", "interval",
                         "salaryComponents", "compensationTiers", "value", "pay_input_ranges", "payRangeDetails",
                         "salary_min", "salary_max", "salaryPeriod", "@type"])  # fmt: skip


@given(st.text(max_size=200))
def test_text_pay_never_raises(text: str) -> None:
    text_pay(text)
    text_pay(text, salary_field=True)


@given(st.dictionaries(_KEYS, _JSON, max_size=6) | _JSON, st.lists(st.text(max_size=20)))
def test_structured_pay_never_raises(data: Any, locations: list[str]) -> None:
    structured_pay(data, locations)


def _gold(shared: Path) -> list[dict[str, Any]]:
    path = shared / "gold" / "dev.jsonl"
    if not path.is_file():
        pytest.skip("no gold set")
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def test_gold_salary_floor(shared: Path) -> None:
    from jobsift.pipelines.chain import normalize_payload

    records = _gold(shared)
    right = 0
    for record in records:
        posting = normalize_payload(dict(record["input"]), now=FETCHED_AT)
        gold = record["gold"]["salary"]
        ours = getattr(posting, "compensation", None)
        mine = (
            None
            if ours is None
            else {k: getattr(ours, k) for k in ("min", "max", "currency", "period")}
        )
        right += mine == gold
    assert right / len(records) >= 0.9
