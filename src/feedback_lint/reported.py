"""Reported speech: the clause in which a sentence reports someone else's words.

"She wrote that the reviewer is an idiot", "The media have been saying for months
that he is a joke", "You say they are silly": the clause a verb of saying reports
(its ``ccomp``) holds the speaker's words, not the writer's, so a finding that lies
wholly inside it is not reported, as for an inline quotation (both come back with
``include_quotes``). A speaker is a person or a source a noun names ("the report
says", "research tells us"); a pronoun for a thing is the writer concluding ("this
tells me you don't care"). The writer's own saying is theirs ("I'd say this is a hack",
"Let me tell you, this is garbage"), and so is a verb with no subject ("Needless to
say ..."); a passive one reports whoever told the subject ("We were told the design
was garbage"). What someone said of the reader is theirs too ("She said you don't
know what you are doing, but the logs say otherwise").

Signals are not filtered: what someone reported is often the writer's evidence of
what happened and what it cost ("several students told me they didn't know how to
start").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Final

from .targets import TargetWords, target

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

#: The lexicon of verbs of saying.
VERBS_LEXICON: Final = "reporting-verbs"
_VERBAL: Final = frozenset({"VERB", "AUX"})


def _someone_else(speaker: Token, words: TargetWords) -> bool:
    """Whether ``speaker`` is someone or something other than the writer: a person
    ("she", "the reviewer"), or a source named by a noun ("the report says",
    "research tells us"). A pronoun for a thing is the writer's own conclusion
    ("which tells me they are misleading", "that says a lot about you")."""
    who = target(speaker, words)
    if who == "writer":
        return False
    return who == "person" or speaker.pos_ != "PRON"


def speech_verbs(lexicons: Mapping[str, tuple[str, ...]]) -> frozenset[str]:
    """The verbs of saying (lower-case lemmas) of loaded lexicons."""
    return frozenset(w.lower() for w in lexicons.get(VERBS_LEXICON, ()))


def reported_clauses(
    doc: Doc, verbs: frozenset[str], words: TargetWords
) -> Iterator[tuple[int, int]]:
    """The character spans, in ``doc``, of the clauses it reports as someone else's
    words: the ``ccomp`` of one of ``verbs`` whose speaker is not the writer
    (``words`` tell who is; see :func:`_someone_else`), or of a passive one."""
    for verb in doc:
        if verb.pos_ not in _VERBAL or verb.lemma_.lower() not in verbs:
            continue
        told = any(c.dep_ == "nsubjpass" for c in verb.children)
        speakers = (c for c in verb.children if c.dep_ == "nsubj")
        if not told and not any(_someone_else(c, words) for c in speakers):
            # the writer's own ("I'd say ..."), or no speaker at all: an order ("Tell
            # him ..."), a set phrase ("Needless to say"), the writer's hedge ("it's
            # fair to say ...")
            continue
        for clause in verb.children:
            if clause.dep_ == "ccomp":
                last = doc[clause.right_edge.i]
                yield clause.left_edge.idx, last.idx + len(last)
