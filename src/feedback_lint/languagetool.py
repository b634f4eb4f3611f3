"""LanguageTool's HTTP API (``/v2/check``): its request fields in, its JSON out.

Existing LanguageTool clients (editor plugins, browser extensions that accept a
custom server, language_tool_python) send a form-encoded ``text`` or ``data``
field and read ``matches``. This module translates between that wire format and
:class:`Report`, and knows nothing of HTTP.

Offsets follow LanguageTool, a Java program: ``offset`` and ``length`` count
UTF-16 code units (an emoji counts two) and, for ``data``, point into the text
with its markup, of which only the ``text`` parts (and each markup's
``interpretAs``) are checked.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from .findings import Edit, Finding, Report, apply_edits
from .matching.document import is_document_rule
from .rules import Rule

#: Language codes accepted in ``language`` (compared case-insensitively), with their names.
LANGUAGES: Final[dict[str, str]] = {
    "en": "English",
    "en-US": "English (US)",
    "en-GB": "English (GB)",
    "en-AU": "English (Australian)",
    "en-CA": "English (Canadian)",
    "en-NZ": "English (New Zealand)",
    "en-ZA": "English (South African)",
}
#: What ``language=auto`` is answered with: the service checks English only.
AUTO_LANGUAGE: Final = "en-US"
#: Characters of text shown on each side of a match in ``context``, as LanguageTool's server.
CONTEXT_SIZE: Final = 40

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n\s*\n")


class RequestError(ValueError):
    """A ``/v2/check`` request that cannot be answered; the message says why."""


@dataclass(frozen=True)
class _Segment:
    """A piece of the checked text and the span of the original text it stands for."""

    plain_start: int
    plain_end: int
    original_start: int
    original_end: int
    is_text: bool


@dataclass(frozen=True)
class AnnotatedText:
    """The text a client sent (``original``) and the plain text that is checked.

    For a ``text`` field both are the same; for ``data`` the plain text is the
    ``text`` items and each markup's ``interpretAs``, and ``segments`` map its
    positions back into the original (text and markup together).
    """

    original: str
    plain: str
    segments: tuple[_Segment, ...]

    @classmethod
    def from_text(cls, text: str) -> AnnotatedText:
        """A plain text with no markup."""
        return cls(text, text, (_Segment(0, len(text), 0, len(text), True),))

    @classmethod
    def from_data(cls, data: str) -> AnnotatedText:
        """Parse the ``data`` field: ``{"annotation": [{"text": ...} | {"markup": ...}]}``."""
        try:
            value = json.loads(data)
        except ValueError as error:
            raise RequestError(f"'data' is not valid JSON: {error}") from None
        except RecursionError:
            raise RequestError("'data' is nested too deeply") from None
        items = value.get("annotation") if isinstance(value, dict) else None
        if not isinstance(items, list):
            raise RequestError("'data' must be a JSON object with an 'annotation' list")
        original: list[str] = []
        plain: list[str] = []
        segments: list[_Segment] = []
        plain_at = original_at = 0
        for index, item in enumerate(items):
            text, markup, interpret = _annotation_item(item, index)
            if text is not None:
                piece, shown, is_text = text, text, True
            else:
                piece, shown, is_text = markup or "", interpret, False
            original.append(piece)
            plain.append(shown)
            segments.append(
                _Segment(
                    plain_at, plain_at + len(shown), original_at, original_at + len(piece), is_text
                )
            )
            plain_at += len(shown)
            original_at += len(piece)
        return cls("".join(original), "".join(plain), tuple(segments))

    def to_original(self, position: int, *, end: bool = False) -> int:
        """The code-point position in the original text of a position in the plain text.

        A position inside a markup's ``interpretAs`` maps to the markup's start,
        or to its end when ``end`` is true.
        """
        starts = [s.plain_start for s in self.segments]
        index = bisect.bisect_right(starts, position) - 1
        # An end position belongs to the segment it closes, not the one it opens.
        while end and index > 0 and self.segments[index].plain_start == position:
            index -= 1
        if index < 0:
            return 0
        segment = self.segments[index]
        if segment.is_text:
            offset = min(position, segment.plain_end) - segment.plain_start
            return segment.original_start + offset
        return segment.original_end if end else segment.original_start


def _annotation_item(item: object, index: int) -> tuple[str | None, str | None, str]:
    """``(text, markup, interpretAs)`` of one annotation item, validated."""
    if not isinstance(item, dict):
        raise RequestError(f"annotation item {index} must be an object")
    text, markup, interpret = item.get("text"), item.get("markup"), item.get("interpretAs")
    if (text is None) == (markup is None):
        raise RequestError(f"annotation item {index} needs exactly one of 'text' or 'markup'")
    for name, value in (("text", text), ("markup", markup), ("interpretAs", interpret)):
        if value is not None and not isinstance(value, str):
            raise RequestError(f"annotation item {index}: {name!r} must be a string")
    return text, markup, interpret or ""


def utf16_length(text: str) -> int:
    """The length of ``text`` in UTF-16 code units, as Java counts a string."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def language_code(value: str | None) -> str:
    """The canonical code for a requested ``language``; raises for one not checked here."""
    if value is None or not value.strip():
        raise RequestError("missing 'language' parameter; use 'en-US', 'en' or 'auto'")
    wanted = value.strip()
    if wanted.lower() == "auto":
        return AUTO_LANGUAGE
    for code in LANGUAGES:
        if code.lower() == wanted.lower():
            return code
    raise RequestError(
        f"'{wanted}' is not a language checked by feedback-lint; "
        f"use one of: auto, {', '.join(LANGUAGES)}"
    )


