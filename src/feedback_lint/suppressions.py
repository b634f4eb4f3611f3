"""Suppression comments inside documents, read from the original text.

In Markdown and in plain text::

    <!-- feedback-lint: disable -->            every rule, until enabled again
    <!-- feedback-lint: disable FB101,FB102 -->  these codes (or prefixes, or names)
    <!-- feedback-lint: enable -->             every rule again
    <!-- feedback-lint: enable FB101 -->       this code again
    <!-- feedback-lint: disable-next-line [CODES] -->  only the line below
    <!-- feedback-lint: disable-line [CODES] -->       only this line

Plain text, where an HTML comment would look out of place, also takes the same
directives on a line of their own after ``#`` or ``//``::

    # feedback-lint: disable-next-line FB102

A directive inside a Markdown code block or code span is an example, not a
directive, and is ignored; so is a directive that is not one of the above.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Final

from .documents import Document, Format
from .findings import Finding
from .selection import names

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_ACTION: Final = r"(?P<action>disable-next-line|disable-line|disable|enable)"
_CODES: Final = r"(?P<codes>(?:[ \t,]+[A-Za-z0-9_-]+)*)"
_HTML: Final = re.compile(
    r"<!--[ \t]*feedback-lint[ \t]*:[ \t]*" + _ACTION + _CODES + r"[ \t,]*-->", re.IGNORECASE
)
_LINE_COMMENT: Final = re.compile(
    r"^[ \t]*(?:#|//)[ \t]*feedback-lint[ \t]*:[ \t]*" + _ACTION + _CODES + r"[ \t,]*$",
    re.IGNORECASE | re.MULTILINE,
)
_NEWLINE: Final = re.compile(r"\r\n|\r|\n")
_MARKER: Final = "feedback-lint"


@dataclass(frozen=True)
class _State:
    """Which rules are off from one directive to the next."""

    all_off: bool = False
    off: frozenset[str] = frozenset()
    on: frozenset[str] = frozenset()  # exceptions while everything is off

    def then(self, action: str, codes: frozenset[str]) -> _State:
        if action == "disable":
            if not codes:
                return _State(all_off=True)
            if self.all_off:
                return _State(True, self.off, self.on - codes)
            return _State(False, self.off | codes, self.on)
        if not codes:
            return _State()
        if self.all_off:
            return _State(True, self.off - codes, self.on | codes)
        return _State(False, self.off - codes, self.on)

    def suppresses(self, finding: Finding) -> bool:
        if self.all_off:
            return not _names(self.on, finding)
        return _names(self.off, finding)


def _names(keys: Iterable[str], finding: Finding) -> bool:
    """Whether one of ``keys`` (a code, a code prefix or a rule name) names the finding."""
    return any(names(key, finding.code, finding.name) for key in keys)


@dataclass(frozen=True)
class Directive:
    """One suppression comment: what it does, to which codes (empty: all), and where it is."""

    action: str
    codes: frozenset[str]
    start: int
    end: int
    line: int


@dataclass(frozen=True)
class Suppressions:
    """The suppression directives of one text, ready to test findings against."""

    directives: tuple[Directive, ...] = ()
    _offsets: tuple[int, ...] = field(default=(), repr=False)
    _states: tuple[_State, ...] = field(default=(), repr=False)
    _lines: Mapping[int, tuple[frozenset[str], ...]] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, directives: Iterable[Directive]) -> Suppressions:
        """Build the region states and line rules from directives in text order."""
        ordered = tuple(sorted(directives, key=lambda d: d.start))
        offsets: list[int] = []
        states: list[_State] = []
        lines: dict[int, list[frozenset[str]]] = {}
        state = _State()
        for directive in ordered:
            if directive.action in ("disable", "enable"):
                state = state.then(directive.action, directive.codes)
                offsets.append(directive.start)
                states.append(state)
            else:
                line = directive.line + (1 if directive.action == "disable-next-line" else 0)
                lines.setdefault(line, []).append(directive.codes)
        frozen_lines = {line: tuple(codes) for line, codes in lines.items()}
        return cls(ordered, tuple(offsets), tuple(states), frozen_lines)

    def suppresses(self, finding: Finding) -> bool:
        """Whether a directive turns this finding off."""
        for directive in self.directives:
            if finding.start < directive.end and directive.start < max(
                finding.end, finding.start + 1
            ):
                return True  # words inside a directive (a plain-text comment line) are not prose
        index = bisect.bisect_right(self._offsets, finding.start) - 1
        if index >= 0 and self._states[index].suppresses(finding):
            return True
        return any(
            not codes or _names(codes, finding) for codes in self._lines.get(finding.line, ())
        )

    def apply(self, findings: Iterable[Finding]) -> tuple[Finding, ...]:
        """The findings no directive turns off, in their order."""
        if not self.directives:
            return tuple(findings)
        return tuple(f for f in findings if not self.suppresses(f))


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def _code_lines(text: str) -> set[int]:
    """0-based numbers of the lines inside Markdown code blocks."""
    lines: set[int] = set()
    for token in _parser().parse(text):
        if token.type in ("fence", "code_block") and token.map is not None:
            lines.update(range(token.map[0], token.map[1]))
    return lines


def _in_code_span(text: str, line_start: int, offset: int) -> bool:
    """Whether ``offset`` follows an odd number of backtick runs on its line."""
    return len(re.findall(r"`+", text[line_start:offset])) % 2 == 1


def find_directives(text: str, format: Format) -> tuple[Directive, ...]:
    """Every suppression directive in ``text``, in order."""
    if _MARKER not in text.lower():
        return ()
    line_starts = [0, *(m.end() for m in _NEWLINE.finditer(text))]
    code_lines = _code_lines(text) if format == "markdown" else set()
    patterns = (_HTML,) if format == "markdown" else (_HTML, _LINE_COMMENT)
    found: list[Directive] = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            line = bisect.bisect_right(line_starts, match.start()) - 1
            if line in code_lines or (
                format == "markdown" and _in_code_span(text, line_starts[line], match.start())
            ):
                continue
            codes = frozenset(c for c in re.split(r"[ \t,]+", match.group("codes")) if c)
            found.append(
                Directive(
                    match.group("action").lower(), codes, match.start(), match.end(), line + 1
                )
            )
    return tuple(sorted(found, key=lambda d: d.start))


def suppressions(document: Document) -> Suppressions:
    """The suppression directives of a document."""
    return Suppressions.of(find_directives(document.text, document.format))


def apply(document: Document, findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """The findings of ``document`` that its suppression comments leave on."""
    return suppressions(document).apply(findings)
