"""Measure rules against labelled text: ``python -m feedback_lint.evaluate DATA.csv``.

Each CSV row is one text and a label. A JSON-lines file (``DATA.jsonl``) instead
gives each text the names of the rules that should fire on it (``expect``), so
every rule is scored against its own label in one pass (see :func:`read_probes`).
A rule "predicts positive" on a row when it raises at least one finding there.
For each selected rule, and for all of them together (``any``), it prints
precision, recall and F1 against the label, and the false-alarm rate: the share
of negative rows on which the rule fires.
The data stays wherever it is; nothing here needs it inside the repository.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .errors import FeedbackLintError
from .findings import Edit, Finding, apply_edits
from .linter import Linter
from .matching.document import is_document_rule
from .selection import Selection


@dataclass(frozen=True)
class Score:
    """Confusion counts of one rule (or the union) on one data set, and the derived rates."""

    rule: str
    true_positives: int
    false_positives: int
    positives: int
    negatives: int

    @property
    def precision(self) -> float | None:
        fired = self.true_positives + self.false_positives
        return self.true_positives / fired if fired else None

    @property
    def recall(self) -> float | None:
        return self.true_positives / self.positives if self.positives else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p and r else None

    @property
    def false_alarm_rate(self) -> float | None:
        return self.false_positives / self.negatives if self.negatives else None


@dataclass(frozen=True)
class Row:
    """One labelled text."""

    text: str
    positive: bool


@dataclass(frozen=True)
class Probe:
    """One text of a JSON-lines file and the rule names that should fire on it."""

    text: str
    expect: frozenset[str]
    note: str


#: The words of a probe's note that put it among the pieces a structure rule is scored on.
STRUCTURE_NOTE = "structure"


def _json_lines(path: Path, what: str) -> Iterator[tuple[int, Any]]:
    """The objects of a JSON-lines file with their line numbers, blank lines skipped;
    a line that is not JSON stops the run naming it (``what`` says what was expected)."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    yield number, json.loads(line)
                except ValueError as exc:
                    raise SystemExit(f"{path}:{number}: {what}: {exc}") from None


def read_probes(path: Path) -> list[Probe]:
    """The items of a JSON-lines file: ``{"text": ..., "expect": [rule names], "note": ...}``."""
    probes: list[Probe] = []
    for number, item in _json_lines(path, "not a probe item"):
        try:
            text, expect = item["text"], item.get("expect", [])
            if not isinstance(text, str) or not all(isinstance(e, str) for e in expect):
                raise TypeError("'text' must be a string and 'expect' a list of names")
        except (KeyError, TypeError, AttributeError) as exc:
            raise SystemExit(f"{path}:{number}: not a probe item: {exc}") from None
        probes.append(Probe(text, frozenset(expect), str(item.get("note", ""))))
    return probes


def score_probes(
    linter: Linter,
    probes: Sequence[Probe],
    found: Sequence[dict[str, list[str]]],
    rules: Iterable[str] | None = None,
) -> list[tuple[Score, list[Row], list[dict[str, list[str]]]]]:
    """Each active rule scored against its own label: a probe is positive for a rule when
    ``expect`` names it (by name or code).

    A structure rule (category ``structure``) judges whole pieces, so it is scored only
    on the probes written to test structure: those whose ``expect`` names such a rule or
    whose note mentions one. ``rules`` limits the scores to these codes. Returns each
    score with the rows and findings it counted, for :func:`errors`.
    """
    structure = {r.name for r in linter.rules if r.category == STRUCTURE_NOTE}
    structure |= {r.code for r in linter.rules if r.category == STRUCTURE_NOTE}
    wanted = set(rules) if rules is not None else None
    results = []
    for rule in linter.rules:
        if wanted is not None and rule.code not in wanted:
            continue
        keep = [
            i
            for i, probe in enumerate(probes)
            if rule.category != STRUCTURE_NOTE
            or probe.expect & structure
            or STRUCTURE_NOTE in probe.note
            or any(name in probe.note for name in structure)
        ]
        rows = [Row(probes[i].text, bool({rule.name, rule.code} & probes[i].expect)) for i in keep]
        kept = [{k: v for k, v in found[i].items() if k == rule.code} for i in keep]
        results.append((score(linter, rows, rules=[rule.code], found=kept)[0], rows, kept))
    return results


