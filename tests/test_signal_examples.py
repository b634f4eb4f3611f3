"""Every example in every signal file runs as a test against the real pipeline.

A ``has`` example must contain the signal (in its one unit, the whole text)
and a ``lacks`` example must not.
"""

from __future__ import annotations

import pytest

from feedback_lint import Linter
from feedback_lint.rules.signals import Signal, SignalExample, load_signals

SIGNALS = load_signals()
CASES = [
    pytest.param(signal, example, id=f"{signal.name}.yml:{example.line}:{example.kind}")
    for signal in SIGNALS
    for example in signal.examples
]


@pytest.mark.parametrize(("signal", "example"), CASES)
def test_signal_example(linter: Linter, signal: Signal, example: SignalExample) -> None:
    report = linter.lint_text(example.text, format="text")
    (unit,) = report.units
    found = [report.text[start:end] for start, end in unit.signals[signal.name]]
    if example.kind == "has":
        assert found, f"{signal.path}:{example.line}: {example.text!r} should have {signal.name}"
    else:
        assert not found, f"{signal.path}:{example.line}: {example.text!r} has {found}"


@pytest.mark.parametrize("signal", SIGNALS, ids=lambda s: s.name)
def test_signal_examples_present(signal: Signal) -> None:
    kinds = [example.kind for example in signal.examples]
    assert kinds.count("has") >= 12 and kinds.count("lacks") >= 12
    assert signal.summary.endswith(".") and len(signal.rationale) > 80
