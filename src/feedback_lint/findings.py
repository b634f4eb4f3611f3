"""The values a lint run produces: findings, suggested edits, and the report."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .documents import Document


class Severity(str, Enum):
    """How much a finding matters; ``error`` > ``warning`` > ``info``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Orders severities: a higher rank is more severe."""
        return {"info": 0, "warning": 1, "error": 2}[self.value]


class Applicability(str, Enum):
    """Whether a suggestion may be applied without a person reading it.

    ``safe`` edits are applied by ``--fix``; ``unsafe`` ones change meaning and
    are offered only; ``display-only`` suggestions contain placeholders that only
    the writer can fill in.
    """

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` of the original text with ``replacement``."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True)
class Suggestion:
    """A proposed rewrite: a title for people, the new text, and the edits that make it."""

    title: str
    replacement: str
    edits: tuple[Edit, ...]
    applicability: Applicability


@dataclass(frozen=True)
class Finding:
    """One problem found in a text.

    ``start``/``end`` are 0-based character offsets into the original text
    (``text[start:end]`` is the reported span); ``line``/``column`` and
    ``end_line``/``end_column`` are 1-based.
    """

    code: str
    name: str
    severity: Severity
    message: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    suggestions: tuple[Suggestion, ...] = ()
    path: str = "<string>"

    @classmethod
    def in_document(
        cls,
        document: Document,
        start: int,
        end: int,
        *,
        code: str,
        name: str,
        severity: Severity,
        message: str,
        suggestions: tuple[Suggestion, ...] = (),
    ) -> Finding:
        """A finding at offsets ``start``-``end`` of ``document``, its lines, columns
        and path taken from the document."""
        line, column = document.position(start)
        end_line, end_column = document.position(end)
        return cls(
            code=code,
            name=name,
            severity=severity,
            message=message,
            start=start,
            end=end,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            suggestions=suggestions,
            path=document.path,
        )


@dataclass(frozen=True)
class Unit:
    """A feedback unit (the document, a section or an item) and the signals found in it.

    ``signals`` maps each signal name to the character spans where it was found.
    """

    start: int
    end: int
    signals: Mapping[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Report:
    """Everything one lint run found in one text."""

    path: str
    text: str
    findings: tuple[Finding, ...]
    units: tuple[Unit, ...] = ()

    def fixed_text(self, applicability: Iterable[Applicability] = (Applicability.SAFE,)) -> str:
        """The text with the edits of :meth:`edits` applied."""
        return apply_edits(self.text, self.edits(applicability))

    def edits(
        self, applicability: Iterable[Applicability] = (Applicability.SAFE,)
    ) -> tuple[Edit, ...]:
        """The edits a fix applies (see :func:`choose_edits`), of the given applicability."""
        return choose_edits(self.findings, applicability)[0]


def _overlaps(edit: Edit, taken: Iterable[Edit]) -> bool:
    for other in taken:
        if edit.start < other.end and other.start < edit.end:
            return True
        # Two insertions at one place, or an insertion at a replaced span's edge, conflict.
        if edit.start == other.start and (edit.start == edit.end or other.start == other.end):
            return True
    return False


def choose_edits(
    findings: Iterable[Finding],
    applicability: Iterable[Applicability] = (Applicability.SAFE,),
    skip: Collection[str] = (),
) -> tuple[tuple[Edit, ...], tuple[str, ...]]:
    """The one fix policy: the edits to apply, and the code of each finding they fix.

    Each finding's first suggestion of the given applicability is taken, all of
    its edits or none, in the findings' order, and never one that overlaps an
    edit already taken (or itself); findings whose code is in ``skip`` are left
    alone. Applying the result again therefore changes nothing new.
    """
    wanted = set(applicability)
    taken: list[Edit] = []
    codes: list[str] = []
    for finding in findings:
        if finding.code in skip:
            continue
        suggestion = next((s for s in finding.suggestions if s.applicability in wanted), None)
        if suggestion is None or not suggestion.edits:
            continue
        edits = list(suggestion.edits)
        if any(_overlaps(e, taken) for e in edits) or any(
            _overlaps(e, edits[:i]) for i, e in enumerate(edits)
        ):
            continue
        taken.extend(edits)
        codes.append(finding.code)
    return tuple(taken), tuple(codes)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply ``edits`` to ``text``, skipping any edit that overlaps an earlier-starting one."""
    pieces: list[str] = []
    position = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < position or edit.end > len(text):
            continue
        pieces.append(text[position : edit.start])
        pieces.append(edit.replacement)
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces)
