"""The audit report: one self-contained HTML page of charts drawn from audit records.

:class:`Tally` counts what the report shows as records stream in (so a large
audit is never held in memory): findings per rule, per severity and per
folder, the share of critical units lacking an impact or a next step, the most
flagged phrases, and the worst documents with their findings. :func:`render`
turns it into a page whose charts are Vega-Lite specifications built with
Vega-Altair and drawn by the Vega JavaScript bundle that ``vl-convert-python``
ships, inlined, so the page needs no network at view time.
"""

from __future__ import annotations

import heapq
import html
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Final

from .findings import Severity

if TYPE_CHECKING:
    import altair

#: How many documents, phrases and folders the report lists at most.
WORST_DOCUMENTS: Final = 20
TOP_PHRASES: Final = 15
TOP_FOLDERS: Final = 20
#: How many unreadable files the report names.
LISTED_ERRORS: Final = 50
#: Severity weights for ranking documents: an error counts as much as several infos.
_WEIGHT: Final = {"error": 5, "warning": 2, "info": 1}
_SEVERITY_ORDER: Final = [severity.value for severity in Severity]
_SEVERITY_COLOURS: Final = ["#b91c1c", "#d97706", "#2563eb"]
_SPACE = re.compile(r"\s+")


@dataclass(order=True)
class _Ranked:
    """A document in the running list of the worst: ordered by score, then path."""

    score: int
    path: str = field(compare=False)
    findings: list[dict[str, Any]] = field(compare=False)


@dataclass
class Tally:
    """The counts behind the report, added to one audit record at a time."""

    files: int = 0
    findings: int = 0
    units: int = 0
    critical_units: int = 0
    missing: Counter[str] = field(default_factory=Counter)
    by_rule: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    by_severity: Counter[str] = field(default_factory=Counter)
    by_folder: Counter[str] = field(default_factory=Counter)
    files_by_folder: Counter[str] = field(default_factory=Counter)
    phrases: Counter[str] = field(default_factory=Counter)
    errors: int = 0
    listed_errors: list[dict[str, Any]] = field(default_factory=list)
    _worst: list[_Ranked] = field(default_factory=list)

    def add(self, record: Mapping[str, Any]) -> None:
        """Count one record: a file's ``--format json`` entry or an unreadable file's error."""
        if "findings" not in record:
            self.errors += 1
            if len(self.listed_errors) < LISTED_ERRORS:
                self.listed_errors.append(dict(record))
            return
        path = str(record.get("path", ""))
        findings: list[dict[str, Any]] = list(record["findings"])
        folder = str(PurePosixPath(path.replace("\\", "/")).parent)
        self.files += 1
        self.findings += len(findings)
        self.files_by_folder[folder] += 1
        self.by_folder[folder] += len(findings)
        for finding in findings:
            self.by_rule[(finding["code"], finding["name"], finding["severity"])] += 1
            self.by_severity[finding["severity"]] += 1
            phrase = _SPACE.sub(" ", str(finding.get("text", ""))).strip().lower()
            if phrase:
                self.phrases[phrase[:80]] += 1
        for unit in record.get("units", []):
            self.units += 1
            signals = unit.get("signals", {})
            if not signals.get("criticism"):
                continue
            self.critical_units += 1
            for name in ("observation", "impact", "next-step"):
                if name in signals and not signals[name]:
                    self.missing[name] += 1
        score = sum(_WEIGHT.get(f["severity"], 1) for f in findings)
        if score:
            ranked = _Ranked(score, path, findings)
            if len(self._worst) < WORST_DOCUMENTS:
                heapq.heappush(self._worst, ranked)
            elif ranked > self._worst[0]:
                heapq.heapreplace(self._worst, ranked)

    @property
    def worst(self) -> list[_Ranked]:
        """The documents with the most (severity-weighted) findings, worst first."""
        return sorted(self._worst, key=lambda r: (-r.score, r.path))


def _bars(
    rows: Sequence[Mapping[str, Any]],
    x: str,
    y: str,
    title: str,
    *,
    colour: str | None = None,
    sort: str | list[str] = "-x",
    x_title: str | None = None,
) -> altair.Chart:
    import altair as alt

    encoding: dict[str, Any] = {
        # Counts are whole numbers: no ticks between them.
        "x": alt.X(x, title=x_title or x.split(":")[0], axis=alt.Axis(tickMinStep=1, format="d")),
        "y": alt.Y(f"{y}:N", sort=sort, title=None, axis=alt.Axis(labelLimit=360)),
        "tooltip": [
            alt.Tooltip(
                field=key, type="quantitative" if isinstance(value, (int, float)) else "nominal"
            )
            for key, value in (rows[0].items() if rows else ())
        ],
    }
    if colour == "severity":
        encoding["color"] = alt.Color(
            "severity:N",
            scale=alt.Scale(domain=_SEVERITY_ORDER, range=_SEVERITY_COLOURS),
            legend=alt.Legend(orient="bottom"),
        )
    else:
        encoding["color"] = alt.value("#4f46e5")
    height = max(60, 22 * len(rows))
    chart: altair.Chart = (
        alt.Chart(alt.Data(values=list(rows)), description=title, width=520, height=height)
        .mark_bar()
        .encode(**encoding)
    )
    return chart


