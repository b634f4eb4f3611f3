"""The matching engine on hand-built Docs: no trained pipeline is needed."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from conftest import RuleWriter
from feedback_lint.errors import RuleError
from feedback_lint.matching import CompiledRules, required_components
from feedback_lint.matching.columns import Columns
from feedback_lint.matching.conditions import related
from feedback_lint.rules import Rule, load_rules
from feedback_lint.suggestions import build_suggestion, render

HEADER = """
code: {code}
name: {name}
severity: warning
summary: A test rule.
message: '{message}'
rationale: Written for the engine tests of feedback-lint.
examples:
  - flag: x
  - pass: y
"""


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.blank("en")


def you_always_miss(nlp: Language) -> Doc:
    """'You always miss deadlines .' parsed by hand."""
    return Doc(
        nlp.vocab,
        words=["You", "always", "miss", "deadlines", "."],
        spaces=[True, True, True, False, False],
        pos=["PRON", "ADV", "VERB", "NOUN", "PUNCT"],
        lemmas=["you", "always", "miss", "deadline", "."],
        heads=[2, 2, 2, 2, 2],
        deps=["nsubj", "advmod", "ROOT", "dobj", "punct"],
        sent_starts=[True, False, False, False, False],
    )


def build_build_runs(nlp: Language) -> Doc:
    """'The build always runs .' parsed by hand."""
    return Doc(
        nlp.vocab,
        words=["The", "build", "always", "runs", "."],
        spaces=[True, True, True, False, False],
        pos=["DET", "NOUN", "ADV", "VERB", "PUNCT"],
        lemmas=["the", "build", "always", "run", "."],
        heads=[1, 3, 3, 3, 3],
        deps=["det", "nsubj", "advmod", "ROOT", "punct"],
        sent_starts=[True, False, False, False, False],
    )


def compile_rules(
    rule_dir: RuleWriter, nlp: Language, *bodies: str, lexicons: dict[str, str] | None = None
) -> tuple[tuple[Rule, ...], CompiledRules]:
    files = {}
    for index, body in enumerate(bodies):
        code, name = f"XX{101 + index}", f"rule-{index}"
        header = HEADER.format(code=code, name=name, message="{match.text}")
        files[f"test/{code}-{name}.yml"] = header + body
    rules = load_rules([rule_dir(files, lexicons)], builtin=False)
    return rules, CompiledRules(rules, nlp)


DEPENDENCY = """
match:
  kind: dependency
  pattern:
    - RIGHT_ID: verb
      RIGHT_ATTRS: {POS: VERB}
    - LEFT_ID: verb
      REL_OP: ">"
      RIGHT_ID: subject
      RIGHT_ATTRS: {DEP: nsubj, LOWER: {IN: $people}}
    - {LEFT_ID: verb, REL_OP: ">", RIGHT_ID: absolute, RIGHT_ATTRS: {DEP: advmod, LOWER: always}}
  report: [subject, absolute]
suggestion:
  title: Name the occasion
  replace_with: "I observed {subject.objective} {verb.bare} [when?]"
  target: verb.clause
"""


def test_matching_dependency_nodes_and_report_span(rule_dir: RuleWriter, nlp: Language) -> None:
    _, compiled = compile_rules(rule_dir, nlp, DEPENDENCY, lexicons={"people": "# t\nyou\nhe\n"})
    doc = you_always_miss(nlp)
    (match,) = compiled.find(doc)
    assert {name: span.text for name, span in match.nodes.items()} == {
        "verb": "miss",
        "subject": "You",
        "absolute": "always",
        "match": "You always miss",
    }
    assert doc.text[match.start_char : match.end_char] == "You always"
    assert compiled.find(build_build_runs(nlp)) == []


def test_matching_suggestion_from_parse(rule_dir: RuleWriter, nlp: Language) -> None:
    _, compiled = compile_rules(rule_dir, nlp, DEPENDENCY, lexicons={"people": "# t\nyou\n"})
    doc = you_always_miss(nlp)
    (match,) = compiled.find(doc)
    suggestion = build_suggestion(match, offset=10)
    assert suggestion is not None
    assert suggestion.replacement == "I observed you miss deadlines [when?]"
    (edit,) = suggestion.edits
    assert (edit.start, edit.end) == (10, 10 + len("You always miss deadlines"))


def test_matching_token_pattern_names_nodes(rule_dir: RuleWriter, nlp: Language) -> None:
    body = """
