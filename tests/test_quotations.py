"""Inline quotations: which words are someone else's, and that findings there are not reported."""

from __future__ import annotations

import pytest

from feedback_lint import Linter
from feedback_lint.documents import from_text
from feedback_lint.quotations import inline_quotations

LSQ, RSQ = "\N{LEFT SINGLE QUOTATION MARK}", "\N{RIGHT SINGLE QUOTATION MARK}"
LDQ, RDQ = "\N{LEFT DOUBLE QUOTATION MARK}", "\N{RIGHT DOUBLE QUOTATION MARK}"


def quoted(text: str) -> list[str]:
    return [text[start:end] for start, end in inline_quotations(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said: "I am done with this project."', ["I am done with this project."]),
        (
            f"{LDQ}Stop it right now,{RDQ} she said.",
            ["Stop it right now,"],
        ),
        ("She wrote 'this is not my job' twice.", ["this is not my job"]),
        (
            f"{LSQ}Grow up{RSQ} and {LSQ}ship it as it is{RSQ}, don{RSQ}t wait.",
            ["ship it as it is"],
        ),
        # a single quotation inside a double one
        (
            "She wrote \"He told me 'you are on your own here' again\" twice.",
            [
                "you are on your own here",
                "He told me 'you are on your own here' again",
            ],
        ),
        # a closing mark that a letter follows after a full stop
        ("'History has turned on itself.'These are his words.", ["History has turned on itself."]),
        # '' typed for a double mark
        (
            "''Pensions are a good example of nudging.'' No.",
            ["Pensions are a good example of nudging."],
        ),
    ],
)
def test_quotations_finds_the_quoted_words(text: str, expected: list[str]) -> None:
    assert sorted(quoted(text)) == sorted(expected)


@pytest.mark.parametrize(
    "text",
    [
        # scare quotes: the writer's own words, held at a distance
        "Thanks for the 'quick fix' on Friday.",
        'Your "improvement" broke the build.',
        # apostrophes open nothing
        "The students' work in the '90s wasn't this careful, and the teachers' notes show it.",
        "Don't merge rock'n'roll into the O'Brien branch.",
        # stray marks left over from copying: a closing mark with nothing open
        'this isnt frustrating" this is a super stupid design..."',
        # a whole block in quotation marks is the text itself
        '"Please add a flag for the old behaviour, it broke our scripts."',
        # unpaired opening mark
        'He said "we will see about the rest of it',
    ],
)
def test_quotations_leaves_out_scare_quotes_apostrophes_and_stray_marks(text: str) -> None:
    assert quoted(text) == []


def test_quotations_are_document_offsets_within_one_block() -> None:
    text = (
        'Intro.\n\nHe said: "you are clueless about this."\n\n"Not a quotation\n\nacross blocks."'
    )
    document = from_text(text, format="markdown")
    assert [text[q.start : q.end] for q in document.quotations] == ["you are clueless about this."]


def codes(linter: Linter, text: str) -> list[tuple[str, str]]:
    report = linter.lint_text(text)
    return [(f.code, text[f.start : f.end]) for f in report.findings]


def test_linter_does_not_report_someone_elses_words_in_a_quotation(linter: Linter) -> None:
    assert codes(linter, "You are clueless about caching.")  # the words alone are flagged
    for text in (
        'The first comment on the PR: "You are clueless about caching."',
        "Someone left 'what a stupid design this is' on the ticket.",
        "I'd like to tell them 'Toughen up, the world will not adjust to you.'",
        '"I am done with this whole project," she wrote.',
    ):
        # nor do the structure rules read the quoted words as the writer's criticism
        ((start, end),) = inline_quotations(text)
        report = linter.lint_text(text)
        assert not [f for f in report.findings if start <= f.start and f.end <= end], text
        spans = [span for unit in report.units for found in unit.signals.values() for span in found]
        assert not [(a, b) for a, b in spans if start <= a and b <= end], text


def test_linter_still_reads_a_judgement_of_the_quoted_words(linter: Linter) -> None:
    text = 'The claim that it "fixes every race in the scheduler" is ridiculous.'
    assert "FB202" in {code for code, _ in codes(linter, text)}


def test_linter_reads_scare_quotes_as_the_writers_own(linter: Linter) -> None:
    assert "FB201" in {code for code, _ in codes(linter, "Thanks for the 'great' review.")}


# Someone else's words: a quotation, and reported speech (tests/test_reported.py).
OTHERS_WORDS = [
    ('The first comment on the PR: "You are clueless about caching."', "FB102"),
    ("She wrote that the reviewer is an idiot.", "FB202"),
]


@pytest.mark.parametrize(("text", "code"), OTHERS_WORDS)
def test_linter_include_quotes_reports_someone_elses_words_too(
    linter: Linter, text: str, code: str
) -> None:
    assert code not in {f.code for f in linter.lint_text(text).findings}
    everything = linter.sharing_pipeline(select=["ALL"], include_quotes=True)
    assert code in {f.code for f in everything.lint_text(text).findings}


@pytest.mark.parametrize(("text", "code"), OTHERS_WORDS)
def test_linter_a_parsed_doc_skips_someone_elses_words_the_same_way(
    linter: Linter, text: str, code: str
) -> None:
    own = "The reviewer is an idiot." if code == "FB202" else "You are clueless about it."
    text = f"{text} {own}"
    from_doc = [(f.code, f.start) for f in linter.lint_doc(linter.nlp(text)).findings]
    assert from_doc == [(f.code, f.start) for f in linter.lint_text(text).findings]
    assert code in {c for c, start in from_doc if start >= text.rindex(own)}
    assert all(start >= text.rindex(own) for _, start in from_doc)
