"""The parse repair on generated trees: the same heads as a plain reading of its rule."""

from __future__ import annotations

import random

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from feedback_lint.repairs import SubjectRepair

_LABELS = ("nsubj", "nsubjpass", "aux", "auxpass", "ROOT", "dobj", "amod", "punct")


class _Pipeline:
    """What :class:`SubjectRepair` reads of a pipeline: its vocabulary."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab


def _tree(rng: random.Random, vocab: Vocab) -> Doc:
    """A random tree (one root, any heads) labelled mostly with subjects and auxiliaries."""
    size = rng.randint(3, 12)
    root = rng.randrange(size)
    heads = [root if i != root else i for i in range(size)]
    for i in range(size):
        if i != root:
            heads[i] = rng.choice([j for j in range(size) if j != i])
    deps = ["ROOT" if i == root else rng.choice(_LABELS[:4] + _LABELS[5:]) for i in range(size)]
    return Doc(vocab, words=[f"w{i}" for i in range(size)], heads=heads, deps=deps)


def _expected(doc: Doc) -> list[int]:
    """Each token's head after the rule: a subject whose head (as parsed) is an auxiliary
    takes the auxiliary's head (as parsed), unless that is the auxiliary or itself."""
    heads = [token.head.i for token in doc]
    deps = [token.dep_ for token in doc]
    repaired = list(heads)
    for i, dep in enumerate(deps):
        auxiliary = heads[i]
        if dep in ("nsubj", "nsubjpass") and deps[auxiliary] in ("aux", "auxpass"):
            verb = heads[auxiliary]
            if verb not in (auxiliary, i):
                repaired[i] = verb
    return repaired


@pytest.mark.parametrize("seed", range(40))
def test_repairs_trees_match_the_rule(seed: int) -> None:
    vocab = Vocab()
    repair = SubjectRepair(_Pipeline(vocab))  # type: ignore[arg-type]
    rng = random.Random(seed)
    for _ in range(25):
        doc = _tree(rng, vocab)
        expected = _expected(doc)
        repair(doc)
        assert [token.head.i for token in doc] == expected
