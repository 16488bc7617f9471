"""Issue 9: eligibility reads a long run of one word in time linear in its length.

Each input repeats a cue word a few thousand times: a reader that re-read the rest of the run
(or of the unit) at every hit would take seconds here. The cases check what is read, not time.
"""

from __future__ import annotations

import pytest
from jobsift.pipelines.chain import normalize_payload
from jobsift.schemas import Posting


@pytest.mark.parametrize(
    ("description", "setting", "states"),
    [
        ("Hybrid" * 3000, "hybrid", []),
        ("Hybrid" * 3000 + " role. This is a hybrid role.", "hybrid", []),
        ("Remote" * 3000, "remote", []),
        ("Remote - " * 3000, "remote", []),
        ("Location: " * 3000, None, []),
        ("Berlin, " * 3000, None, []),
        ("US " * 3000, None, []),
        ("residents of " * 1500, None, []),
        ("residents of " * 1500 + "AZ, CO and TX.", None, ["AZ", "CO", "TX"]),
        ("3 days a week in the office. " * 1500, "hybrid", []),
    ],
    ids=[
        "hybrid-run",
        "hybrid-run-then-role",
        "remote-run",
        "remote-dash",
        "location-labels",
        "city-list",
        "codes",
        "residents-of",
        "residents-of-then-states",
        "office-days",
    ],
)
def test_long_runs_of_one_word(description: str, setting: str | None, states: list[str]) -> None:
    posting = normalize_payload({"source": "x", "description": description})
    assert isinstance(posting, Posting)
    assert posting.overview.work_setting == setting
    assert posting.eligibility.us_states == states
    assert posting.eligibility.countries == []
