"""Sections step (placeholder: being written)."""

from __future__ import annotations

from collections.abc import Iterable

from pipelines.base import StepPipeline
from pipelines.draft import Draft


def step(draft: Draft) -> Iterable[str]:
    return ()


class SectionsPipeline(StepPipeline):
    step = staticmethod(step)