match:
  kind: token
  pattern:
    - {LOWER: {IN: [you, he]}, NAME: who}
    - {LOWER: always, NAME: how}
    - {IS_ALPHA: true, OP: "+", NAME: what}
"""
    _, compiled = compile_rules(rule_dir, nlp, body)
    doc = nlp.make_doc("Yes, you always miss it")
    matches = compiled.find(doc)
    assert matches
    nodes = {name: span.text for name, span in matches[0].nodes.items()}
    assert nodes["who"] == "you" and nodes["how"] == "always" and nodes["what"] == "miss"


def test_matching_phrases_are_case_insensitive(rule_dir: RuleWriter, nlp: Language) -> None:
    body = "match:\n  kind: phrase\n  patterns: [last warning, or else]\n"
    _, compiled = compile_rules(rule_dir, nlp, body)
    found = [m.nodes["match"].text for m in compiled.find(nlp.make_doc("LAST WARNING, or else."))]
    assert sorted(found) == ["LAST WARNING", "or else"]


def test_matching_regex_named_groups(rule_dir: RuleWriter, nlp: Language) -> None:
    body = "match:\n  kind: regex\n  pattern: 'thanks for (?P<what>finally \\w+)'\n"
    _, compiled = compile_rules(rule_dir, nlp, body)
    (match,) = compiled.find(nlp.make_doc("Well, thanks for finally showing up."))
    assert match.nodes["what"].text == "finally showing"
    assert render("[{what.lower}]", match) == "[finally showing]"


@pytest.mark.parametrize(
    ("condition", "matches"),
    [
        ("unless: [{node: verb, rel: '>', attrs: {DEP: dobj}}]", 0),
        ("unless: [{node: verb, rel: '>', attrs: {DEP: aux}}]", 1),
        ("require: [{node: verb, rel: sentence, attrs: {ORTH: '.'}}]", 1),
        ("require: [{node: verb, rel: sentence, attrs: {ORTH: '?'}}]", 0),
        ("require: [{node: subject, rel: '<', attrs: {LEMMA: miss}}]", 1),
        ("unless: [{node: subject, rel: '.', attrs: {LOWER: always}}]", 0),
        ("require: [{node: verb, rel: after, attrs: {LOWER: deadlines}}]", 1),
        ("require: [{node: verb, rel: before, attrs: {LOWER: deadlines}}]", 0),
        # a condition's own conditions: a word anywhere in the sentence, unless the word
        # after it is "deadlines"
        ("unless: [{node: verb, rel: sentence, attrs: {LOWER: miss}, "
         "unless: [{rel: '.', attrs: {LOWER: deadlines}}]}]", 1),
        ("unless: [{node: verb, rel: sentence, attrs: {LOWER: always}, "
         "unless: [{rel: '.', attrs: {LOWER: deadlines}}]}]", 0),
        # its own conditions are related to the token it found, not to the node
        ("require: [{node: subject, rel: sentence, attrs: {LOWER: miss}, "
         "require: [{rel: '>', attrs: {DEP: dobj}}]}]", 1),
        ("require: [{node: subject, rel: sentence, attrs: {LOWER: miss}, "
         "require: [{rel: '>', attrs: {DEP: aux}}]}]", 0),
        # and they nest: "always" whose head is "miss", unless that head has "deadlines"
        ("require: [{node: verb, rel: sentence, attrs: {LOWER: always}, "
         "require: [{rel: '<', attrs: {LEMMA: miss}, "
         "unless: [{rel: '>', attrs: {LOWER: deadlines}}]}]}]", 0),
    ],
)
def test_matching_conditions(
    rule_dir: RuleWriter, nlp: Language, condition: str, matches: int
) -> None:
    body = DEPENDENCY.replace("  report: [subject, absolute]", "  " + condition)
    _, compiled = compile_rules(rule_dir, nlp, body, lexicons={"people": "# t\nyou\n"})
    assert len(compiled.find(you_always_miss(nlp))) == matches


def test_matching_a_nested_condition_names_no_node(rule_dir: RuleWriter, nlp: Language) -> None:
    body = DEPENDENCY.replace(
        "  report: [subject, absolute]",
        "  unless: [{node: verb, rel: '>', attrs: {DEP: dobj}, "
        "unless: [{node: verb, attrs: {LOWER: x}}]}]",
    )
    with pytest.raises(RuleError) as caught:
        compile_rules(rule_dir, nlp, body, lexicons={"people": "# t\nyou\n"})
    assert caught.value.code == "R102"


def compile_with_lists(
    rule_dir: RuleWriter, nlp: Language, condition: str, lists: dict[str, str]
) -> CompiledRules:
    """The DEPENDENCY rule with ``condition``, in a folder with these condition lists."""
    body = DEPENDENCY.replace("  report: [subject, absolute]", "  " + condition)
    header = HEADER.format(code="XX101", name="rule-0", message="{match.text}")
    files = {"test/XX101-rule-0.yml": header + body}
    files |= {f"conditions/{name}.yml": text for name, text in lists.items()}
    rules = load_rules([rule_dir(files, {"people": "# t\nyou\n"})], builtin=False)
    return CompiledRules(rules, nlp)


@pytest.mark.parametrize(
    ("condition", "matches"),
    [
        # the list as the whole value, as an item among others, and as a condition's own
        ("unless: $has-object", 0),
        ("unless: $has-aux", 1),
        ("unless: [{node: verb, rel: '>', attrs: {DEP: aux}}, $has-object]", 0),
        ("unless: [{node: verb, rel: sentence, attrs: {LOWER: miss}, unless: $before-dl}]", 1),
        ("unless: [{node: verb, rel: sentence, attrs: {LOWER: always}, unless: $before-dl}]", 0),
        # a list may use another list
        ("unless: $has-object-or-aux", 0),
    ],
)
def test_matching_a_condition_list_by_name(
    rule_dir: RuleWriter, nlp: Language, condition: str, matches: int
) -> None:
    lists = {
        "has-object": "# the verb has an object\n- {rel: '>', attrs: {DEP: dobj}}\n",
        "has-aux": "- {rel: '>', attrs: {DEP: aux}}\n",
        "before-dl": "- {rel: '.', attrs: {LOWER: deadlines}}\n",
        "has-object-or-aux": "- $has-aux\n- $has-object\n",
    }
    compiled = compile_with_lists(rule_dir, nlp, condition, lists)
    assert len(compiled.find(you_always_miss(nlp))) == matches


@pytest.mark.parametrize(
    ("lists", "code", "in_file"),
    [
        ({"other": "- {rel: '>', attrs: {DEP: dobj}}\n"}, "R117", "test/XX101-rule-0.yml"),
        ({"has-object": "- {node: verb, rel: '>', attrs: {DEP: dobj}}\n"}, "R102", "has-object"),
        ({"has-object": "- $loop\n", "loop": "- $has-object\n"}, "R118", "loop"),
        ({"has-object": "rel: '>'\n"}, "R104", "has-object"),
        ({"has-object": "- {rel: '>', attrs: [DEP]}\n"}, "R104", "has-object"),
        ({"has-object": "- {rel: '>', attrs: {DEP: dobj}\n"}, "R101", "has-object"),
    ],
)
def test_matching_a_bad_condition_list_names_its_file(
    rule_dir: RuleWriter, nlp: Language, lists: dict[str, str], code: str, in_file: str
) -> None:
    with pytest.raises(RuleError) as caught:
        compile_with_lists(rule_dir, nlp, "unless: $has-object", lists)
    assert caught.value.code == code
    path = caught.value.path or ""
    assert path.endswith(in_file if "/" in in_file else f"conditions/{in_file}.yml")


def test_matching_invalid_spacy_pattern_names_line(rule_dir: RuleWriter, nlp: Language) -> None:
    body = "match:\n  kind: token\n  patterns:\n    - [{LOWER: ok}]\n    - [{COLOUR: red}]\n"
    with pytest.raises(RuleError) as caught:
        compile_rules(rule_dir, nlp, body)
    assert caught.value.code == "R105"
    assert caught.value.line == 14
    assert caught.value.path is not None and caught.value.path.endswith("XX101-rule-0.yml")


def test_matching_required_components(rule_dir: RuleWriter, nlp: Language) -> None:
    phrase = "match:\n  kind: phrase\n  patterns: [or else]\n"
    rules, _ = compile_rules(rule_dir, nlp, phrase)
    assert required_components(rules) == frozenset()
    rules, _ = compile_rules(rule_dir, nlp, DEPENDENCY, lexicons={"people": "# t\nyou\n"})
    assert {"parser", "lemmatizer", "tagger"} <= required_components(rules)
    assert "ner" not in required_components(rules)


@pytest.mark.parametrize(
    ("condition", "text", "matches"),
    [
        ("unless: [{rel: '.', attrs: {LOWER: the}}]", "Step up the pace.", 0),
        ("unless: [{rel: '.', attrs: {LOWER: the}}]", "Please step up.", 1),
        ("unless: [{rel: ';', attrs: {LOWER: please}}]", "Please step up.", 0),
        ("unless: [{rel: ';', attrs: {LOWER: please}}]", "Now step up.", 1),
        # "." and ";" look past the whole phrase, not from its root ("step" -> "up")
        ("unless: [{rel: '.', attrs: {LOWER: up}}]", "Step up.", 1),
    ],
)
def test_matching_next_and_previous_look_past_a_phrase(
    rule_dir: RuleWriter, nlp: Language, condition: str, text: str, matches: int
) -> None:
    body = f"match:\n  kind: phrase\n  patterns: [step up]\n  {condition}\n"
    _, compiled = compile_rules(rule_dir, nlp, body)
    assert len(compiled.find(nlp.make_doc(text))) == matches


def _two_kinds(replace_with: str) -> str:
    dependency, _, _ = DEPENDENCY.partition("suggestion:")
    dependency = dependency.replace("match:\n  kind: dependency", "match:\n- kind: dependency")
    dependency = dependency.replace("  report: [subject, absolute]\n", "")
    return (
        dependency
        + "- kind: phrase\n  patterns: [or else]\n"
        + f"suggestion:\n  title: T\n  replace_with: '{replace_with}'\n"
    )


def test_matching_template_fallback_for_a_node_some_matches_lack(
    rule_dir: RuleWriter, nlp: Language
) -> None:
    body = _two_kinds("Next time, please {verb.lemma:[do what]}")
    _, compiled = compile_rules(rule_dir, nlp, body, lexicons={"people": "# t\nyou\n"})
    (dependency,) = compiled.find(you_always_miss(nlp))
    assert render("please {verb.lemma:[do what]}", dependency) == "please miss"
    fix_it = Doc(
        nlp.vocab,
        words=["Fix", "it", ",", "or", "else", "."],
        spaces=[True, False, True, True, False, False],
        pos=["VERB", "PRON", "PUNCT", "CCONJ", "ADV", "PUNCT"],
        heads=[0, 0, 0, 0, 0, 0],
        deps=["ROOT", "dobj", "punct", "cc", "advmod", "punct"],
        sent_starts=[True, False, False, False, False, False],
    )
    (phrase,) = compiled.find(fix_it)
    assert render("please {verb.lemma:[do what]}", phrase) == "please [do what]"
    suggestion = build_suggestion(phrase, offset=0)
    assert suggestion is not None and suggestion.replacement == "next time, please [do what]"


@pytest.mark.parametrize("template", ["{verb.lemma}", "{nowhere.text:[x]}"])
def test_matching_template_without_fallback_needs_a_common_node(
    rule_dir: RuleWriter, nlp: Language, template: str
) -> None:
    with pytest.raises(RuleError) as caught:
        compile_rules(rule_dir, nlp, _two_kinds(template), lexicons={"people": "# t\nyou\n"})
    assert caught.value.code == "R106"


@pytest.mark.parametrize(
    ("element", "expected"),
    [
        ("{LOWER: {IN: [always, never]}, NAME: how}", ["always"]),
        ("{LEMMA: miss, POS: VERB, NAME: how}", ["miss"]),
        ("{LEMMA: {IN: [miss, run]}, DEP: dobj, NAME: how}", []),
        ("{ORTH: You, IS_TITLE: true, NAME: how}", ["You"]),
        ("{LOWER: {IN: [you]}, LENGTH: {'>=': 4}, NAME: how}", []),
    ],
)
def test_matching_one_token_patterns_by_word(
    rule_dir: RuleWriter, nlp: Language, element: str, expected: list[str]
) -> None:
    body = f"match:\n  kind: token\n  pattern:\n    - {element}\n"
    _, compiled = compile_rules(rule_dir, nlp, body)
    assert compiled._token._words, "a one-token pattern that names its words is indexed"
    found = [m.nodes["how"].text for m in compiled.find(you_always_miss(nlp))]
    assert found == expected


def test_matching_one_token_pattern_is_still_validated(rule_dir: RuleWriter, nlp: Language) -> None:
    body = "match:\n  kind: token\n  pattern:\n    - {LOWER: {IN: [a]}, COLOUR: red}\n"
    with pytest.raises(RuleError) as caught:
        compile_rules(rule_dir, nlp, body)
    assert caught.value.code == "R105"


@pytest.mark.parametrize(
    ("element", "nodes"),
    [
        # Nothing listed in the first element: the index cannot look it up.
        ("- {LENGTH: {'>=': 6}, NAME: how}\n    - {LOWER: miss}", {"how": "always"}),
        # Named, and "always" could be either optional element: spaCy picks the first.
        (
            "- {LOWER: you}\n"
            "    - {LOWER: always, OP: '?', NAME: first}\n"
            "    - {LOWER: always, OP: '?', NAME: second}\n"
            "    - {LOWER: miss}",
            {"first": "always"},
        ),
    ],
    ids=["nothing-listed-first", "named-and-ambiguous"],
)
def test_matching_token_patterns_the_index_cannot_take_go_to_the_matcher(
    rule_dir: RuleWriter, nlp: Language, element: str, nodes: dict[str, str]
) -> None:
    body = f"match:\n  kind: token\n  pattern:\n    {element}\n"
    _, compiled = compile_rules(rule_dir, nlp, body)
    token = compiled._token
    assert sum(len(m) for _, m in token._groups.values()) == 1 and not token._words
    (match,) = compiled.find(you_always_miss(nlp))
    found = {name: span.text for name, span in match.nodes.items() if name != "match"}
    assert found == nodes


def test_matching_dependency_extensions_are_tested_on_matched_tokens_only() -> None:
    from feedback_lint.matching.dependency import without_extensions as _without_extensions

    pattern = [
        {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": "be"}},
        {
            "LEFT_ID": "verb",
            "REL_OP": ">",
            "RIGHT_ID": "subject",
            "RIGHT_ATTRS": {"DEP": "nsubj", "_": {"target": "person"}},
        },
    ]
    plain, tests = _without_extensions(pattern)
    assert plain[1]["RIGHT_ATTRS"] == {"DEP": "nsubj"}
    assert plain[0] == pattern[0] and "_" in pattern[1]["RIGHT_ATTRS"]  # the rule is untouched
    assert [position for position, _ in tests] == [1]


def test_matching_a_matcher_pattern_runs_only_where_its_words_are(
    rule_dir: RuleWriter, nlp: Language
) -> None:
    body = "match:\n  kind: token\n  pattern:\n    - {LENGTH: {'>=': 6}}\n    - {LOWER: miss}\n"
    _, compiled = compile_rules(rule_dir, nlp, body)
    ((number, _),) = compiled._token._groups.values()
    assert number in compiled._requirements.viable(Columns(you_always_miss(nlp)))
    other = Doc(nlp.vocab, words=["You", "always", "hit", "deadlines", "."])
    assert number not in compiled._requirements.viable(Columns(other))
    assert compiled.find(other) == []


def test_matching_a_one_token_pattern_is_a_column_test(rule_dir: RuleWriter, nlp: Language) -> None:
    body = "match:\n  kind: token\n  pattern:\n    - {LOWER: {REGEX: '^d[a-z]+s$'}}\n"
    _, compiled = compile_rules(rule_dir, nlp, body)
    assert not compiled._token._groups and len(compiled._token._one_token) == 1
    (match,) = compiled.find(you_always_miss(nlp))
    assert match.nodes["match"].text == "deadlines"


def test_matching_only_the_matching_package_uses_spacys_matchers() -> None:
    import ast
    from pathlib import Path

    import feedback_lint

    package = Path(feedback_lint.__file__).parent
    users = set()
    for path in package.rglob("*.py"):
        if path.parent.name == "matching":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("spacy.matcher"):
                users.add(path.name)
            if isinstance(node, ast.Import) and any(
                alias.name.startswith("spacy.matcher") for alias in node.names
            ):
                users.add(path.name)
    assert not users, f"spaCy's matchers are imported outside matching/: {sorted(users)}"


def test_matching_loads_its_matchers_only_when_rules_are_compiled() -> None:
    import subprocess
    import sys

    code = (
        "import sys, feedback_lint, feedback_lint.matching as m; "
        "print('feedback_lint.matching.compiled' in sys.modules, m.CompiledRules.__name__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "CompiledRules"]



@pytest.mark.parametrize(
    ("words", "heads", "deps", "node", "clause"),
    [
        # a lead-in clause is a clause of its own, and not part of the main one
        (
            ["Because", "I", "said", "so", ",", "this", "plan", "is", "silly", "."],
            [2, 2, 7, 2, 7, 6, 7, 7, 7, 7],
            ["mark", "nsubj", "advcl", "advmod", "punct", "det", "nsubj", "ROOT", "acomp", "punct"],
            "silly",
            "this plan is silly",
        ),
        (
            ["If", "this", "is", "terrible", ",", "tell", "me", "why", "."],
            [2, 2, 5, 2, 5, 5, 5, 5, 5],
            ["mark", "nsubj", "advcl", "acomp", "punct", "ROOT", "dative", "advmod", "punct"],
            "terrible",
            "this is terrible",  # what leads in before the subject is left out
        ),
        # an adverbial clause after the subject stays in it
        (
            ["This", "is", "dumb", ",", "unless", "I", "add", "a", "message", "."],
            [1, 1, 1, 1, 6, 6, 1, 8, 6, 1],
            ["nsubj", "ROOT", "acomp", "punct", "mark", "nsubj", "advcl", "det", "dobj", "punct"],
            "dumb",
            "This is dumb , unless I add a message",
        ),
        # a complement clause belongs to the verb that frames it
        (
            ["I", "think", "this", "plan", "is", "silly", "."],
            [1, 1, 3, 4, 1, 4, 1],
            ["nsubj", "ROOT", "det", "nsubj", "ccomp", "acomp", "punct"],
            "silly",
            "I think this plan is silly",
        ),
        # and a relative clause to its noun phrase
        (
            ["The", "plan", "I", "wrote", "is", "silly", "."],
            [1, 4, 3, 1, 4, 4, 4],
            ["det", "nsubj", "nsubj", "relcl", "ROOT", "acomp", "punct"],
            "silly",
            "The plan I wrote is silly",
        ),
        # a coordinated clause is another clause
        (
            ["You", "are", "lazy", "and", "I", "know", "it", "."],
            [1, 1, 1, 1, 5, 1, 5, 1],
            ["nsubj", "ROOT", "acomp", "cc", "nsubj", "conj", "dobj", "punct"],
            "lazy",
            "You are lazy",
        ),
    ],
)
def test_clause_relation_is_the_clause_around_the_node(
    nlp: Language, words: list[str], heads: list[int], deps: list[str], node: str, clause: str
) -> None:
    verbs = {"said", "is", "tell", "add", "think", "wrote", "are", "know"}
    pos = ["VERB" if w in verbs else "PUNCT" if w in ",." else "X" for w in words]
    doc = Doc(nlp.vocab, words=words, pos=pos, heads=heads, deps=deps)
    found = sorted(related(words.index(node), "clause", Columns(doc)))
    assert " ".join(doc[i].text for i in found) == clause