def read_rows(
    path: Path,
    label: str,
    positive: str = "1",
    text_column: str = "text",
    where: Sequence[tuple[str, str]] = (),
) -> list[Row]:
    """The labelled rows of a CSV file, keeping only rows whose ``where`` columns match."""
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {label, text_column, *(c for c, _ in where)} - set(reader.fieldnames or ())
        if missing:
            raise SystemExit(f"{path}: no column {', '.join(sorted(missing))}")
        return [
            Row(text=row[text_column], positive=row[label].strip() == positive)
            for row in reader
            if all(
                any(v in row[column].strip().split("|") for v in value.split(","))
                for column, value in where
            )
        ]


def findings_per_row(linter: Linter, rows: Sequence[Row]) -> list[dict[str, list[str]]]:
    """For each row, the codes that fired there and the matched words of each finding."""
    found: list[dict[str, list[str]]] = []
    for report in linter.lint_many((row.text for row in rows), format="text"):
        words: dict[str, list[str]] = {}
        for finding in report.findings:
            words.setdefault(finding.code, []).append(report.text[finding.start : finding.end])
        found.append(words)
    return found


def signals_per_row(linter: Linter, rows: Sequence[Row], name: str) -> list[dict[str, list[str]]]:
    """For each row, ``{name: [the words where the signal was found]}``, or ``{}`` when it
    was not found: a signal scored as a classifier, in the shape :func:`score` takes."""
    if name not in {signal.name for signal in linter.signals}:
        known = ", ".join(signal.name for signal in linter.signals)
        raise SystemExit(f"evaluate: unknown signal {name!r}; known signals: {known}")
    found: list[dict[str, list[str]]] = []
    for report in linter.lint_many((row.text for row in rows), format="text"):
        spans = [span for unit in report.units for span in unit.signals.get(name, ())]
        found.append({name: [report.text[start:end] for start, end in spans]} if spans else {})
    return found


def score(
    linter: Linter,
    rows: Sequence[Row],
    rules: Iterable[str] | None = None,
    found: Sequence[dict[str, list[str]]] | None = None,
) -> list[Score]:
    """Score each active rule of ``linter`` and their union on ``rows``.

    ``found`` is :func:`findings_per_row` of the same rows, when already computed.
    """
    codes = sorted(rules) if rules is not None else [r.code for r in linter.rules]
    fired: dict[str, list[bool]] = {code: [] for code in [*codes, "any"]}
    for codes_here in found if found is not None else findings_per_row(linter, rows):
        for code in codes:
            fired[code].append(code in codes_here)
        fired["any"].append(bool(set(codes_here) & set(codes)))
    positives = sum(row.positive for row in rows)
    scores = []
    for code, flags in fired.items():
        tp = sum(1 for row, flag in zip(rows, flags, strict=True) if flag and row.positive)
        fp = sum(1 for row, flag in zip(rows, flags, strict=True) if flag and not row.positive)
        scores.append(Score(code, tp, fp, positives, len(rows) - positives))
    return scores


def errors(
    rows: Sequence[Row], found: Sequence[dict[str, list[str]]], positive: bool, limit: int
) -> list[str]:
    """Up to ``limit`` rows where the rules were wrong, one line each, to guide rule writing.

    With ``positive`` false these are false alarms (a rule fired on a negative row, with
    the words it matched); with ``positive`` true, misses (no rule fired on a positive row).
    """
    lines: list[str] = []
    for row, words in zip(rows, found, strict=True):
        if len(lines) >= limit:
            break
        text = " ".join(row.text.split())
        text = text if len(text) <= 200 else text[:199] + "…"
        if not positive and not row.positive and words:
            matched = "; ".join(f"{code} {w!r}" for code, ws in sorted(words.items()) for w in ws)
            lines.append(f"FP  {matched}  <-  {text}")
        elif positive and row.positive and not words:
            lines.append(f"FN  {text}")
    return lines


