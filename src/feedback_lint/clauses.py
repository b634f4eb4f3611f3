"""Clauses of a parse: which words make up the clause a word belongs to.

Rewrites quote a node's clause ("I noticed you [clause]"), and rule conditions
look for words in it (``rel: clause``: the writer's "I" in the same clause as a
verdict makes it the writer's own). Both read the clause the same way, here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from spacy.tokens import Token

#: Dependents that start a coordinated or loosely attached clause of their own.
OTHER_CLAUSE: Final = frozenset({"conj", "cc", "preconj", "parataxis"})
SUBJECTS: Final = frozenset({"nsubj", "nsubjpass", "expl", "csubj"})
EDGE_PUNCT: Final = frozenset({"PUNCT", "SPACE", "CCONJ"})
#: Dependencies that hang a clause of its own from a word. A complement clause
#: belongs to the verb that frames it ("I think this is dumb" is one statement of
#: the writer's), a relative clause to its noun phrase, an infinitive to its verb.
CLAUSE_DEPS: Final = frozenset({"advcl", "parataxis", "csubj", "csubjpass"})


def trim(tokens: list[Token]) -> list[Token]:
    """``tokens`` without punctuation, spaces and conjunctions at either end."""
    while tokens and tokens[0].pos_ in EDGE_PUNCT:
        tokens = tokens[1:]
    while tokens and tokens[-1].pos_ in EDGE_PUNCT:
        tokens = tokens[:-1]
    return tokens


def in_order(tokens: Iterable[Token]) -> list[Token]:
    """Tokens once each, in text order (a non-projective parse lists a subtree out of order)."""
    return sorted({t.i: t for t in tokens}.values(), key=lambda t: t.i)


def subject_of(token: Token) -> Token | None:
    """The token's own subject, if it has one."""
    return next((c for c in token.children if c.dep_ in SUBJECTS), None)


def clause_tokens(token: Token) -> list[Token]:
    """The token's clause: its subtree without coordinated clauses or a lead-in before
    the subject ("Honestly, ..."), trimmed of edge punctuation."""
    subject = subject_of(token)
    excluded: set[int] = set()
    for child in token.children:
        lead_in = subject is not None and child.right_edge.i < subject.left_edge.i
        if child.dep_ in OTHER_CLAUSE or lead_in:
            excluded.update(t.i for t in child.subtree)
    return trim(in_order(t for t in token.subtree if t.i not in excluded))


def starts_clause(token: Token) -> bool:
    """Whether the token heads a clause: the root, an adverbial or loosely attached
    clause, or a coordinated verb."""
    if token.dep_ == "ROOT" or token.dep_ in CLAUSE_DEPS:
        return True
    return token.dep_ == "conj" and token.pos_ in ("VERB", "AUX")


def clause_around(token: Token) -> list[Token]:
    """The clause that holds the token: the clause of its nearest clause head ("if this
    is so terrible, tell me why": "terrible" is in "this is so terrible", not in
    "tell me why")."""
    head = token
    while not starts_clause(head) and head.head.i != head.i:
        head = head.head
    return clause_tokens(head)
