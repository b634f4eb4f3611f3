"""A results cache keyed by content, so that a second run over unchanged files parses nothing.

An entry's key is a hash of the document's text and format and of the linter's
fingerprint (tool version and a hash of its code, pipeline, active rules with
their severities, and the options that change results). Entries are small JSON
files written atomically; a damaged or foreign entry is treated as a miss, never
an error.
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
from .encoding import InvalidEncoding, decode_finding, decode_unit, field, finding_json, unit_json
from .findings import Report

#: The default cache folder, relative to the working directory (as ruff's .ruff_cache).
DEFAULT_DIRECTORY: Final = ".feedback-lint-cache"
#: The layout of an entry (2: nested Markdown). What the code finds is in the
#: fingerprint, so a change of the code alone needs no new format.
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


def encode(report: Report) -> dict[str, Any]:
    """A report's findings and units as JSON-ready data (without its path and text)."""
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
    if field(data, "format", int) != _FORMAT:
        raise InvalidEncoding("cache entry of another format")
    return Report(
        path=document.path,
        text=document.text,
        findings=tuple(decode_finding(f, document) for f in field(data, "findings", list)),
        units=tuple(decode_unit(u, document.text) for u in field(data, "units", list)),
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
