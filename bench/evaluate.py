"""Scores the normalization chain against a hand-labelled gold file
(JSON lines, the maintainers' gold format; not shipped).

    python bench/evaluate.py GOLD.jsonl [--rendering html|plain|markdown|all] [--field NAME]
                                        [--show-errors] [--json]

Every record's `input` goes through `pipelines.chain.normalize_payload`; the output is compared with
`gold` field by field. A rejected record counts as wrong on every field and is listed. Records of
the text-only format (a `text` instead of an `input`) are fed as `{"source": "text", "source_id",
"url", "description": text}`. Records with an `input` are scored once per rendering of their
description (`bench/render.py`: as given, as plain lines, as markdown); one table per rendering.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ftfy

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from jobsift.pipelines.chain import normalize_payload  # noqa: E402
from jobsift.schemas import Reject  # noqa: E402

from bench.gold_regions import region_code_function as _region_code_function  # noqa: E402
from bench.render import RENDERINGS, render  # noqa: E402

# Fields scored by plain equality: gold key -> getter on the output posting (a dict).
SCALAR_FIELDS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "title": lambda p: p["overview"]["title"],
    "company": lambda p: p["overview"]["company"],
    "work_setting": lambda p: p["overview"]["work_setting"],
    "worldwide": lambda p: p["eligibility"]["worldwide"],
    "timezone": lambda p: p["eligibility"]["timezone"],
    "visa_sponsorship": lambda p: p["eligibility"]["visa_sponsorship"],
    "employment_type": lambda p: p["overview"]["employment_type"],
    "seniority": lambda p: p["overview"]["seniority"],
    "years_experience_min": lambda p: p["requirements"]["years_experience_min"],
    "salary": lambda p: p["compensation"],
}
SET_FIELDS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "countries": lambda p: p["eligibility"]["countries"],
    "regions": lambda p: p["eligibility"]["regions"],
    "us_states": lambda p: p["eligibility"]["us_states"],
    "work_authorization_required": lambda p: p["eligibility"]["work_authorization"],
}
LIST_FIELDS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "responsibilities": lambda p: p["overview"]["responsibilities"],
    "requirements_minimum": lambda p: p["requirements"]["minimum"],
    "requirements_preferred": lambda p: p["requirements"]["preferred"],
}
ALL_FIELDS = [*SCALAR_FIELDS, *SET_FIELDS, *LIST_FIELDS]

_SPACE = re.compile(r"\s+")
# Bullet markers a labeller strips: "•", "-", "*", mojibake "â€¢", "·", "▪", "1.".
_BULLET = re.compile(r"^(?:â€¢|[•·▪●◦‣\-*–—]|\d{1,2}[.)](?=\s))\s*")
# Markdown emphasis and backslash escapes, ignored on both sides (gold README, text-only format).
_EMPHASIS = re.compile(r"\*\*|__|\\(?=[\\`*_{}\[\]()#+\-.!|<>~])")
# Mojibake is folded on both sides: the reader repairs it (issue 8), dev.jsonl gold keeps it.
_MOJIBAKE = re.compile(r"[ÂÃâ][\x80-\xbf€™œ¢žŸ…‚ƒ„†‡ˆ‰Š‹ŒŽ‘’“”•–—˜š›]")


def _fold_mojibake(text: str) -> str:
    if not _MOJIBAKE.search(text):
        return text
    return ftfy.fix_encoding(text)


def normalize_item(text: str) -> str:
    """Whitespace-collapsed item without a leading bullet marker, markdown emphasis, backslash
    escapes or mojibake (the gold README's comparison)."""
    text = _EMPHASIS.sub("", _fold_mojibake(text))
    return _BULLET.sub("", _SPACE.sub(" ", text).strip()).strip()


@dataclass
class Counts:
    correct: int = 0
    total: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    hallucination_slots: int = 0  # gold null/empty/false
    hallucinated: int = 0

    def ratio(self) -> float | None:
        return self.correct / self.total if self.total else None

    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    def f1(self) -> float | None:
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else None


@dataclass
class Mismatch:
    record_id: str
    field: str
    gold: Any
    output: Any


@dataclass
class Report:
    records: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    counts: dict[str, Counts] = field(default_factory=lambda: {f: Counts() for f in ALL_FIELDS})
    # (gold list, output list) -> items placed there instead (list confusion).
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)
    mismatches: list[Mismatch] = field(default_factory=list)

    def hallucination_rate(self) -> float | None:
        slots = sum(c.hallucination_slots for c in self.counts.values())
        wrong = sum(c.hallucinated for c in self.counts.values())
        return wrong / slots if slots else None


