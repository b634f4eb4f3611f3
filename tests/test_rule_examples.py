"""Every example in every rule file runs as a test against the real pipeline.

A ``flag`` example must raise its rule, a ``pass`` example must not, and a
``fixed`` text must be what the rule's first suggestion produces and must not
raise the rule again.
"""

from __future__ import annotations

import pytest

from feedback_lint import Linter
from feedback_lint.findings import Report, apply_edits
from feedback_lint.rules import Example, Rule, load_rules

RULES = load_rules()
CASES = [
    pytest.param(rule, example, id=f"{rule.code}-{rule.name}.yml:{example.line}:{example.kind}")
    for rule in RULES
    for example in rule.examples
]


def _own(report: Report, rule: Rule) -> list[str]:
    return [f.code for f in report.findings if f.code == rule.code]


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
