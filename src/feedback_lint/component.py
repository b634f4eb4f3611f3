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
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from spacy.language import Language
from spacy.tokens import Doc

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

for _attribute in ("feedback_findings", "feedback_units"):
    if not Doc.has_extension(_attribute):
        Doc.set_extension(_attribute, default=())


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
        report = self.linter.lint_doc(doc, parse_missing=self.parse_missing)
        doc._.feedback_findings = report.findings
        doc._.feedback_units = report.units
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
    assigns=["doc._.feedback_findings", "doc._.feedback_units"],
    func=make_component,
)