def _is_empty(value: Any) -> bool:
    return value is None or value is False or value == [] or value == {} or value == ""


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _salary_key(value: dict[str, Any] | None) -> tuple[Any, ...] | None:
    if not value:
        return None
    return (
        _number(value.get("min")),
        _number(value.get("max")),
        value.get("currency"),
        value.get("period"),
    )


def _timezone_key(value: dict[str, Any] | None) -> tuple[float, float] | None:
    if not value:
        return None
    return (float(value["min_utc_offset"]), float(value["max_utc_offset"]))


def _scalar_key(name: str, value: Any) -> Any:
    if name == "salary":
        return _salary_key(value)
    if name == "timezone":
        return _timezone_key(value)
    if name == "years_experience_min":
        return _number(value)
    return value


def _gold_set(name: str, gold: list[str], region_code: Callable[[str], str | None]) -> set[str]:
    if name != "regions":
        return set(gold)
    return {region_code(word) or f"?{word}" for word in gold}


def record_payload(record: dict[str, Any], rendering: str = "html") -> dict[str, Any]:
    """The raw posting a record stands for, its description in `rendering`."""
    if "input" not in record and "text" in record:  # the text-only format
        return {
            "source": "text",
            "source_id": record["id"],
            "url": record.get("url"),
            "description": record["text"],
        }
    payload = record["input"]
    if rendering == "html" or not isinstance(payload, dict):
        return payload
    return payload | {"description": render(payload.get("description"), rendering)}


def is_text_only(records: list[dict[str, Any]]) -> bool:
    return bool(records) and all("input" not in r and "text" in r for r in records)


def _score_record(
    record: dict[str, Any], report: Report, region_code: Callable, rendering: str = "html"
) -> None:
    gold = record["gold"]
    record_id = record["id"]
    result = normalize_payload(record_payload(record, rendering))
    rejected = isinstance(result, Reject)
    if rejected:
        report.rejected.append((record_id, result.reason))
        posting: dict[str, Any] | None = None
    else:
        posting = result.model_dump(mode="json")

    def note(name: str, gold_value: Any, output: Any, ok: bool) -> None:
        counts = report.counts[name]
        counts.total += 1
        counts.correct += ok
        if _is_empty(gold_value):
            counts.hallucination_slots += 1
            counts.hallucinated += (not rejected) and not _is_empty(output)
        if not ok:
            report.mismatches.append(Mismatch(record_id, name, gold_value, output))

    for name, getter in SCALAR_FIELDS.items():
        output = None if posting is None else getter(posting)
        ok = posting is not None and _scalar_key(name, gold[name]) == _scalar_key(name, output)
        note(name, gold[name], output, ok)

    for name, getter in SET_FIELDS.items():
        expected = _gold_set(name, gold[name], region_code)
        output = set() if posting is None else set(getter(posting))
        counts = report.counts[name]
        counts.tp += len(expected & output)
        counts.fp += len(output - expected)
        counts.fn += len(expected - output)
        note(name, sorted(expected), sorted(output), posting is not None and expected == output)

    outputs = {
        name: [] if posting is None else [normalize_item(i) for i in getter(posting)]
        for name, getter in LIST_FIELDS.items()
    }
    for name in LIST_FIELDS:
        expected = [normalize_item(i) for i in gold[name]]
        output = outputs[name]
        remaining = list(output)
        tp = 0
        missed: list[str] = []
        for item in expected:
            if item in remaining:
                remaining.remove(item)
                tp += 1
            else:
                missed.append(item)
                for other in LIST_FIELDS:
                    if other != name and item in outputs[other]:
                        key = (name, other)
                        report.confusion[key] = report.confusion.get(key, 0) + 1
        counts = report.counts[name]
        counts.tp += tp
        counts.fp += len(remaining)
        counts.fn += len(missed)
        ok = posting is not None and not missed and not remaining
        note(name, gold[name], output, ok)
        if not ok and report.mismatches and report.mismatches[-1].field == name:
            report.mismatches[-1] = Mismatch(
                record_id, name, {"missed": missed}, {"extra": remaining}
            )


def evaluate(records: Iterable[dict[str, Any]], rendering: str = "html") -> Report:
    report = Report()
    region_code = _region_code_function()
    for record in records:
        report.records += 1
        _score_record(record, report, region_code, rendering)
    return report


