"""The spaCy component: ``nlp.add_pipe("feedback_lint")`` sets the findings and units."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import spacy

import feedback_lint
from feedback_lint.component import FACTORY, FeedbackLintComponent, make_component
from feedback_lint.parsing import resolve_pipeline

TEXT = "You always miss deadlines and you are lazy. Next time, please tell me early."


def test_component_registers_through_the_entry_point() -> None:
    # A fresh interpreter that never imports feedback_lint: spaCy finds the factory by name.
    program = (
        "import spacy, sys\n"
        "nlp = spacy.blank('en')\n"
        "nlp.add_pipe('feedback_lint')\n"
        "print(','.join(f.code for f in nlp('You are lazy.')._.feedback_findings))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=False, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "FB102" in result.stdout.split(",")
    names = {e.name: e.value for e in entry_points(group="spacy_factories")}
    assert names[FACTORY] == "feedback_lint.component:make_component"


def test_component_sets_findings_and_units_on_a_loaded_pipeline() -> None:
    nlp = spacy.load(resolve_pipeline())
    nlp.add_pipe("feedback_lint", config={"select": ["FB1"]})
    doc = nlp(TEXT)
    codes = [f.code for f in doc._.feedback_findings]
    assert "FB101" in codes and "FB102" in codes
    assert all(code.startswith("FB1") for code in codes)
    first = doc._.feedback_findings[0]
    assert doc.text[first.start : first.end] == "You always miss"
    assert first.suggestions
    (unit,) = doc._.feedback_units
    assert (unit.start, unit.end) == (0, len(TEXT))
    assert isinstance(unit.signals, dict)
    assert doc[0].pos_  # the host pipeline still ran


def test_component_findings_match_the_library() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("feedback_lint")
    doc = nlp(TEXT)
    report = feedback_lint.lint(TEXT)
    assert [(f.code, f.start, f.end, f.message) for f in doc._.feedback_findings] == [
        (f.code, f.start, f.end, f.message) for f in report.findings
    ]


def test_component_docs_without_it_have_empty_results() -> None:
    doc = spacy.blank("en")("You are lazy.")
    assert doc._.feedback_findings == ()
    assert doc._.feedback_units == ()


def test_component_config_survives_saving_the_pipeline(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("feedback_lint", config={"ignore": ["FB102"]})
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.get_pipe_config("feedback_lint")["ignore"] == ["FB102"]
    codes = [f.code for f in loaded("You always miss deadlines. You are lazy.")._.feedback_findings]
    assert "FB101" in codes and "FB102" not in codes


def test_component_rejects_bad_options() -> None:
    with pytest.raises(feedback_lint.ConfigError):
        spacy.blank("en").add_pipe("feedback_lint", config={"select": ["ZZ999"]})
    with pytest.raises(Exception, match="unit"):
        spacy.blank("en").add_pipe("feedback_lint", config={"unit": 5})


def test_component_refuses_the_pipeline_feedback_lint_parses_with() -> None:
    nlp = spacy.blank("en")
    component = make_component(nlp, FACTORY, None, [], [], [], None, "document", [], None)
    assert isinstance(component, FeedbackLintComponent)
    component.linter.nlp = nlp
    with pytest.raises(ValueError, match="cannot be added"):
        component(nlp.make_doc("You are lazy."))


class _NoParsing:
    """A stand-in for the linter's own pipeline that fails whenever it is asked to parse."""

    def __init__(self, vocab: object) -> None:
        self.vocab = vocab

    def pipe(self, *args: object, **kwargs: object) -> object:
        raise AssertionError("the linter parsed the text again")

    def __call__(self, *args: object, **kwargs: object) -> object:
        raise AssertionError("the linter parsed the text again")


def test_component_lints_the_doc_it_is_given() -> None:
    nlp = spacy.load(resolve_pipeline())
    nlp.add_pipe("feedback_lint", config={"select": ["FB1"]})
    component = nlp.get_pipe("feedback_lint")
    assert isinstance(component, FeedbackLintComponent)
    expected = [(f.code, f.start, f.end) for f in nlp(TEXT)._.feedback_findings]
    component.linter.nlp = _NoParsing(component.linter.nlp.vocab)  # type: ignore[assignment]
    doc = nlp(TEXT)
    assert [(f.code, f.start, f.end) for f in doc._.feedback_findings] == expected
    assert {"FB101", "FB102"} <= {code for code, _, _ in expected}


def test_component_keeps_masked_prose_out_of_the_doc_it_lints() -> None:
    text = "```\nyou always break it\n```\n\nYou are lazy.\n"
    nlp = spacy.load(resolve_pipeline())
    nlp.add_pipe("feedback_lint", config={"select": ["FB1"]})
    doc = nlp(text)
    found = [(f.code, doc.text[f.start : f.end]) for f in doc._.feedback_findings]
    assert found == [("FB102", "You are lazy")], found


def test_component_refuses_a_doc_without_the_parse_when_told_not_to_parse() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("feedback_lint", config={"parse_missing": False})
    with pytest.raises(feedback_lint.ConfigError, match=r"no annotations from .*parser") as info:
        nlp("You are lazy.")
    assert "\n" not in str(info.value)


def test_component_a_linted_doc_serializes_with_its_findings() -> None:
    from spacy.tokens import Doc, DocBin

    nlp = spacy.load(resolve_pipeline())
    nlp.add_pipe("feedback_lint")
    doc = nlp(TEXT)
    findings, units = doc._.feedback_findings, doc._.feedback_units
    assert findings and units
    # what feedback-lint keeps on the Doc is plain data, so spaCy can write it out
    again = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert (again._.feedback_findings, again._.feedback_units) == (findings, units)
    (stored,) = DocBin(docs=[doc], store_user_data=True).get_docs(nlp.vocab)
    assert stored._.feedback_findings == findings
    # ... and send it between processes
    piped = list(nlp.pipe([TEXT, "Thanks for the review."], n_process=2))
    assert [f.code for f in piped[0]._.feedback_findings] == [f.code for f in findings]
    assert piped[1]._.feedback_findings == ()


def test_component_damaged_stored_data_is_one_clear_error() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("feedback_lint")
    doc = nlp("You are lazy.")
    doc._.feedback_lint_report = {"findings": [{"code": "FB102", "start": 0, "end": 999}]}
    with pytest.raises(ValueError, match="offsets outside the text"):
        _ = doc._.feedback_findings