def build_linter(
    rules: Sequence[str] | None, profile: str | None = None
) -> tuple[Linter, list[str] | None]:
    """The linter an evaluation runs, and the codes it scores (``None``: every active rule).

    Without a profile, ``rules`` (codes or prefixes) is the selection. With one, the
    profile's rules run as they would for a user, ``rules`` are added to them, and only
    ``rules`` are scored.
    """
    if profile is None:
        return Linter(select=list(rules) if rules else ["ALL"]), None
    linter = Linter(profile=profile, extend_select=list(rules or ()))
    if not rules:
        return linter, None
    chosen = Selection(select=tuple(rules))
    return linter, [r.code for r in linter.rules if chosen.selected(r)]


@dataclass(frozen=True)
class RewriteOutcome:
    """What applying one sentence-rule finding's first suggestion to its text did.

    ``cured``: the rule no longer fires on the words the rewrite wrote; ``tone_left``:
    the sentence rules that fire there; ``tone_new``: the sentence rules that fire more
    often in the whole rewritten text than before. ``rewritten`` is None when the
    finding had no suggestion.
    """

    code: str
    text: str
    rewritten: str | None
    cured: bool
    tone_left: tuple[str, ...]
    tone_new: tuple[str, ...]


def written_spans(edits: Sequence[Edit]) -> list[tuple[int, int]]:
    """Where each edit's replacement lies in the text after the edits."""
    spans, shift = [], 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        start = edit.start + shift
        spans.append((start, start + len(edit.replacement)))
        shift += len(edit.replacement) - (edit.end - edit.start)
    return spans


def rewrite_outcomes(linter: Linter, texts: Sequence[str]) -> list[RewriteOutcome]:
    """Apply each sentence-rule finding's first suggestion, one at a time, and lint again."""
    tone = {rule.code for rule in linter.rules if not is_document_rule(rule)}
    pending: list[tuple[Finding, str, str, list[tuple[int, int]], Counter[str]]] = []
    outcomes: list[RewriteOutcome] = []
    for report in linter.lint_many(texts, format="text"):
        before = Counter(f.code for f in report.findings if f.code in tone)
        for finding in (f for f in report.findings if f.code in tone):
            suggestion = finding.suggestions[0] if finding.suggestions else None
            if suggestion is None or not suggestion.edits:
                outcomes.append(RewriteOutcome(finding.code, report.text, None, False, (), ()))
                continue
            rewritten = apply_edits(report.text, suggestion.edits)
            spans = written_spans(suggestion.edits)
            pending.append((finding, report.text, rewritten, spans, before))
    # Linted in a second pass: the pipeline streams one batch at a time.
    again = linter.lint_many([item[2] for item in pending], format="text")
    for (finding, text, rewritten, written, before), report in zip(pending, again, strict=True):
        left = [
            f.code
            for f in report.findings
            if f.code in tone and any(f.start <= end and start <= f.end for start, end in written)
        ]
        new = Counter(f.code for f in report.findings if f.code in tone) - before
        outcomes.append(
            RewriteOutcome(
                finding.code,
                text,
                rewritten,
                cured=finding.code not in left,
                tone_left=tuple(left),
                tone_new=tuple(sorted(new.elements())),
            )
        )
    return outcomes


def rewrites_table(outcomes: Sequence[RewriteOutcome]) -> str:
    """Per rule and in all: findings, the share with a suggestion, cured, and tone-free."""
    lines = ["rule   findings  suggested   cured  no tone left  no new tone"]
    codes = sorted({o.code for o in outcomes})
    for code in [*codes, "all"]:
        rows = [o for o in outcomes if code in ("all", o.code)]
        n = len(rows)
        suggested = [o for o in rows if o.rewritten is not None]
        cured = sum(o.cured for o in suggested)
        clean = sum(not o.tone_left for o in suggested)
        fresh = sum(not o.tone_new for o in suggested)
        lines.append(
            f"{code:<6} {n:>8}  {_pct(len(suggested) / n)}  {_pct(cured / n)}"
            f"  {_pct(clean / n):>12}  {_pct(fresh / n):>11}"
        )
    return "\n".join(lines) + "\n"


