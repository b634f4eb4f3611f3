"""A results cache keyed by content, so that a second run over unchanged files parses nothing.

An entry's key is a hash of the document's text and format and of the linter's
fingerprint (tool version, pipeline, active rules with their severities, and
the options that change results). Entries are small JSON files written
atomically; a damaged or foreign entry is treated as a miss, never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any, Final

from .documents import Document
from .findings import Applicability, Edit, Finding, Report, Severity, Suggestion, Unit

#: The default cache folder, relative to the working directory (as ruff's .ruff_cache).
DEFAULT_DIRECTORY: Final = ".feedback-lint-cache"
#: Increased whenever the same text and settings would give other results (2: nested Markdown).
_FORMAT: Final = 2
#: Files written into the cache folder: backup tools skip a tagged folder, and git
#: ignores one whose .gitignore ignores everything (as ruff's and pytest's caches do).
_MARKERS: Final = (
    (
        "CACHEDIR.TAG",
        "Signature: 8a477f597d28d172789f06886806bc55\n"
        "# This folder is a cache of feedback-lint results; it may be deleted.\n",
    ),
    (".gitignore", "# Written by feedback-lint: this folder is a cache.\n*\n"),
)


class _Invalid(ValueError):
    """A cache entry that is well-formed JSON but not a report for this document."""


def _field(data: object, key: str, kind: type[Any]) -> Any:
    """``data[key]`` when ``data`` is an object and the value is of ``kind`` (never a bool)."""
    if not isinstance(data, dict):
        raise _Invalid("an object was expected")
    value = data.get(key)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _Invalid(f"{key!r} must be {kind.__name__}")
    return value


def _span(data: object, text: str) -> tuple[int, int]:
    """The (start, end) of ``data``, checked to lie in order inside ``text``."""
    start, end = _field(data, "start", int), _field(data, "end", int)
    if not 0 <= start <= end <= len(text):
        raise _Invalid("offsets outside the text")
    return start, end


def _suggestion(data: object, text: str) -> Suggestion:
    edits = []
    for edit in _field(data, "edits", list):
        start, end = _span(edit, text)
        edits.append(Edit(start, end, _field(edit, "replacement", str)))
    return Suggestion(
        title=_field(data, "title", str),
        replacement=_field(data, "replacement", str),
        edits=tuple(edits),
        applicability=Applicability(_field(data, "applicability", str)),
    )


def _finding(data: object, document: Document) -> Finding:
    start, end = _span(data, document.text)
    # Positions are derived from the offsets, never trusted from the entry.
    line, column = document.position(start)
    end_line, end_column = document.position(end)
    stored = tuple(_field(data, key, int) for key in ("line", "column", "end_line", "end_column"))
    if stored != (line, column, end_line, end_column):
        raise _Invalid("positions do not match the offsets")
    return Finding(
        code=_field(data, "code", str),
        name=_field(data, "name", str),
        severity=Severity(_field(data, "severity", str)),
        message=_field(data, "message", str),
        start=start,
        end=end,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        suggestions=tuple(_suggestion(s, document.text) for s in _field(data, "suggestions", list)),
        path=document.path,
    )


def _unit(data: object, text: str) -> Unit:
    start, end = _span(data, text)
    signals: dict[str, tuple[tuple[int, int], ...]] = {}
    for name, spans in _field(data, "signals", dict).items():
        if not isinstance(spans, list):
            raise _Invalid("signal spans must be a list")
        checked = []
        for span in spans:
            if not (isinstance(span, list) and len(span) == 2):
                raise _Invalid("a signal span must be [start, end]")
            checked.append(_span({"start": span[0], "end": span[1]}, text))
        signals[name] = tuple(checked)
    return Unit(start=start, end=end, signals=signals)


def encode(report: Report) -> dict[str, Any]:
    """A report's findings and units as JSON-ready data (without its path and text)."""
    from .formatters.json_format import finding_json, unit_json

    return {
        "format": _FORMAT,
        "findings": [finding_json(f, report.text) for f in report.findings],
        "units": [unit_json(u) for u in report.units],
    }


def decode(data: object, document: Document) -> Report:
    """The report that :func:`encode` stored, for ``document`` (which may have moved).

    The entry is untrusted input: anything that is not exactly such a report for
    this text (another type, offsets outside it, positions that do not match
    the offsets) raises ValueError.
    """
    if _field(data, "format", int) != _FORMAT:
        raise _Invalid("cache entry of another format")
    return Report(
        path=document.path,
        text=document.text,
        findings=tuple(_finding(f, document) for f in _field(data, "findings", list)),
        units=tuple(_unit(u, document.text) for u in _field(data, "units", list)),
    )


class Cache:
    """Stored reports in a folder, valid for one linter fingerprint.

    With ``read`` false, reports are stored but never taken from the folder: what
    ``--fix`` writes must come from a fresh lint, since anyone who can write to
    the folder could otherwise choose the edits.
    """

    def __init__(
        self, directory: str | os.PathLike[str], fingerprint: str, read: bool = True
    ) -> None:
        self.directory = Path(directory)
        self.fingerprint = fingerprint
        self.read = read
        self.hits = 0
        self.misses = 0

    def key(self, document: Document) -> str:
        """The entry name for a document under this fingerprint."""
        digest = hashlib.sha256()
        for part in (self.fingerprint, document.format, document.text):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\0")
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, document: Document) -> Report | None:
        """The stored report for ``document``, or None."""
        if not self.read:
            self.misses += 1
            return None
        try:
            data = json.loads(self._path(self.key(document)).read_text(encoding="utf-8"))
            report = decode(data, document)
        except (OSError, ValueError, RecursionError):  # RecursionError: absurdly deep JSON
            self.misses += 1
            return None
        self.hits += 1
        return replace(report, path=document.path)

    def put(self, document: Document, report: Report) -> None:
        """Store a report; a cache that cannot be written is skipped silently."""
        path = self._path(self.key(document))
        temporary: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            for name, content in _MARKERS:
                marker = self.directory / name
                if not marker.exists():
                    marker.write_text(content, encoding="utf-8")
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(encode(report), stream, ensure_ascii=False)
            os.replace(temporary, path)
            temporary = None
        except OSError:
            return
        finally:
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)
