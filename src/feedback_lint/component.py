"""The spaCy pipeline component ``feedback_lint``.

Importing this module (or calling ``nlp.add_pipe("feedback_lint")``, which finds
it through the ``spacy_factories`` entry point) registers the component. It sets
``doc._.feedback_findings`` (a tuple of :class:`Finding`, offsets into
``doc.text``) and ``doc._.feedback_units`` (a tuple of :class:`Unit`)::

    nlp = spacy.load("en_core_web_sm")
    nlp.add_pipe("feedback_lint", config={"select": ["FB1"]})
    doc = nlp("You always miss deadlines.")
    doc._.feedback_findings[0].code   # 'FB101'

The component lints the Doc it is given, with the host pipeline's own parse
(see :meth:`Linter.lint_doc`): add it after the components the rules need (a
tagger, the attribute ruler, a lemmatizer and a parser, as ``en_core_web_sm``
has). Prose that the Doc does not hold exactly (masked code, a quote) is
parsed again. A Doc without some annotation the rules need is parsed again
with feedback-lint's own English pipeline (loaded once per process), so the
component even works in ``spacy.blank("en")``; with ``parse_missing: false``
in its config it refuses such a Doc instead, with one line naming what is
missing.

The Doc keeps the report as plain data (the JSON output's encoding, in
``doc._.feedback_lint_report``), from which the two attributes are read, so a
linted Doc serializes like any other: ``doc.to_bytes()``, a ``DocBin``, and
``nlp.pipe(..., n_process=2)``, which sends Docs between processes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final
from weakref import WeakKeyDictionary

from spacy.language import Language
from spacy.tokens import Doc

from .documents import from_text
from .encoding import decode_finding, decode_unit, field, finding_json, unit_json
from .findings import Finding, Report, Unit
from .linter import Linter

#: The name the component is registered under.
FACTORY: Final = "feedback_lint"

DEFAULT_CONFIG: Final[dict[str, Any]] = {
    "select": None,
    "ignore": [],
    "extend_select": [],
    "extend_ignore": [],
    "profile": None,
    "unit": "document",
    "rules_dirs": [],
    "model": None,
    "parse_missing": True,
}

#: The Doc attribute that holds the report as plain data.
STORED: Final = "feedback_lint_report"
#: The path the findings of a Doc name.
_PATH: Final = "<doc>"

#: Reports already read back, by Doc, with the data they were read from.
_read: WeakKeyDictionary[Doc, tuple[object, tuple[tuple[Finding, ...], tuple[Unit, ...]]]] = (
    WeakKeyDictionary()
)


def stored(report: Report) -> dict[str, Any]:
    """``report``'s findings and units as the plain data a Doc keeps."""
    return {
        "findings": [finding_json(f, report.text) for f in report.findings],
        "units": [unit_json(u) for u in report.units],
    }


def _report(doc: Doc) -> tuple[tuple[Finding, ...], tuple[Unit, ...]]:
    """The findings and units ``doc`` keeps, read once per stored report; a Doc
    that was never linted has none. Data that is not such a report for this text
    (a Doc read back from a damaged file) raises ValueError."""
    data = doc._.get(STORED)
    if data is None:
        return (), ()
    seen = _read.get(doc)
    if seen is not None and seen[0] is data:
        return seen[1]
    document = from_text(doc.text, path=_PATH, format="text")
    plain = _as_lists(data)
    findings = tuple(decode_finding(f, document) for f in field(plain, "findings", list))
    units = tuple(decode_unit(u, doc.text) for u in field(plain, "units", list))
    _read[doc] = (data, (findings, units))
    return findings, units


def _as_lists(value: object) -> object:
    """``value`` with its tuples as lists: spaCy reads a Doc's stored lists back as
    tuples, and the encoding is that of JSON."""
    if isinstance(value, (list, tuple)):
        return [_as_lists(item) for item in value]
    if isinstance(value, dict):
        return {key: _as_lists(item) for key, item in value.items()}
    return value


if not Doc.has_extension(STORED):
    Doc.set_extension(STORED, default=None)
if not Doc.has_extension("feedback_findings"):
    Doc.set_extension("feedback_findings", getter=lambda doc: _report(doc)[0])
if not Doc.has_extension("feedback_units"):
    Doc.set_extension("feedback_units", getter=lambda doc: _report(doc)[1])


class FeedbackLintComponent:
    """Lints each Doc's text and stores the findings and units on the Doc."""

    def __init__(
        self, nlp: Language, name: str, linter: Linter, parse_missing: bool = True
    ) -> None:
        self.nlp = nlp
        self.name = name
        self.linter = linter
        self.parse_missing = parse_missing

    def __call__(self, doc: Doc) -> Doc:
        """Set ``doc._.feedback_findings`` and ``doc._.feedback_units`` from ``doc``'s parse."""
        if self.linter.nlp is self.nlp:
            raise ValueError(
                "the feedback_lint component cannot be added to the pipeline feedback-lint itself"
                " parses with; add it to a pipeline loaded with spacy.load()"
            )
        report = self.linter.lint_doc(doc, path=_PATH, parse_missing=self.parse_missing)
        doc._.set(STORED, stored(report))
        return doc


def make_component(
    nlp: Language,
    name: str,
    select: Sequence[str] | None,
    ignore: Sequence[str],
    extend_select: Sequence[str],
    extend_ignore: Sequence[str],
    profile: str | None,
    unit: str,
    rules_dirs: Sequence[str],
    model: str | None,
    parse_missing: bool = True,
) -> FeedbackLintComponent:
    """Build the component; the options are :class:`Linter`'s, given in the pipe's config,
    and ``parse_missing`` (see the module's docs)."""
    linter = Linter(
        select=select,
        ignore=ignore,
        extend_select=extend_select,
        extend_ignore=extend_ignore,
        profile=profile,
        unit=unit,
        rules_dirs=rules_dirs,
        model=model,
    )
    return FeedbackLintComponent(nlp, name, linter, parse_missing)


Language.factory(
    FACTORY,
    default_config=DEFAULT_CONFIG,
    assigns=[f"doc._.{STORED}"],
    func=make_component,
)
