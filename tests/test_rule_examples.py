"""Every example in every rule file runs as a test against the real pipeline.

A ``flag`` example must raise its rule, a ``pass`` example must not, and a
``fixed`` text must be what the rule's first suggestion produces, must not
raise the rule again, and must raise no other tone finding (a sentence rule's)
in the words the rewrite wrote or anywhere it did not raise one before.

Whether the rule raises is asked of a linter that runs it alone, so that an
example tests the rule's own patterns: among all rules, its finding may yield
to another rule's on the same words (``yields_to``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import pytest

from feedback_lint import Linter
from feedback_lint.evaluate import written_spans
from feedback_lint.findings import Edit, Finding, Report, apply_edits
from feedback_lint.matching.document import is_document_rule
from feedback_lint.rules import Example, Rule, load_rules

RULES = load_rules()
CASES = [
    pytest.param(rule, example, id=f"{rule.code}-{rule.name}.yml:{example.line}:{example.kind}")
    for rule in RULES
    for example in rule.examples
]


TONE = frozenset(rule.code for rule in RULES if not is_document_rule(rule))
_ALONE: dict[str, Linter] = {}


def _alone(linter: Linter, rule: Rule) -> Linter:
    """A linter that runs ``rule`` and no other, on ``linter``'s pipeline."""
    if rule.code not in _ALONE:
        _ALONE[rule.code] = linter.sharing_pipeline(select=[rule.code])
    return _ALONE[rule.code]


def _own(report: Report, rule: Rule) -> list[Finding]:
    return [f for f in report.findings if f.code == rule.code]


def _case_only(text: str, edits: Sequence[Edit]) -> bool:
    """A rewrite that changes only letter case (FB209) keeps every word, so a tone
    finding it brings to light was in the words already, hidden by the capitals."""
    return all(text[e.start : e.end].lower() == e.replacement.lower() for e in edits)


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_rule_example(linter: Linter, rule: Rule, example: Example) -> None:
    alone = _alone(linter, rule)
    own = _own(alone.lint_text(example.text, format="text"), rule)
    if example.kind == "pass":
        assert not own, f"{rule.path}:{example.line}: {example.text!r} should pass"
        return
    assert own, f"{rule.path}:{example.line}: {example.text!r} should be flagged"
    if example.fixed is not None:
        # Only this rule's rewrite: other rules (document-level ones in particular)
        # may add their own sentences to the same text.
        edits = [edit for finding in own for edit in finding.suggestions[0].edits]
        fixed = apply_edits(example.text, edits)
        assert fixed == example.fixed
        still = _own(alone.lint_text(example.fixed, format="text"), rule)
        assert not still, f"{example.fixed!r} still raises {rule.code}"
        if _case_only(example.text, edits):
            return
        report = linter.lint_text(example.text, format="text")
        again = linter.lint_text(example.fixed, format="text")
        tone = [f for f in again.findings if f.code in TONE]
        written = written_spans(edits)
        inside = [f.code for f in tone if any(f.start < e and s < f.end for s, e in written)]
        assert inside == [], f"the rewrite {example.fixed!r} raises {inside}"
        before = Counter(f.code for f in report.findings if f.code in TONE)
        new = Counter(f.code for f in tone) - before
        assert not new, f"{example.fixed!r} raises {sorted(new)}, which {example.text!r} did not"
