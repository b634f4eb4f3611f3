"""Signal files: loading, validation with file:line, and matching in the shared matchers."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from conftest import RuleWriter
from feedback_lint.errors import RuleError
from feedback_lint.matching import CompiledRules
from feedback_lint.rules import load_rules
from feedback_lint.rules.signals import load_signals, rule_sources

SIGNAL = """
signal: ask
summary: A request.
match:
  - kind: phrase
    patterns: [could you]
  - kind: token
    pattern:
      - {LOWER: please}
examples:
  - has: Could you send it?
  - lacks: It was sent.
"""

RULE = """
code: XX301
name: missing-ask
severity: warning
summary: Criticism with no request.
message: 'no request after "{match.text}"'
rationale: Written for the signal tests of feedback-lint.
match:
  kind: document
  when: {has: [late], lacks: [ask]}
examples:
  - flag: x
  - pass: y
"""

LATE = "signal: late\nsummary: Lateness.\nmatch: {kind: phrase, patterns: [late]}\n" + (
    "examples: [{has: late}, {lacks: early}]\n"
)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.blank("en")


def test_signals_load_with_examples(rule_dir: RuleWriter) -> None:
    (signal,) = load_signals([rule_dir({"signals/ask.yml": SIGNAL})], builtin=False)
    assert signal.name == "ask"
    assert [m.kind for m in signal.matches] == ["phrase", "token"]
    assert [(e.kind, e.text) for e in signal.examples] == [
        ("has", "Could you send it?"),
        ("lacks", "It was sent."),
    ]


@pytest.mark.parametrize(
    ("old", "new", "code", "line"),
    [
        ("summary: A request.", "summary: A request.\ncolour: red", "R102", 3),
        ("signal: ask", "signal: other", "R110", 1),
        ("signal: ask", "signal: Ask_Me", "R109", 1),
        ("  - has: Could you send it?", "  - has: x\n    lacks: y", "R114", 10),
        ("    patterns: [could you]", "    patterns: [$nowhere]", "R112", 5),
        ("  - kind: phrase", "  - kind: document", "R114", 4),
    ],
)
def test_signals_errors_name_file_and_line(
    rule_dir: RuleWriter, old: str, new: str, code: str, line: int
) -> None:
    assert old in SIGNAL
    folder = rule_dir({"signals/ask.yml": SIGNAL.replace(old, new)})
    with pytest.raises(RuleError) as caught:
        load_signals([folder], builtin=False)
    assert caught.value.code == code
    assert (caught.value.path, caught.value.line) == (str(folder / "signals" / "ask.yml"), line)


def test_signals_document_rule_must_name_known_signals(rule_dir: RuleWriter) -> None:
    folder = rule_dir({"signals/ask.yml": SIGNAL, "s/XX301-missing-ask.yml": RULE})
    with pytest.raises(RuleError) as caught:
        load_rules([folder], builtin=False)
    assert caught.value.code == "R115"
    assert caught.value.path == str(folder / "s" / "XX301-missing-ask.yml")
    assert caught.value.line == 9


def test_signals_compile_into_the_same_matchers_as_rules(
    rule_dir: RuleWriter, nlp: Language
) -> None:
    folder = rule_dir(
        {"signals/ask.yml": SIGNAL, "signals/late.yml": LATE, "s/XX301-missing-ask.yml": RULE}
    )
    rules = load_rules([folder], builtin=False)
    signals = load_signals([folder], builtin=False)
    compiled = CompiledRules(rules, nlp, signals)
    doc = Doc(nlp.vocab, words=["Late", "again", ",", "could", "you", "please", "hurry", "?"])
    matches, found = compiled.scan(doc)
    assert matches == []  # a document rule is judged per unit, never matched in a block
    assert sorted((s.signal.name, s.span.text) for s in found) == [
        ("ask", "could you"),
        ("ask", "please"),
        ("late", "Late"),
    ]
    assert compiled.find(doc) == []


def test_signals_builtin_names() -> None:
    names = {signal.name for signal in load_signals()}
    assert {"criticism", "observation", "impact", "next-step"} <= names
    assert all(Path(s.path).name == f"{s.name}.yml" for s in load_signals())


RULES_SIGNAL = """
signal: blame
summary: Blame, as the XX rules find it.
rules: [XX1]
match: {kind: phrase, patterns: [your fault]}
examples: [{has: your fault}, {lacks: fine}]
"""

XX101 = """
code: XX101
name: late-word
severity: warning
summary: The word late.
message: 'late'
rationale: Written for the signal tests of feedback-lint.
match: {kind: phrase, patterns: [late]}
examples:
  - flag: late
  - pass: early
"""


def test_signals_rules_entry_names_rules_whose_matches_count(rule_dir: RuleWriter) -> None:
    folder = rule_dir({"signals/blame.yml": RULES_SIGNAL, "x/XX101-late-word.yml": XX101})
    rules = load_rules([folder], builtin=False)
    (signal,) = load_signals([folder], builtin=False)
    assert signal.rules == ("XX1",)
    assert rule_sources([signal], rules) == {"XX101": (signal,)}
    bad = rule_dir({"signals/blame.yml": RULES_SIGNAL.replace("[XX1]", "[XX9]")})
    (wrong,) = load_signals([bad], builtin=False)
    with pytest.raises(RuleError) as caught:
        rule_sources([wrong], rules)
    assert caught.value.code == "R114"
    assert (caught.value.path, caught.value.line) == (str(bad / "signals" / "blame.yml"), 3)
