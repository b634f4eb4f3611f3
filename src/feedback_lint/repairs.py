"""Repairs of the English pipeline's parse that every rule would otherwise work around.

The small English pipeline sometimes attaches a clause's subject to the
auxiliary instead of the verb: in "You missed the deadline. The tests are
missing." it reads "tests" as a child of "are", and "are" as a child of
"missing". Rules, signals and targets find a verb's subject among its
children, so such a clause would have no subject for any of them. The parse
is repaired once, right after the parser, so that every later step (the
attribute ruler, the lemmatizer, matching, targets, units) sees one tree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import numpy as np

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

#: The component's name in a pipeline.
NAME: Final = "feedback_lint_subject_repair"
_SUBJECTS: Final = ("nsubj", "nsubjpass")
_AUXILIARIES: Final = ("aux", "auxpass")


class SubjectRepair:
    """Re-attach a subject that hangs on an auxiliary to the auxiliary's own head."""

    def __init__(self, nlp: Language) -> None:
        strings = nlp.vocab.strings
        self._subjects = frozenset(strings.add(label) for label in _SUBJECTS)
        self._auxiliaries = frozenset(strings.add(label) for label in _AUXILIARIES)

    def __call__(self, doc: Doc) -> Doc:
        if not doc.has_annotation("DEP") or len(doc) < 3:
            return doc
        from spacy.attrs import DEP, HEAD

        columns = doc.to_array([HEAD, DEP])
        deps: list[int] = columns[:, 1].tolist()
        # Most texts need no repair; sets answer that faster than arrays on short texts.
        if self._subjects.isdisjoint(deps) or self._auxiliaries.isdisjoint(deps):
            return doc
        # HEAD is stored as an offset from the token, wrapped into an unsigned int.
        offsets: list[int] = columns[:, 0].astype(np.int64).tolist()
        for index, dep in enumerate(deps):
            if dep not in self._subjects:
                continue
            auxiliary = index + offsets[index]
            if deps[auxiliary] not in self._auxiliaries:
                continue
            # The heads as parsed, not as repaired so far: each repair reads the parse.
            verb = auxiliary + offsets[auxiliary]
            if verb not in (auxiliary, index):
                doc[index].head = doc[verb]
        return doc


def install(nlp: Language) -> Language:
    """Put :class:`SubjectRepair` right after ``nlp``'s parser.

    A pipeline without a parser is left as it is.
    """
    if "parser" not in nlp.component_names or NAME in nlp.component_names:
        return nlp
    from spacy.language import Language as SpacyLanguage

    if not SpacyLanguage.has_factory(NAME):
        SpacyLanguage.factory(NAME, func=lambda nlp, name: SubjectRepair(nlp))
    nlp.add_pipe(NAME, after="parser")
    return nlp
