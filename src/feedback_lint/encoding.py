"""Findings, suggestions and units as JSON values, and back.

The one encoding shared by the JSON output (docs/json-output.md), the results
cache and the service. Decoding treats its input as untrusted: anything that is
not exactly such a value for the given text (another type, offsets outside it,
positions that do not match the offsets) raises :class:`InvalidEncoding`.
"""

from __future__ import annotations

from typing import Any

from .documents import Document
from .findings import Applicability, Edit, Finding, Severity, Suggestion, Unit


def suggestion_json(suggestion: Suggestion) -> dict[str, Any]:
    """One suggestion as JSON."""
    return {
        "title": suggestion.title,
        "replacement": suggestion.replacement,
        "applicability": suggestion.applicability.value,
        "edits": [
            {"start": e.start, "end": e.end, "replacement": e.replacement} for e in suggestion.edits
        ],
    }


def finding_json(finding: Finding, text: str) -> dict[str, Any]:
    """One finding as JSON, with the reported text."""
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.value,
        "message": finding.message,
        "start": finding.start,
        "end": finding.end,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "text": text[finding.start : finding.end],
        "suggestions": [suggestion_json(s) for s in finding.suggestions],
    }


def unit_json(unit: Unit) -> dict[str, Any]:
    """One feedback unit and its signals as JSON."""
    return {
        "start": unit.start,
        "end": unit.end,
        "signals": {name: [list(span) for span in spans] for name, spans in unit.signals.items()},
    }


class InvalidEncoding(ValueError):
    """Well-formed JSON that is not an encoding of this document's findings or units."""


def field(data: object, key: str, kind: type[Any]) -> Any:
    """``data[key]`` when ``data`` is an object and the value is of ``kind`` (never a bool)."""
    if not isinstance(data, dict):
        raise InvalidEncoding("an object was expected")
    value = data.get(key)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise InvalidEncoding(f"{key!r} must be {kind.__name__}")
    return value


def _span(data: object, text: str) -> tuple[int, int]:
    """The (start, end) of ``data``, checked to lie in order inside ``text``."""
    start, end = field(data, "start", int), field(data, "end", int)
    if not 0 <= start <= end <= len(text):
        raise InvalidEncoding("offsets outside the text")
    return start, end


def _suggestion(data: object, text: str) -> Suggestion:
    """The suggestion :func:`suggestion_json` encoded, its edits inside ``text``."""
    edits = []
    for edit in field(data, "edits", list):
        start, end = _span(edit, text)
        edits.append(Edit(start, end, field(edit, "replacement", str)))
    return Suggestion(
        title=field(data, "title", str),
        replacement=field(data, "replacement", str),
        edits=tuple(edits),
        applicability=Applicability(field(data, "applicability", str)),
    )


def decode_finding(data: object, document: Document) -> Finding:
    """The finding :func:`finding_json` encoded, checked against ``document``."""
    start, end = _span(data, document.text)
    finding = Finding.in_document(
        document,
        start,
        end,
        code=field(data, "code", str),
        name=field(data, "name", str),
        severity=Severity(field(data, "severity", str)),
        message=field(data, "message", str),
        suggestions=tuple(_suggestion(s, document.text) for s in field(data, "suggestions", list)),
    )
    # Positions are derived from the offsets, never trusted from the entry.
    stored = tuple(field(data, key, int) for key in ("line", "column", "end_line", "end_column"))
    if stored != (finding.line, finding.column, finding.end_line, finding.end_column):
        raise InvalidEncoding("positions do not match the offsets")
    return finding


def decode_unit(data: object, text: str) -> Unit:
    """The unit :func:`unit_json` encoded, checked against ``text``."""
    start, end = _span(data, text)
    signals: dict[str, tuple[tuple[int, int], ...]] = {}
    for name, spans in field(data, "signals", dict).items():
        if not isinstance(spans, list):
            raise InvalidEncoding("signal spans must be a list")
        checked = []
        for span in spans:
            if not (isinstance(span, list) and len(span) == 2):
                raise InvalidEncoding("a signal span must be [start, end]")
            checked.append(_span({"start": span[0], "end": span[1]}, text))
        signals[name] = tuple(checked)
    return Unit(start=start, end=end, signals=signals)
