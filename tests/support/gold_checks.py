"""The gold checks every spider test module runs, written once.

A spider's test module subclasses `GoldChecks` as `TestGold`, names its gold records and provides
the fixture `gold_item`: a function from a gold record to the raw posting the spider made of the
record's capture. The checks: every raw field equals gold `input` (in `gold.input_form`), every
label of the normalized posting equals gold, and `posted_at` is the instant the test names.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar

import pytest

from tests.support import gold

ItemOf = Callable[[gold.Record], dict[str, Any]]


class GoldChecks:
    # gold record id -> posted_at in UTC (None: not checked)
    GOLD: ClassVar[dict[str, datetime | None]] = {}
    # raw fields compared with gold `input` (empty: every key of the record's input)
    RAW_FIELDS: ClassVar[tuple[str, ...]] = ()
    LABELS: ClassVar[tuple[str, ...]] = gold.CORE_LABELS

    @classmethod
    def pytest_generate_tests(cls, metafunc: pytest.Metafunc) -> None:
        names = metafunc.fixturenames
        if "raw_field" in names:
            fields = cls.RAW_FIELDS or ("*",)
            metafunc.parametrize(("record_id", "raw_field"), gold.field_cases(cls.GOLD, fields))
        elif "label" in names:
            metafunc.parametrize(("record_id", "label"), gold.field_cases(cls.GOLD, cls.LABELS))
        elif "posted_at" in names:
            cases = [pytest.param(r, at, id=r) for r, at in cls.GOLD.items() if at is not None]
            metafunc.parametrize(("record_id", "posted_at"), cases)

    def expected_input(self, record: gold.Record) -> dict[str, Any]:
        """Gold `input` as this spider must emit it (a subclass may state a documented change)."""
        return gold.input_of(record)

    def test_raw_field_equals_gold_input(
        self, record_id: str, raw_field: str, gold_item: ItemOf
    ) -> None:
        record = gold.record(record_id)
        expected = self.expected_input(record)
        if raw_field != "*":
            expected = {raw_field: expected.get(raw_field)}
        assert gold.as_input(gold_item(record), expected) == expected

    def test_normalized_label_equals_gold(
        self, record_id: str, label: str, gold_item: ItemOf
    ) -> None:
        record = gold.record(record_id)
        assert gold.field(gold.normalized(gold_item(record)), label) == record["gold"][label]

    def test_normalized_posted_at(
        self, record_id: str, posted_at: datetime, gold_item: ItemOf
    ) -> None:
        item = gold_item(gold.record(record_id))
        assert gold.normalized(item).overview.posted_at == posted_at
