"""The evaluative tone of words: VADER's valence lexicon, with the project's overrides.

VADER (Hutto and Gilbert, ICWSM 2014; the ``vaderSentiment`` package, MIT) scores
about 7,500 English words, slang and profanity from -4 (most negative) to +4.
Rules test a word's tone through a lexicon reference with a threshold, such as
``{"LOWER": {"IN": "$valence<=-1.5"}}``, which loading replaces by every word so
scored, like any other lexicon; the words are then indexed and tested as cheaply
as a hand-written list. Negation is the rule's own business (an ``unless``
condition on a ``neg`` child), because what it negates depends on the clause.

``lexicons/valence-overrides.txt`` in a rules folder gives ``word value`` lines
that replace VADER's score or add a word it lacks: technical words that VADER
reads as hostile ("kill", "dead", "abort" score 0 here) and evaluative words
of feedback it does not know ("sloppy", "clunky", "subpar").
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Final

#: The lexicon that adjusts VADER's scores, read from the rules folders like any other.
OVERRIDES_LEXICON: Final = "valence-overrides"

#: A reference to the words whose valence passes a threshold: ``$valence<=-1.5``.
VALENCE_REFERENCE: Final = re.compile(r"^\$valence(<=|>=|<|>)(-?[0-9]+(?:\.[0-9]+)?)$")

_COMPARE: Final[dict[str, Callable[[float, float], bool]]] = {
    "<=": operator.le,
    ">=": operator.ge,
    "<": operator.lt,
    ">": operator.gt,
}


@cache
def vader_lexicon() -> Mapping[str, float]:
    """VADER's words and their mean valence, read once from the installed package."""
    text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text("utf-8")
    scores: dict[str, float] = {}
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) >= 2:
            try:
                scores[fields[0].lower()] = float(fields[1])
            except ValueError:
                continue
    return scores


def parse_overrides(lines: Iterable[str]) -> dict[str, float]:
    """``word value`` lines as a mapping; raises ValueError naming a malformed line."""
    scores: dict[str, float] = {}
    for line in lines:
        word, _, value = line.rpartition(" ")
        try:
            scores[word.strip().lower()] = float(value)
        except ValueError:
            raise ValueError(f"expected 'word value', got {line!r}") from None
        if not word.strip():
            raise ValueError(f"expected 'word value', got {line!r}")
    return scores


@cache
def valence_words(reference: str, overrides: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    """The words a ``$valence<=X`` reference stands for, sorted, with the ``word value``
    lines of ``overrides`` applied; None if ``reference`` is not such a reference.

    Raises ValueError for a malformed override line.
    """
    found = VALENCE_REFERENCE.match(reference)
    if found is None:
        return None
    compare, threshold = _COMPARE[found.group(1)], float(found.group(2))
    scores = {**vader_lexicon(), **parse_overrides(overrides)}
    return tuple(sorted(word for word, score in scores.items() if compare(score, threshold)))
