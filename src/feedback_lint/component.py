"""The spaCy pipeline component ``feedback_lint``.

Importing this module (or calling ``nlp.add_pipe("feedback_lint")``, which finds
it through the ``spacy_factories`` entry point) registers the component. It sets
``doc._.feedback_findings`` (a tuple of :class:`Finding`, offsets into
``doc.text``) and ``doc._.feedback_units`` (a tuple of :class:`Unit`)::

    nlp = spacy.load("en_core_web_sm")
    nlp.add_pipe("feedback_lint", config={"select": ["FB1"]})
    doc = nlp("You always miss deadlines.")
    doc._.feedback_findings[0].code   # 'FB101'

The findings are exactly those ``feedback-lint`` reports for ``doc.text``: the
component lints the text with feedback-lint's own English pipeline (loaded once
per process and shared by every component and :class:`Linter`), so they do not
depend on which components the host pipeline has; it even works in
``spacy.blank("en")``. The price is a second parse of each text.
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
}

for _attribute in ("feedback_findings", "feedback_units"):
    if not Doc.has_extension(_attribute):
        Doc.set_extension(_attribute, default=())


class FeedbackLintComponent:
    """Lints each Doc's text and stores the findings and units on the Doc."""

    def __init__(self, nlp: Language, name: str, linter: Linter) -> None:
        self.nlp = nlp
        self.name = name
        self.linter = linter

    def __call__(self, doc: Doc) -> Doc:
        """Set ``doc._.feedback_findings`` and ``doc._.feedback_units`` from ``doc.text``."""
        if self.linter.nlp is self.nlp:
            raise ValueError(
                "the feedback_lint component cannot be added to the pipeline feedback-lint itself"
                " parses with; add it to a pipeline loaded with spacy.load()"
            )
        report = self.linter.lint_text(doc.text, path="<doc>")
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
) -> FeedbackLintComponent:
    """Build the component; the options are :class:`Linter`'s, given in the pipe's config."""
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
    return FeedbackLintComponent(nlp, name, linter)


Language.factory(
    FACTORY,
    default_config=DEFAULT_CONFIG,
    assigns=["doc._.feedback_findings", "doc._.feedback_units"],
    func=make_component,
)