def load_gold(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _pct(value: float | None) -> str:
    return "   -  " if value is None else f"{100 * value:5.1f}%"


def summary(report: Report) -> dict[str, Any]:
    """Machine-readable metrics: one entry per field plus the hallucination rate."""
    fields: dict[str, Any] = {}
    for name, counts in report.counts.items():
        entry: dict[str, Any] = {"accuracy": counts.ratio(), "n": counts.total}
        if name in SET_FIELDS or name in LIST_FIELDS:
            entry |= {"precision": counts.precision(), "recall": counts.recall()}
        if name in LIST_FIELDS:
            entry |= {"f1": counts.f1(), "tp": counts.tp, "fp": counts.fp, "fn": counts.fn}
        fields[name] = entry
    return {
        "records": report.records,
        "rejected": [{"id": i, "reason": r} for i, r in report.rejected],
        "fields": fields,
        "hallucination_rate": report.hallucination_rate(),
        "hallucination_slots": sum(c.hallucination_slots for c in report.counts.values()),
        "list_confusion": {f"{g}->{o}": n for (g, o), n in sorted(report.confusion.items())},
    }


def render_table(report: Report) -> str:
    lines = [
        f"records: {report.records}   rejected: {len(report.rejected)}",
        "list items match exactly after whitespace collapse and dropping bullet markers,"
        " emphasis and escapes",
        "",
        f"{'field':<30} {'exact':>7} {'prec':>7} {'recall':>7} {'F1':>7} {'halluc':>9}",
    ]
    for name, counts in report.counts.items():
        has_pr = name in SET_FIELDS or name in LIST_FIELDS
        precision = _pct(counts.precision()) if has_pr else "      "
        recall = _pct(counts.recall()) if has_pr else "      "
        f1 = _pct(counts.f1()) if name in LIST_FIELDS else "      "
        halluc = f"{counts.hallucinated}/{counts.hallucination_slots}"
        lines.append(
            f"{name:<30} {_pct(counts.ratio()):>7} {precision:>7} {recall:>7} {f1:>7} {halluc:>9}"
        )
    lines.append("")
    lines.append(
        f"hallucination rate (gold null/empty/false, output set): "
        f"{_pct(report.hallucination_rate()).strip()}"
    )
    if report.confusion:
        pairs = ", ".join(f"{g}->{o}: {n}" for (g, o), n in sorted(report.confusion.items()))
        lines.append(f"list confusion (gold list -> output list): {pairs}")
    for record_id, reason in report.rejected:
        lines.append(f"REJECTED {record_id}: {reason}")
    return "\n".join(lines)


def render_errors(report: Report, only: str | None) -> str:
    lines = []
    for m in report.mismatches:
        if only and m.field != only:
            continue
        gold = json.dumps(m.gold, ensure_ascii=False)
        output = json.dumps(m.output, ensure_ascii=False)
        lines.append(f"{m.record_id} {m.field}\n    gold:   {gold}\n    output: {output}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path, help="hand-labelled gold JSON lines")
    parser.add_argument("--field", choices=ALL_FIELDS, help="show mismatches of this field only")
    parser.add_argument("--show-errors", action="store_true", help="print per-record mismatches")
    parser.add_argument("--json", action="store_true", help="print a JSON summary instead")
    parser.add_argument(
        "--rendering",
        choices=[*RENDERINGS, "all"],
        default="all",
        help="description rendering(s) to score (default all; text-only records: as given)",
    )
    args = parser.parse_args(argv)
    records = load_gold(args.gold)
    if is_text_only(records):
        renderings = ["text"]
    elif args.rendering == "all":
        renderings = list(RENDERINGS)
    else:
        renderings = [args.rendering]
    reports = {name: evaluate(records, "html" if name == "text" else name) for name in renderings}
    if args.json:
        summaries = {name: summary(report) for name, report in reports.items()}
        # the first rendering's summary at the top level, every rendering's under "renderings"
        print(json.dumps(summaries[renderings[0]] | {"renderings": summaries}, indent=2))
        return 0
    for index, (name, report) in enumerate(reports.items()):
        if index:
            print()
        print(f"=== {args.gold.name}: {_RENDERING_TITLES[name]} ===")
        if args.show_errors or args.field:
            print(render_errors(report, args.field))
            print()
        print(render_table(report))
    return 0


_RENDERING_TITLES = {
    "html": "description as given (html)",
    "plain": "description rendered as plain lines",
    "markdown": "description rendered as markdown",
    "text": "text-only records, text fed as the description",
}


if __name__ == "__main__":
    raise SystemExit(main())
