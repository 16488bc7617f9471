"""The HTML form of `jobsift report`: one self-contained file (inline CSS and SVG, no script, nothing
fetched), a section per source with two small charts (postings per run, fill rates) and its runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from html import escape
from itertools import groupby

from jobsift.pipelines.storage.health import RunHealth
from jobsift.schemas.ddl import HEALTH_FIELDS

WIDTH, HEIGHT, PAD = 360, 140, 28
STATUS_COLOURS = {
    "finished": "#4c78a8",
    "degraded": "#f58518",
    "failed": "#e45756",
    "interrupted": "#9d755d",
    "running": "#bab0ac",
}
FILL_COLOURS = dict(
    zip(
        HEALTH_FIELDS,
        ("#4c78a8", "#f58518", "#54a24b", "#b279a2", "#e45756", "#72b7b2"),
        strict=True,
    )
)
STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
section { margin-bottom: 2.5em; }
h2 .status { font-size: 0.7em; padding: 0.1em 0.5em; border-radius: 0.3em; color: #fff; }
.charts { display: flex; flex-wrap: wrap; gap: 2em; }
figure { margin: 0; } figcaption { font-size: 0.85em; color: #555; }
table { border-collapse: collapse; margin-top: 1em; font-size: 0.85em; }
th, td { padding: 0.2em 0.6em; border-bottom: 1px solid #ddd; text-align: right; }
td.text, th.text { text-align: left; }
tr.degraded td { background: #fff3e6; } tr.failed td { background: #fdecec; }
svg text { font: 10px system-ui, sans-serif; fill: #555; }
.legend span { display: inline-block; margin-right: 1em; font-size: 0.85em; }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 0.3em; }
"""


def _x(index: int, count: int) -> float:
    step = (WIDTH - 2 * PAD) / max(count, 1)
    return PAD + step * index + step / 2


def _y(fraction: float) -> float:
    return HEIGHT - PAD + (2 * PAD - HEIGHT) * fraction


def _axes(top_label: str) -> list[str]:
    return [
        f'<line x1="{PAD}" y1="{_y(0)}" x2="{WIDTH - PAD}" y2="{_y(0)}" stroke="#999"/>',
        f'<line x1="{PAD}" y1="{_y(0)}" x2="{PAD}" y2="{_y(1)}" stroke="#999"/>',
        f'<text x="{PAD - 4}" y="{_y(1) + 4}" text-anchor="end">{escape(top_label)}</text>',
        f'<text x="{PAD - 4}" y="{_y(0) + 4}" text-anchor="end">0</text>',
    ]


def _run_labels(runs: list[RunHealth]) -> list[str]:
    """The date of the first and the last run under the x axis."""
    ends = sorted({0, len(runs) - 1}) if runs else []
    return [
        f'<text x="{_x(i, len(runs)):.1f}" y="{_y(0) + 14}" text-anchor="middle">'
        f"{escape(_when(runs[i]))}</text>"
        for i in ends
    ]


def _svg(parts: Iterable[str], title: str) -> str:
    body = "".join(parts)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def postings_chart(runs: list[RunHealth]) -> str:
    """Bars of postings per run, coloured by status (degraded orange, failed red)."""
    top = max([run.scraped for run in runs] + [1])
    width = (WIDTH - 2 * PAD) / max(len(runs), 1) * 0.7
    parts = _axes(str(top)) + _run_labels(runs)
    for index, run in enumerate(runs):
        x, y = _x(index, len(runs)) - width / 2, _y(run.scraped / top)
        colour = STATUS_COLOURS.get(run.status, "#bab0ac")
        label = f"{_when(run)}: {run.scraped} postings, {run.status}"
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{_y(0) - y:.1f}" '
            f'fill="{colour}"><title>{escape(label)}</title></rect>'
        )
        parts.append(
            f'<text x="{x + width / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle">{run.scraped}</text>'
        )
    return _svg(parts, "postings per run")


def fill_chart(runs: list[RunHealth]) -> str:
    """One line per key field: its fill rate (0 to 100%) run after run."""
    parts = _axes("100%") + _run_labels(runs)
    for name in HEALTH_FIELDS:
        points = [
            (_x(index, len(runs)), _y(run.fills[name]))
            for index, run in enumerate(runs)
            if run.fills[name] is not None
        ]
        if not points:
            continue
        colour = FILL_COLOURS[name]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2">'
            f"<title>{escape(name)}</title></polyline>"
        )
        parts.extend(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>' for x, y in points
        )
    return _svg(parts, "fill rates of the key fields")


def _when(run: RunHealth) -> str:
    return f"{run.started_at:%Y-%m-%d %H:%M}" if run.started_at else run.run_id


def _cell(value: object, text: bool = False) -> str:
    shown = "" if value is None else str(value)
    return f'<td class="text">{escape(shown)}</td>' if text else f"<td>{escape(shown)}</td>"


def runs_table(runs: list[RunHealth]) -> str:
    heads = ["started (UTC)", "status", "postings", "new", "updated", "unchanged", "closed"]
    heads += ["rejected", *HEALTH_FIELDS, "reasons"]
    head = "".join(
        f'<th class="text">{escape(h)}</th>'
        if h in ("started (UTC)", "status", "reasons")
        else f"<th>{escape(h)}</th>"
        for h in heads
    )
    rows = []
    for run in reversed(runs):  # newest first
        counts = (run.scraped, run.new, run.updated, run.unchanged, run.closed, run.rejected)
        fills = (
            "" if run.fills[n] is None else f"{run.fills[n] * 100:.0f}%" for n in HEALTH_FIELDS
        )
        cells = [_cell(_when(run), True), _cell(run.status, True)]
        cells += [_cell(c) for c in counts] + [_cell(f) for f in fills]
        cells.append(_cell(run.reasons, True))
        rows.append(f'<tr class="{escape(run.status)}">{"".join(cells)}</tr>')
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def _legend() -> str:
    items = "".join(
        f'<span><i style="background:{colour}"></i>{escape(name)}</span>'
        for name, colour in FILL_COLOURS.items()
    )
    return f'<div class="legend">{items}</div>'


def source_section(source: str, runs: list[RunHealth]) -> str:
    latest = runs[-1]
    colour = STATUS_COLOURS.get(latest.status, "#bab0ac")
    badge = f'<span class="status" style="background:{colour}">{escape(latest.status)}</span>'
    why = f"<p><strong>Latest run:</strong> {escape(latest.reasons)}</p>" if latest.reasons else ""
    return (
        f'<section><h2>{escape(source)} {badge}</h2>{why}<div class="charts">'
        f"<figure>{postings_chart(runs)}<figcaption>postings per run (orange: degraded, red: "
        "failed)</figcaption></figure>"
        f"<figure>{fill_chart(runs)}<figcaption>fill rate of the key fields</figcaption>"
        f"{_legend()}</figure></div>{runs_table(runs)}</section>"
    )


def render_html(runs: list[RunHealth], database: str) -> str:
    """The whole report: `runs` ordered by source, then oldest first."""
    sections = [
        source_section(source, list(group)) for source, group in groupby(runs, lambda r: r.source)
    ]
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = "".join(sections) or "<p>No runs recorded yet.</p>"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>jobsift source health</title>"
        f"<style>{STYLE}</style></head><body><h1>jobsift source health</h1>"
        f"<p>{escape(database)}, {made}</p>{body}</body></html>\n"
    )
