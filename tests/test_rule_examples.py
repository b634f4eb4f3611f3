"""Every example in every rule file runs as a test against the real pipeline.

A ``flag`` example must raise its rule, a ``pass`` example must not, and a
``fixed`` text must be what the rule's first suggestion produces, must not
raise the rule again, and must raise no other tone finding (a sentence rule's)
in the words the rewrite wrote or anywhere it did not raise one before.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import pytest

from feedback_lint import Linter
from feedback_lint.evaluate import written_spans
from feedback_lint.findings import Edit, Report, apply_edits
from feedback_lint.matching.document import is_document_rule
from feedback_lint.rules import Example, Rule, load_rules

RULES = load_rules()
CASES = [
    pytest.param(rule, example, id=f"{rule.code}-{rule.name}.yml:{example.line}:{example.kind}")
    for rule in RULES
    for example in rule.examples
]


TONE = frozenset(rule.code for rule in RULES if not is_document_rule(rule))


def _own(report: Report, rule: Rule) -> list[str]:
    return [f.code for f in report.findings if f.code == rule.code]


def _case_only(text: str, edits: Sequence[Edit]) -> bool:
    """A rewrite that changes only letter case (FB209) keeps every word, so a tone
    finding it brings to light was in the words already, hidden by the capitals."""
    return all(text[e.start : e.end].lower() == e.replacement.lower() for e in edits)


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_rule_example(linter: Linter, rule: Rule, example: Example) -> None:
    report = linter.lint_text(example.text, format="text")
    own = [f for f in report.findings if f.code == rule.code]
    if example.kind == "pass":
        assert own == [], f"{rule.path}:{example.line}: {example.text!r} should pass"
        return
    assert own, f"{rule.path}:{example.line}: {example.text!r} should be flagged"
    if example.fixed is not None:
        # Only this rule's rewrite: other rules (document-level ones in particular)
        # may add their own sentences to the same text.
        edits = [edit for finding in own for edit in finding.suggestions[0].edits]
        fixed = apply_edits(example.text, edits)
        assert fixed == example.fixed
        again = linter.lint_text(example.fixed, format="text")
        assert _own(again, rule) == [], f"{example.fixed!r} still raises {rule.code}"
        if _case_only(example.text, edits):
            return
        tone = [f for f in again.findings if f.code in TONE]
        written = written_spans(edits)
        inside = [f.code for f in tone if any(f.start < e and s < f.end for s, e in written)]
        assert inside == [], f"the rewrite {example.fixed!r} raises {inside}"
        before = Counter(f.code for f in report.findings if f.code in TONE)
        new = Counter(f.code for f in tone) - before
        assert not new, f"{example.fixed!r} raises {sorted(new)}, which {example.text!r} did not"