def rewrites_main(argv: Sequence[str]) -> int:
    """``--rewrites``: how well the rewrites of the sentence rules cure their findings."""
    parser = argparse.ArgumentParser(
        prog="python -m feedback_lint.evaluate --rewrites",
        description="Apply each sentence-rule finding's first suggestion to its text, lint "
        "again, and print the share of findings cured and left with no tone finding.",
    )
    parser.add_argument(
        "data", type=Path, help="a JSON-lines file with a 'text' on each line, or a CSV file"
    )
    parser.add_argument("--text-column", default="text", help="the text column or key")
    parser.add_argument(
        "--rules", default=None, help="comma-separated codes or prefixes (default: all that run)"
    )
    parser.add_argument(
        "--show", type=int, default=0, metavar="N", help="also print N rewrites that failed"
    )
    args = parser.parse_args(argv)
    try:
        texts = read_texts(args.data, args.text_column)
        linter = Linter(select=args.rules.split(",") if args.rules else ["ALL"])
        outcomes = rewrite_outcomes(linter, texts) if texts else []
    except FeedbackLintError as error:
        sys.stderr.write(f"evaluate: {error}\n")
        return 2
    except OSError as error:
        sys.stderr.write(f"evaluate: {args.data}: {error.strerror or error}\n")
        return 2
    if not outcomes:
        sys.stdout.write(f"{args.data}: no sentence-rule findings\n")
        return 0
    sys.stdout.write(f"{args.data} (rewrites applied one at a time)\n" + rewrites_table(outcomes))
    failed = [o for o in outcomes if o.rewritten is None or o.tone_left or o.tone_new]
    for outcome in failed[: args.show]:
        why = ",".join(outcome.tone_left or outcome.tone_new) or "no suggestion"
        sys.stdout.write(f"{outcome.code} [{why}] {outcome.text!r} -> {outcome.rewritten!r}\n")
    return 0


def read_texts(path: Path, key: str = "text") -> list[str]:
    """The texts of a JSON-lines file (``key`` of each object) or of a CSV column."""
    if path.suffix != ".jsonl":
        return [row.text for row in read_rows(path, key, text_column=key)]
    texts: list[str] = []
    for number, item in _json_lines(path, "no text"):
        text = item.get(key) if isinstance(item, dict) else None
        if not isinstance(text, str):
            raise SystemExit(f"{path}:{number}: no text: {key!r} must be a string")
        texts.append(text)
    return texts


def _pct(value: float | None) -> str:
    return "   -  " if value is None else f"{value:6.3f}"


