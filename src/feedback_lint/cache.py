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
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, Final

from .documents import Document
from .findings import Applicability, Edit, Finding, Report, Severity, Suggestion, Unit

#: The default cache folder, relative to the working directory (as ruff's .ruff_cache).
DEFAULT_DIRECTORY: Final = ".feedback-lint-cache"
_FORMAT: Final = 1


def _suggestion(data: Mapping[str, Any]) -> Suggestion:
    return Suggestion(
        title=data["title"],
        replacement=data["replacement"],
        edits=tuple(Edit(e["start"], e["end"], e["replacement"]) for e in data["edits"]),
        applicability=Applicability(data["applicability"]),
    )


def _finding(data: Mapping[str, Any], path: str) -> Finding:
    return Finding(
        code=data["code"],
        name=data["name"],
        severity=Severity(data["severity"]),
        message=data["message"],
        start=data["start"],
        end=data["end"],
        line=data["line"],
        column=data["column"],
        end_line=data["end_line"],
        end_column=data["end_column"],
        suggestions=tuple(_suggestion(s) for s in data["suggestions"]),
        path=path,
    )


def _unit(data: Mapping[str, Any]) -> Unit:
    return Unit(
        start=data["start"],
        end=data["end"],
        signals={name: tuple((a, b) for a, b in spans) for name, spans in data["signals"].items()},
    )


def encode(report: Report) -> dict[str, Any]:
    """A report's findings and units as JSON-ready data (without its path and text)."""
    from .formatters.json_format import finding_json, unit_json

    return {
        "format": _FORMAT,
        "findings": [finding_json(f, report.text) for f in report.findings],
        "units": [unit_json(u) for u in report.units],
    }


def decode(data: Mapping[str, Any], document: Document) -> Report:
    """The report that :func:`encode` stored, for ``document`` (which may have moved)."""
    if data.get("format") != _FORMAT:
        raise ValueError("cache entry of another format")
    return Report(
        path=document.path,
        text=document.text,
        findings=tuple(_finding(f, document.path) for f in data["findings"]),
        units=tuple(_unit(u) for u in data["units"]),
    )


class Cache:
    """Stored reports in a folder, valid for one linter fingerprint."""

    def __init__(self, directory: str | os.PathLike[str], fingerprint: str) -> None:
        self.directory = Path(directory)
        self.fingerprint = fingerprint
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
        try:
            data = json.loads(self._path(self.key(document)).read_text(encoding="utf-8"))
            report = decode(data, document)
        except (OSError, ValueError, KeyError, TypeError):
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
            tag = self.directory / "CACHEDIR.TAG"
            if not tag.exists():
                tag.write_text(
                    "Signature: 8a477f597d28d172789f06886806bc55\n"
                    "# This folder is a cache of feedback-lint results; it may be deleted.\n",
                    encoding="utf-8",
                )
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
