"""Run the eligibility step on one small raw posting (shared by the eligibility test modules)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jobsift.pipelines.draft import Draft
from jobsift.pipelines.eligibility.step import step
from jobsift.pipelines.prepare import prepare


@dataclass
class Result:
    eligibility: dict[str, Any]
    work_setting: str | None
    provenance: dict[str, str]
    events: list[str]

    def __getattr__(self, name: str) -> Any:
        return self.eligibility[name]


def run_draft(draft: Draft) -> Result:
    events = list(step(draft))
    return Result(
        draft.posting["eligibility"],
        draft.posting["overview"]["work_setting"],
        draft.provenance,
        events,
    )


def run(description: str = "", **raw: Any) -> Result:
    """The step on one raw posting with a title; plain text becomes one HTML paragraph."""
    if description and "<" not in description:
        description = f"<p>{description}</p>"
    draft = prepare({"title": "Engineer", "description": description, **raw})
    assert isinstance(draft, Draft)
    return run_draft(draft)


def run_text(text: str, **raw: Any) -> Result:
    """The step on a text-only posting, fed as the evaluator feeds dev-text.jsonl."""
    payload = {"source": "text", "source_id": "t-1", "url": "https://example.com/t-1"}
    draft = prepare({**payload, "description": text, **raw})
    assert isinstance(draft, Draft)
    return run_draft(draft)
