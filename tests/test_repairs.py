"""The parse repair: a subject hung on an auxiliary belongs to the verb."""

from __future__ import annotations

from feedback_lint import Linter


def test_a_subject_hung_on_an_auxiliary_is_the_verbs(linter: Linter) -> None:
    (doc,) = linter.parse("You missed the deadline. The tests are missing.")
    tests = next(token for token in doc if token.text == "tests")
    assert tests.head.text == "missing"
    assert tests.dep_ == "nsubj"
    assert [token.i for token in doc if token.head == token] == [1, 8]
    assert len(list(doc.sents)) == 2


def test_rules_see_the_repaired_subject(linter: Linter) -> None:
    text = "This is grossly oversimplified, and not an appropriate statement for a journal."
    report = linter.lint_text(text, format="text")
    assert "FB202" in {finding.code for finding in report.findings}


def test_a_well_attached_subject_is_left_alone(linter: Linter) -> None:
    (doc,) = linter.parse("The build is red because the tests were skipped.")
    heads = {token.text: token.head.text for token in doc}
    assert heads["build"] == "is"
    assert heads["tests"] == "skipped"
