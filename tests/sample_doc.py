"""A small hand-parsed text the matching tests share, so that one parse serves them all."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc


def sample_doc() -> Doc:
    """ "You never MISS 3 deadlines, do you?" with its tags, lemmas and dependencies set
    by hand, on a blank pipeline's vocabulary (no model is loaded)."""
    nlp = spacy.blank("en")
    return Doc(
        nlp.vocab,
        words=["You", "never", "MISS", "3", "deadlines", ",", "do", "you", "?"],
        spaces=[True, True, True, True, False, True, True, False, False],
        pos=["PRON", "ADV", "VERB", "NUM", "NOUN", "PUNCT", "AUX", "PRON", "PUNCT"],
        tags=["PRP", "RB", "VBP", "CD", "NNS", ",", "VBP", "PRP", "."],
        lemmas=["you", "never", "miss", "3", "deadline", ",", "do", "you", "?"],
        heads=[2, 2, 2, 4, 2, 2, 2, 6, 2],
        deps=["nsubj", "neg", "ROOT", "nummod", "dobj", "punct", "parataxis", "nsubj", "punct"],
    )
