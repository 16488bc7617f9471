"""Salary in every written form: periods, currencies other than $ € £, what "$" means, figures
that cannot be pay (not stored, counted, explained), and scans that stay bounded."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from jobsift.pipelines.compensation import step as compensation
from jobsift.pipelines.compensation.text import Pay, implausible, inferred_period, text_pay
from jobsift.pipelines.draft import Draft
from jobsift.pipelines.prepare import prepare

FETCHED_AT = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _parts(pay: Pay | None) -> tuple[Any, ...] | None:
    return None if pay is None else (pay.min, pay.max, pay.currency, pay.period)


def _step(**raw: Any) -> tuple[Draft, list[str]]:
    draft = prepare({"title": "Engineer", "fetched_at": FETCHED_AT.isoformat(), **raw})
    assert isinstance(draft, Draft)
    return draft, list(compensation.step(draft))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Salary: $8,000 USD / month", (8000, 8000, "USD", "month")),
        ("Salário: R$ 4.000 a 5.000 por mês", (4000, 5000, "BRL", "month")),
        ("Salary €5,700 – €6,000 per month", (5700, 6000, "EUR", "month")),
        ("Rate: 50 – 100 €/hr", (50, 100, "EUR", "hour")),
        ("$1500USD ~ $3000USD month", (1500, 3000, "USD", "month")),
        ("Gehalt: 85.000 CHF pro Jahr", (85000, 85000, "CHF", "year")),
        ("Wynagrodzenie: 15 000 zł per month", (15000, 15000, "PLN", "month")),
        ("CTC ₹12,00,000 per annum", (1200000, 1200000, "INR", "year")),
        ("Salary: 120,000 SEK per year", (120000, 120000, "SEK", "year")),
        ("salary 73.000.000 VND/month", (73000000, 73000000, "VND", "month")),
        ("Os salários variam entre CAD$100.000,00 e CAD$120.000,00 por ano",
         (100000, 120000, "CAD", "year")),
        ("25EUR Lohn pro Stunde", (25, 25, "EUR", "hour")),
        ("Rémunération mensuelle : 600 euros environ", (600, 600, "EUR", "month")),
        ("Sueldo: $15,000 - $20,000 MXN", (15000, 20000, "MXN", "month")),
        ("Salario: 3.000 € al mes", (3000, 3000, "EUR", "month")),
        ("Pago: $20 por hora", (20, 20, "USD", "hour")),
    ],
)  # fmt: skip
def test_periods_and_currencies_in_every_form(text: str, expected: tuple) -> None:
    assert _parts(text_pay(text)) == expected


@pytest.mark.parametrize(
    ("low", "high", "currency", "period"),
    [
        (150000, 180000, "USD", "year"),  # annual-looking
        (60000, 80000, None, "year"),  # no currency: as written
        (4000, 5000, "BRL", "month"),  # too small for a year's pay in reais
        (15000, 20000, "MXN", "month"),
        (4000, 4000, "USD", None),  # a month or a year: ambiguous, left null
        (100, 100, "USD", None),
        (25, 25, None, None),
    ],
)
def test_a_period_is_inferred_only_when_unambiguous(
    low: float, high: float, currency: str | None, period: str | None
) -> None:
    assert inferred_period(low, high, currency) == period


@pytest.mark.parametrize(
    ("pay", "reason"),
    [
        (Pay(75.0, 95.0, "USD", "year"), "outside"),
        (Pay(0.55, 0.55, "USD", None), "outside"),
        (Pay(100000.0, 50000.0, "USD", "year"), "minimum 100000 above maximum 50000"),
        (Pay(0.0, 0.0, "USD", "year"), "not positive"),
        (Pay(-5.0, 10.0, "USD", "hour"), "not positive"),
        (Pay(5_000_000.0, 5_000_000.0, "USD", "hour"), "outside"),
    ],
)
def test_implausible_pay_says_why(pay: Pay, reason: str) -> None:
    assert reason in (implausible(pay) or "")


@pytest.mark.parametrize(
    "pay",
    [
        Pay(0.0, 123000.0, "USD", "year"),  # a data-entry quirk recorded as given (gold rule)
        Pay(24.04, 24.04, "USD", "hour"),
        Pay(73_000_000.0, 73_000_000.0, "VND", "month"),
        Pay(4000.0, 5000.0, "BRL", "month"),
        Pay(100.0, 100.0, None, None),
    ],
)
def test_plausible_pay_is_kept(pay: Pay) -> None:
    assert implausible(pay) is None


@pytest.mark.parametrize(
    ("salary", "why"),
    [
        ({"min": 75.0, "max": 95.0, "currency": "USD", "interval": "per-year-salary"}, "outside"),
        ("$0.55 per task", "outside"),
        ("$100k-$50k", "above maximum"),
    ],
)
def test_an_implausible_salary_is_not_stored_but_counted_and_explained(
    salary: Any, why: str
) -> None:
    draft, events = _step(salary=salary)
    assert draft.posting["compensation"] is None
    assert "salary/implausible" in events
    assert draft.provenance["compensation"].startswith("not stored (source:salary)")
    assert why in draft.provenance["compensation"]


def test_a_labelled_salary_line_of_a_text_only_posting() -> None:
    draft, _ = _step(title=None, description="Admin Assistant\nSalary : $15.00/HR\nApply now.")
    assert _parts(Pay(**{**draft.posting["compensation"], "text": None})) == (
        15,
        15,
        "USD",
        "hour",
    )
    assert draft.provenance["compensation"] == "text:Salary"


def test_dollar_follows_the_one_dollar_currency_the_posting_names() -> None:
    draft, _ = _step(description="<p>Salary: $100,000 - $120,000 per year, paid in CAD.</p>")
    assert draft.posting["compensation"]["currency"] == "CAD"
    draft, _ = _step(description="<p>Salary: $100,000 per year (USD or CAD).</p>")
    assert draft.posting["compensation"]["currency"] == "USD"


def test_a_source_currency_convention_comes_from_sources_toml() -> None:
    draft, _ = _step(source="remoteok", salary={"salary_min": 60000, "salary_max": 90000})
    assert draft.posting["compensation"]["currency"] == "USD"
    draft, _ = _step(source="arbeitnow", salary={"salary_min": 60000, "salary_max": 90000})
    assert draft.posting["compensation"]["currency"] is None


@pytest.mark.parametrize(
    "text",
    ["$1," * 20_000, "$1 " * 20_000, "€" * 50_000, "USD " * 20_000, "Salary: " + "9" * 50_000],
)
def test_long_adversarial_texts_are_read_without_stalling(text: str) -> None:
    # Moderate sizes: the old quadratic window scan took minutes on these.
    pay = text_pay(text)
    assert pay is None or pay.min is None or pay.min >= 0