def charts(tally: Tally) -> dict[str, dict[str, Any]]:
    """The Vega-Lite specification of each section's chart, by section id."""
    rules = [
        {"rule": f"{code} {name}", "severity": severity, "findings": count}
        for (code, name, severity), count in sorted(tally.by_rule.items())
    ]
    severities = [
        {"severity": severity, "findings": tally.by_severity.get(severity, 0)}
        for severity in _SEVERITY_ORDER
    ]
    folders = [
        {
            "folder": folder,
            "findings": count,
            "files": tally.files_by_folder[folder],
            "per file": round(count / max(1, tally.files_by_folder[folder]), 2),
        }
        for folder, count in tally.by_folder.most_common(TOP_FOLDERS)
    ]
    critical = max(1, tally.critical_units)
    gaps = [
        {
            "lacks": label,
            "share": round(tally.missing.get(name, 0) / critical, 4),
            "units": tally.missing.get(name, 0),
        }
        for name, label in (
            ("impact", "an impact"),
            ("next-step", "a next step"),
            ("observation", "an observation"),
        )
    ]
    phrases = [
        {"phrase": phrase, "times": count}
        for phrase, count in tally.phrases.most_common(TOP_PHRASES)
    ]
    worst = [
        {"document": ranked.path, "score": ranked.score, "findings": len(ranked.findings)}
        for ranked in tally.worst
    ]
    import altair as alt

    built = {
        "rules": _bars(rules, "findings:Q", "rule", "Findings per rule", colour="severity"),
        "severity": _bars(
            severities,
            "findings:Q",
            "severity",
            "Findings per severity",
            colour="severity",
            sort=_SEVERITY_ORDER,
        ),
        "folders": _bars(folders, "findings:Q", "folder", "Findings per folder"),
        "gaps": _bars(
            gaps,
            "share:Q",
            "lacks",
            "Critical units that lack ...",
            sort=["an impact", "a next step", "an observation"],
            x_title="share of critical units",
        ).encode(x=alt.X("share:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]))),
        "phrases": _bars(phrases, "times:Q", "phrase", "Most flagged phrases"),
        "worst": _bars(
            worst, "score:Q", "document", "Worst documents", x_title="severity-weighted findings"
        ),
    }
    return {name: chart.to_dict() for name, chart in built.items()}


def _script() -> str:
    """The page's script: Vega, Vega-Lite and vega-embed bundled with the code that draws.

    The Vega-Lite library matches the version Altair writes specifications for.
    """
    import altair as alt
    import vl_convert

    wanted = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    versions = vl_convert.get_vegalite_versions()
    bundle = vl_convert.javascript_bundle(
        _DRAW, vl_version=wanted if wanted in versions else versions[-1]
    )
    return bundle.replace("</script", "<\\/script")


def _json_script(value: object) -> str:
    """JSON safe inside a ``<script>`` element."""
    return (
        json.dumps(value, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


def _anchor(index: int) -> str:
    return f"doc-{index}"


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "n/a"


_SECTIONS: Final = (
    ("rules", "Findings per rule", "How often each rule fired, coloured by its severity."),
    ("severity", "Findings per severity", "Errors block sending; warnings ask for a second look."),
    ("folders", "Per folder", "The folders with the most findings (hover for files and the rate)."),
    (
        "gaps",
        "What critical feedback lacks",
        "Of the units that contain criticism, the share with no impact, next step or observation.",
    ),
    ("phrases", "Most flagged phrases", "The words that were flagged most often, case ignored."),
    ("worst", "Worst documents", "Errors count 5, warnings 2, infos 1; the table links to each."),
)

_STYLE: Final = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #111827; background: #f9fafb; }
header { background: #1e1b4b; color: #fff; padding: 1.2rem 2rem; }
header h1 { margin: 0 0 .3rem; font-size: 1.5rem; }
main { max-width: 1100px; margin: 0 auto; padding: 1rem 2rem 3rem; }
.figures { display: flex; flex-wrap: wrap; gap: .8rem; margin: 1rem 0; padding: 0; }
.figures li { list-style: none; background: #fff; border: 1px solid #e5e7eb;
  border-radius: 6px; padding: .6rem 1rem; min-width: 8rem; }
.figures b { display: block; font-size: 1.4rem; }
section { background: #fff; border: 1px solid #e5e7eb; border-radius: 6px;
  margin: 1rem 0; padding: .8rem 1.2rem; }
section h2 { margin: .2rem 0; font-size: 1.15rem; }
section p.note { color: #4b5563; margin: .2rem 0 .6rem; }
table { border-collapse: collapse; width: 100%; margin-top: .8rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #e5e7eb;
  vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
details { margin: .4rem 0; }
code { font-size: .9em; }
.sev-error { color: #b91c1c; } .sev-warning { color: #b45309; } .sev-info { color: #1d4ed8; }
"""

_DRAW: Final = """
for (const holder of document.querySelectorAll("script.chart-spec")) {
  const target = document.getElementById(holder.dataset.target);
  vegaEmbed(target, JSON.parse(holder.textContent), {actions: false, renderer: "svg"})
    .then(() => target.setAttribute("data-drawn", "true"))
    .catch((error) => console.error(error));
}
// A link to a document's findings opens them.
function openTarget() {
  const target = location.hash && document.getElementById(location.hash.slice(1));
  if (target && target.tagName === "DETAILS") target.open = true;
}
window.addEventListener("hashchange", openTarget);
openTarget();
"""


def _worst_table(tally: Tally) -> str:
    rows = []
    for index, ranked in enumerate(tally.worst):
        codes = Counter(f["code"] for f in ranked.findings)
        summary = ", ".join(f"{code} x{count}" for code, count in sorted(codes.items()))
        rows.append(
            f'<tr><td><a href="#{_anchor(index)}">{html.escape(ranked.path)}</a></td>'
            f'<td class="num">{ranked.score}</td><td class="num">{len(ranked.findings)}</td>'
            f"<td>{html.escape(summary)}</td></tr>"
        )
    if not rows:
        return "<p>No document has a finding.</p>"
    details = []
    for index, ranked in enumerate(tally.worst):
        items = "".join(
            f'<li><span class="sev-{html.escape(f["severity"])}">{html.escape(f["code"])}</span>'
            f" line {int(f['line'])}, column {int(f['column'])}: "
            f"{html.escape(f['message'])}</li>"
            for f in ranked.findings
        )
        details.append(
            f'<details id="{_anchor(index)}"><summary>{html.escape(ranked.path)}</summary>'
            f"<ul>{items}</ul></details>"
        )
    return (
        "<table><thead><tr><th>document</th><th>score</th><th>findings</th><th>rules</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"<h3>Findings of these documents</h3>{''.join(details)}"
    )


def _errors_list(tally: Tally) -> str:
    if not tally.errors:
        return ""
    items = "".join(
        f"<li><code>{html.escape(str(e.get('path')))}</code>: {html.escape(str(e.get('code')))} "
        f"{html.escape(str(e.get('message')))}</li>"
        for e in tally.listed_errors
    )
    more = tally.errors - len(tally.listed_errors)
    tail = f"<p>... and {more} more, listed in errors.jsonl.</p>" if more > 0 else ""
    return (
        f'<section id="errors"><h2>Unreadable files</h2><p class="note">{tally.errors} '
        f"{'file' if tally.errors == 1 else 'files'} could not be linted.</p>"
        f"<ul>{items}</ul>{tail}</section>"
    )


def render(tally: Tally, title: str = "feedback-lint audit") -> str:
    """The report page: summary figures, then one section with a chart each."""
    specs = charts(tally)
    critical = tally.critical_units
    figures = [
        ("files", str(tally.files)),
        ("findings", str(tally.findings)),
        ("per file", f"{tally.findings / tally.files:.1f}" if tally.files else "n/a"),
        ("critical units", str(critical)),
        ("lack an impact", _percent(tally.missing.get("impact", 0), critical)),
        ("lack a next step", _percent(tally.missing.get("next-step", 0), critical)),
        ("unreadable", str(tally.errors)),
    ]
    sections = []
    for name, heading, note in _SECTIONS:
        extra = _worst_table(tally) if name == "worst" else ""
        sections.append(
            f'<section id="{name}" class="chart-section"><h2>{html.escape(heading)}</h2>'
            f'<p class="note">{html.escape(note)}</p>'
            f'<div class="chart" id="chart-{name}"></div>'
            f'<script type="application/json" class="chart-spec" data-target="chart-{name}">'
            f"{_json_script(specs[name])}</script>{extra}</section>"
        )
    figure_items = "".join(
        f"<li><b>{html.escape(value)}</b>{html.escape(label)}</li>" for label, value in figures
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style>"
        "</head><body>"
        f"<header><h1>{html.escape(title)}</h1>"
        f"<div>{tally.files} documents, {tally.units} feedback units</div></header>"
        f'<main><ul class="figures">{figure_items}</ul>{"".join(sections)}'
        f"{_errors_list(tally)}</main><script>{_script()}</script></body></html>\n"
    )


def write_report(tally: Tally, path: Path, title: str = "feedback-lint audit") -> None:
    """Write the report page to ``path``."""
    path.write_text(render(tally, title), encoding="utf-8")