def software_json(version: str) -> dict[str, Any]:
    """The ``software`` object of a ``/v2/check`` answer: this tool, named as LanguageTool is."""
    return {
        "name": "feedback-lint",
        "version": version,
        "buildDate": "",
        "apiVersion": 1,
        "premium": False,
        "status": "",
    }


def languages_json() -> list[dict[str, str]]:
    """The ``/v2/languages`` answer: the English variants accepted."""
    return [
        {"name": name, "code": code.split("-")[0], "longCode": code}
        for code, name in LANGUAGES.items()
    ]


def rule_keys(value: str | None) -> list[str]:
    """The ids of a comma-separated ``enabledRules``-style field."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def category_id(rule: Rule) -> str:
    """A rule's category id as LanguageTool spells them (upper case)."""
    return rule.category.upper().replace("-", "_")


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text``: split after ., ! or ? and at blank lines, trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for boundary in [*_SENTENCE_END.finditer(text), None]:
        end = boundary.start() if boundary is not None else len(text)
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            spans.append((start + lead, start + lead + len(stripped)))
        if boundary is not None:
            start = boundary.end()
    return spans


class _Utf16:
    """Converts code-point positions of one text to UTF-16 positions."""

    def __init__(self, text: str) -> None:
        self._wide = [i for i, char in enumerate(text) if ord(char) > 0xFFFF]

    def __call__(self, position: int) -> int:
        return position + bisect.bisect_left(self._wide, position)


def _context(text: str, start: int, end: int) -> dict[str, Any]:
    """LanguageTool's ``context``: the match with up to 40 characters each side, one line."""
    left = max(0, start - CONTEXT_SIZE)
    right = min(len(text), end + CONTEXT_SIZE)
    prefix = "..." if left > 0 else ""
    suffix = "..." if right < len(text) else ""
    before = text[left:start]
    window = prefix + before + text[start:right] + suffix
    return {
        "text": re.sub(r"[\r\n]", " ", window),
        "offset": utf16_length(prefix + before),
        "length": utf16_length(text[start:end]),
    }


def _short_message(rule: Rule | None, finding: Finding) -> str:
    name = rule.name if rule is not None else finding.name
    return name.replace("-", " ").capitalize()


def _span_and_replacements(finding: Finding, text: str) -> tuple[int, int, list[str]]:
    """The span a match covers (the finding and its suggestions' edits) and each rewrite of it.

    LanguageTool clients replace ``text[offset:offset+length]`` with a
    replacement, so the span grows to cover every edit of every suggestion.
    """
    edits = [edit for s in finding.suggestions for edit in s.edits if edit.end <= len(text)]
    start = min([finding.start, *(e.start for e in edits)])
    end = max([finding.end, *(e.end for e in edits)])
    values: list[str] = []
    for suggestion in finding.suggestions:
        shifted = [Edit(e.start - start, e.end - start, e.replacement) for e in suggestion.edits]
        value = apply_edits(text[start:end], shifted) if shifted else suggestion.replacement
        if value not in values and value != text[start:end]:
            values.append(value)
    return start, end, values


@dataclass(frozen=True)
class _Placed:
    """One ``/v2/check`` match before it is written out: its findings, span and rewrites."""

    findings: tuple[Finding, ...]
    start: int
    end: int
    replacements: tuple[str, ...]


def _insertion_point(finding: Finding) -> int | None:
    """Where a finding's rewrite only adds text (FB3's missing sentence), else None."""
    edits = [edit for s in finding.suggestions for edit in s.edits]
    if edits and all(e.start == e.end == edits[0].start for e in edits):
        return edits[0].start
    return None