def table(scores: Sequence[Score]) -> str:
    """The scores as an aligned text table."""
    lines = [
        "rule   fired(+)  fired(-)  precision  recall    F1     false-alarm",
    ]
    for s in scores:
        lines.append(
            f"{s.rule:<6} {s.true_positives:>8}  {s.false_positives:>8}  {_pct(s.precision):>9}"
            f"  {_pct(s.recall)}  {_pct(s.f1)}  {_pct(s.false_alarm_rate)}"
        )
    total = scores[0] if scores else None
    if total is not None:
        lines.append(f"rows: {total.positives} positive, {total.negatives} negative")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if "--rewrites" in arguments:
        return rewrites_main([a for a in arguments if a != "--rewrites"])
    parser = argparse.ArgumentParser(
        prog="python -m feedback_lint.evaluate",
        description="Per-rule precision, recall, F1 and false-alarm rate on a labelled CSV.",
        epilog="With --rewrites, it measures the rewrites instead (see --rewrites --help).",
    )
    parser.add_argument(
        "data",
        type=Path,
        help="a CSV file with a text column and a label, or a JSON-lines file of probes "
        "(text, expect: the rule names that should fire)",
    )
    parser.add_argument("--label", help="the label column (CSV only)")
    parser.add_argument("--positive", default="1", help="the label value that is positive")
    parser.add_argument("--text-column", default="text", help="the text column")
    parser.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="COLUMN=VALUE",
        help="keep rows whose column has this value, or one of several given as V1,V2 "
        "('|'-separated lists in the data match any item)",
    )
    parser.add_argument(
        "--rules", default=None, help="comma-separated codes or prefixes (default: all that run)"
    )
    parser.add_argument(
        "--profile",
        default=None,
        metavar="NAME",
        help="run the rules of this profile (message, review, code-review) with --rules "
        "added, and score only --rules",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--signal",
        default=None,
        metavar="NAME",
        help="score a signal (such as next-step) instead of rules: a row is predicted "
        "positive when the signal is found in it",
    )
    parser.add_argument(
        "--show-fp", type=int, default=0, metavar="N", help="also print N false alarms"
    )
    parser.add_argument(
        "--show-fn", type=int, default=0, metavar="N", help="also print N missed positives"
    )
    args = parser.parse_args(argv)
    if args.data.suffix == ".jsonl":
        return _main_probes(args)
    if args.label is None:
        parser.error("--label is required for a CSV file")
    where = [tuple(item.split("=", 1)) for item in args.where]
    try:
        if args.signal:
            linter, scored = Linter(select=[]), None
        else:
            linter, scored = build_linter(_codes(args.rules), args.profile)
        rows = read_rows(args.data, args.label, args.positive, args.text_column, where)
        if args.signal:
            found = signals_per_row(linter, rows, args.signal)
            scores = score(linter, rows, rules=[args.signal], found=found)[:1]
        else:
            found = findings_per_row(linter, rows)
            if scored is not None:
                found = [{k: v for k, v in row.items() if k in scored} for row in found]
            scores = score(linter, rows, rules=scored, found=found)
    except FeedbackLintError as error:
        sys.stderr.write(f"evaluate: {error}\n")
        return 2
    if args.json:
        out = _as_json(scores)
        sys.stdout.write(json.dumps({"data": str(args.data), "scores": out}, indent=2) + "\n")
    else:
        sys.stdout.write(f"{args.data} (label {args.label}={args.positive})\n" + table(scores))
    shown = errors(rows, found, False, args.show_fp) + errors(rows, found, True, args.show_fn)
    for line in shown:
        sys.stdout.write(line + "\n")
    return 0


def _main_probes(args: argparse.Namespace) -> int:
    """Score every rule against a JSON-lines file of probes and print one table."""
    try:
        linter, scored = build_linter(_codes(args.rules), args.profile)
        probes = read_probes(args.data)
        found = findings_per_row(linter, [Row(probe.text, True) for probe in probes])
    except FeedbackLintError as error:
        sys.stderr.write(f"evaluate: {error}\n")
        return 2
    results = score_probes(linter, probes, found, rules=scored)
    scores = [s for s, _, _ in results]
    if args.json:
        sys.stdout.write(json.dumps({"data": str(args.data), "scores": _as_json(scores)}) + "\n")
    else:
        sys.stdout.write(f"{args.data} (each rule against its own label)\n")
        sys.stdout.write(table(scores).rsplit("rows:", 1)[0])
        for s in scores:
            sys.stdout.write(f"{s.rule}: {s.positives} positive, {s.negatives} negative\n")
    for s, rows, kept in results:
        for line in errors(rows, kept, False, args.show_fp) + errors(
            rows, kept, True, args.show_fn
        ):
            sys.stdout.write(f"{s.rule} {line}\n")
    return 0


def _codes(value: str | None) -> list[str] | None:
    return value.split(",") if value else None


def _as_json(scores: Sequence[Score]) -> list[dict[str, object]]:
    return [
        asdict(s)
        | {
            "precision": s.precision,
            "recall": s.recall,
            "f1": s.f1,
            "false_alarm_rate": s.false_alarm_rate,
        }
        for s in scores
    ]


if __name__ == "__main__":
    raise SystemExit(main())