def _at_sentence_end(finding: Finding, text: str, point: int) -> _Placed:
    """An added sentence as a match on the punctuation (or word) it follows, so that it
    overlaps no sentence rule's match of the same words."""
    start = point
    while start > 0 and text[start - 1] in ".!?\"')]\u201d\u2019":
        start -= 1
    if start == point:
        while start > 0 and not text[start - 1].isspace():
            start -= 1
    added = [e.replacement for s in finding.suggestions for e in s.edits]
    return _Placed((finding,), start, point, tuple(text[start:point] + a for a in added))


def _overlap(a: _Placed, b: _Placed) -> bool:
    return a.start < b.end and b.start < a.end


def placed_matches(report: Report, text: str, document_codes: frozenset[str]) -> list[_Placed]:
    """The report's findings as matches that LanguageTool clients can apply one by one:
    no two overlap. Where sentence rules overlap, the more severe, then the narrower,
    match stays; a document-level finding (``document_codes``) is placed on the end of
    the sentence its rewrite adds to, and findings that add to the same sentence end
    are merged into one match whose first rewrite adds all their sentences."""
    sentence_rules: list[_Placed] = []
    added: list[_Placed] = []
    for finding in report.findings:
        point = _insertion_point(finding)
        if finding.code in document_codes and point is not None and point <= len(text):
            added.append(_at_sentence_end(finding, text, point))
            continue
        start, end, values = _span_and_replacements(finding, text)
        sentence_rules.append(_Placed((finding,), start, end, tuple(values)))
    kept: list[_Placed] = []
    ranked = sorted(
        sentence_rules,
        key=lambda m: (-m.findings[0].severity.rank, m.end - m.start, m.start),
    )
    for match in ranked:
        if not any(_overlap(match, other) for other in kept):
            kept.append(match)
    groups: dict[tuple[int, int], list[_Placed]] = {}
    for match in added:
        groups.setdefault((match.start, match.end), []).append(match)
    merged: list[_Placed] = []
    for (start, end), group in groups.items():
        values = [value for match in group for value in match.replacements]
        if len(group) > 1:
            # All the missing sentences at once, then each on its own.
            values.insert(0, text[start:end] + "".join(v[end - start :] for v in values))
        findings = tuple(f for match in group for f in match.findings)
        merged.append(_Placed(findings, start, end, tuple(dict.fromkeys(values))))
    for match in merged:
        if not any(_overlap(match, other) for other in kept):
            kept.append(match)
    return sorted(kept, key=lambda m: (m.start, m.end))


def check_json(
    report: Report,
    annotated: AnnotatedText,
    language: str,
    rules: Sequence[Rule],
    software: Mapping[str, Any],
) -> dict[str, Any]:
    """The ``/v2/check`` answer for ``report``, a lint of ``annotated.plain``.

    ``language`` is the canonical code answered; ``rules`` gives descriptions
    and categories; ``software`` is the ``software`` object.
    """
    by_code = {rule.code: rule for rule in rules}
    original = annotated.original
    plain = annotated.plain
    utf16 = _Utf16(original)
    sentences = _sentences(plain)
    sentence_starts = [s for s, _ in sentences]
    matches: list[dict[str, Any]] = []
    document_codes = frozenset(r.code for r in rules if is_document_rule(r))
    for placed in placed_matches(report, plain, document_codes):
        finding = placed.findings[0]
        rule = by_code.get(finding.code)
        start, end, replacements = placed.start, placed.end, placed.replacements
        first = annotated.to_original(start)
        last = max(first, annotated.to_original(end, end=True))
        index = max(0, bisect.bisect_right(sentence_starts, finding.start) - 1)
        sentence = plain[slice(*sentences[index])] if sentences else ""
        matches.append(
            {
                "message": " ".join(f.message for f in placed.findings),
                "shortMessage": _short_message(rule, finding),
                "replacements": [{"value": value} for value in replacements],
                "offset": utf16(first),
                "length": utf16(last) - utf16(first),
                "context": _context(original, first, last),
                "sentence": sentence,
                "type": {"typeName": "Other"},
                "rule": {
                    "id": finding.code,
                    "description": rule.summary if rule is not None else finding.name,
                    "issueType": "style",
                    "category": {
                        "id": category_id(rule) if rule is not None else "FEEDBACK",
                        "name": rule.category.capitalize() if rule is not None else "Feedback",
                    },
                },
                "ignoreForIncompleteSentence": False,
                "contextForSureMatch": 0,
            }
        )
    name = LANGUAGES[language]
    return {
        "software": dict(software),
        "warnings": {"incompleteResults": False},
        "language": {
            "name": name,
            "code": language,
            "detectedLanguage": {"name": name, "code": language, "confidence": 1.0},
        },
        "matches": matches,
        "sentenceRanges": [
            [
                utf16(annotated.to_original(s)),
                utf16(annotated.to_original(e, end=True)),
            ]
            for s, e in sentences
        ],
    }
