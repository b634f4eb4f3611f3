"""What a judgement is about: a person, a person's work, the writer, or a thing.

Computed from the parse for any token, and shared by every rule as the token
attribute ``_.target`` (patterns: ``{"_": {"target": {"IN": ["person", "work"]}}}``;
conditions the same). The values:

- ``person``: a pronoun other than the writer's ("you", "he", "whoever"), a
  name, or a noun naming people by role, whoever's they are ("the authors",
  "the reviewer", "your team", "our new rep"), and a clause whose subject is
  one ("whoever wrote this");
- ``work``: something a person made or did: anything the reader or a role owns
  ("your code", "the authors' claims"), a noun naming work, a third party's too
  ("the design", "this PR", "his estimates"), what a relative clause says a person
  did ("everything you touch", "the stuff he ships"), a part of a piece of work
  ("something about your slides"), a demonstrative pointing at the thing
  under review ("this is garbage", "these tests"), or a quality of a piece of work
  ("the quality of your work");
- ``writer``: the writer or their own things ("I", "we", "my code"), so that
  self-criticism passes;
- ``thing``: any other noun ("the build", "the job"), a month or day ("since March"),
  a public matter not owned by the reader or a role ("the bill", "this election",
  "the article", "the government's plan"), and what a third party owns that names
  no work ("his job", "their lives");
- ``""``: a token that is not a noun phrase's head, or a dummy "it" standing for a
  clause ("it is absurd to ship this") or for the time ("it's time to step up").

A relative pronoun takes its antecedent's target ("a sticky note, which is pathetic").

The word lists are lexicons of the rules folders (:data:`LEXICONS`), so a user's
folder can add to them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from spacy.tokens import Token

#: The token extension that holds a token's target.
EXTENSION: Final = "target"
TARGETS: Final = ("person", "work", "writer", "thing", "")

#: Lexicon names, per list of :class:`TargetWords`.
LEXICONS: Final = {
    "people": "second-third-pronouns",
    "roles": "person-nouns",
    "writer": "writer-pronouns",
    "work": "work-nouns",
    "pointers": "demonstratives",
    "calendar": "calendar-names",
    "public": "public-affairs",
    "reader": "reader-pronouns",
}

#: The word lists of the rules matching now (see :func:`judging`); outside, the
#: built-in ones. Kept out of ``Doc.user_data``, which belongs to the caller's Doc
#: and is serialized with it.
_WORDS: ContextVar[TargetWords | None] = ContextVar("feedback_lint_target_words", default=None)
_NOMINAL: Final = frozenset({"NOUN", "PROPN", "PRON"})
_CLAUSAL_SUBJECT: Final = frozenset({"csubj", "csubjpass"})
#: Words that introduce a free relative clause naming a person: "whoever wrote this".
_FREE_RELATIVES: Final = frozenset({"whoever", "whomever", "who"})
#: Tags of relative pronouns: "a sticky note, which is pathetic".
_RELATIVE_TAGS: Final = frozenset({"WDT", "WP"})
#: Determiners that point at the thing at hand ("this function", "these tests"); "that"
#: and "those" point away from it ("those days", "that sort of thing").
_AT_HAND: Final = frozenset({"this", "these"})
#: Pronouns that name a part of what follows them: "something about your slides"
#: ("nothing about your code" denies there is one).
_SOME_PART: Final = frozenset({"something", "everything"})
#: Clauses that an expletive "it" stands in for.
_EXTRAPOSED: Final = frozenset({"xcomp", "ccomp", "csubj"})


@dataclass(frozen=True)
class TargetWords:
    """The word lists that decide targets (lower-case words; ``roles``, ``work`` and
    ``public`` are lemmas)."""

    people: frozenset[str]
    roles: frozenset[str]
    writer: frozenset[str]
    work: frozenset[str]
    pointers: frozenset[str]
    calendar: frozenset[str]
    public: frozenset[str]
    reader: frozenset[str]

    @classmethod
    def from_lexicons(cls, lexicons: Mapping[str, tuple[str, ...]]) -> TargetWords:
        """The lists from loaded lexicons (missing ones are empty)."""
        lists = {
            field: frozenset(w.lower() for w in lexicons.get(name, ()))
            for field, name in LEXICONS.items()
        }
        return cls(**lists)


def target(token: Token, words: TargetWords) -> str:
    """The target of ``token`` (one of :data:`TARGETS`)."""
    lower = token.lower_
    if lower in words.writer:
        return "writer"
    if lower in words.people:
        return "person"
    if token.dep_ in _CLAUSAL_SUBJECT:
        subjects = (c for c in token.children if c.dep_ in ("nsubj", "nsubjpass"))
        return "person" if any(c.lower_ in _FREE_RELATIVES for c in subjects) else ""
    pos = token.pos_
    if pos not in _NOMINAL:
        return ""
    if token.tag_ in _RELATIVE_TAGS and token.head.dep_ == "relcl" and token.head.head != token:
        return target(token.head.head, words)  # a relative pronoun stands for its antecedent
    if lower == "it" and _is_expletive(token):
        return ""  # "It is embarrassing to ...": the clause is the subject, not a thing
    if pos == "PRON":  # "this" points at the work; "someone", "nobody" are people
        if lower in words.roles:
            return "person"
        # "everything you touch" is what the reader did; "something about your slides"
        # is part of them
        if lower in words.pointers or _done_by_a_person(token, words):
            return "work"
        part = lower in _SOME_PART and _part_of_work(token, words, ("about",))
        return "work" if part else ""
    lemma = token.lemma_.lower()
    if lemma in words.roles:  # people, whoever's they are: "our new rep", "your team"
        return "person"
    public = lemma in words.public or lower in words.public
    work = not public and (lemma in words.work or lower in words.work)
    for child in token.children:
        if child.dep_ == "poss":  # the owner decides: "your code", "my code"
            owner = target(child, words)
            if owner == "writer":
                return "writer"
            if owner == "person":
                # whatever the reader or a role has is theirs to hear about ("your
                # tickets"); of a third party's, only what names work ("his estimates",
                # not "his job", "their lives", "Harper's bill")
                return "work" if work or _addressed(child, words) else "thing"
            if owner == "thing" and _is_public(child, words):
                return "thing"  # "the government's plan" is a public matter
    if public:
        return "thing"  # "the bill", "this election", "the Government", "the article"
    if pos == "PROPN" and token.is_title and token.is_alpha and token.tag_ != "NNPS":
        # a name; a plural one is a group ("the Liberals", "Canadians"); a month is a date
        return "thing" if lower in words.calendar else "person"
    if work or _done_by_a_person(token, words):  # "the stuff he ships"
        return "work"
    if any(c.dep_ == "det" and c.lower_ in _AT_HAND for c in token.children):
        return "work"  # "this function", "these tests": the thing under review
    # "the quality of your work", "the tone of the paper"
    return "work" if _part_of_work(token, words, ("of",)) else "thing"


def _part_of_work(token: Token, words: TargetWords, preps: tuple[str, ...]) -> bool:
    """Whether a preposition of ``preps`` attaches a piece of work to ``token``: "the
    quality of your work", "something about the way you ran the meeting"."""
    for child in token.children:
        objects = (g for g in child.children if g.dep_ == "pobj")
        if (
            child.dep_ == "prep"
            and child.lower_ in preps
            and any(target(g, words) == "work" for g in objects)
        ):
            return True
    return False


def _done_by_a_person(token: Token, words: TargetWords) -> bool:
    """Whether a relative clause says a person made or did ``token``: "everything you
    touch", "the stuff he ships" (the writer's "what I wrote" is not)."""
    return any(
        clause.dep_ == "relcl"
        and any(
            # a relative pronoun stands for the very token asked about: "the man who ..."
            c.dep_ == "nsubj" and c.tag_ not in _RELATIVE_TAGS and target(c, words) == "person"
            for c in clause.children
        )
        for clause in token.children
    )


def _is_public(token: Token, words: TargetWords) -> bool:
    """Whether ``token`` names a matter of public life: "the government", "the party"."""
    return token.lemma_.lower() in words.public or token.lower_ in words.public


def _addressed(owner: Token, words: TargetWords) -> bool:
    """Whether ``owner`` is the reader or a role, whose public matters are their work:
    "your article", "the team's campaign" (not "his party", "Harper's bill")."""
    return owner.lower_ in words.reader or owner.lemma_.lower() in words.roles


def _is_expletive(token: Token) -> bool:
    """Whether ``token`` ("it") is the dummy subject of an extraposed clause ("It is
    absurd to ship this", "it is embarrassing to read", "it's dumb for the server to
    check") or of the time ("it's time you stepped up")."""
    if token.dep_ != "nsubj":
        return False
    head = token.head
    # the clause hangs off the verb or off its predicate: "it is absurd [to ship this]"
    nodes = [head, *(c for c in head.children if c.dep_ in ("acomp", "attr"))]
    if any(n.dep_ == "attr" and n.lemma_ == "time" for n in nodes):
        return True  # the "it" of the hour: "it's time for you to step up"
    return any(
        (c.dep_ in _EXTRAPOSED or (c.dep_ == "advcl" and _is_infinitive(c))) and c.i > token.i
        for n in nodes
        for c in n.children
    )


def _is_infinitive(verb: Token) -> bool:
    """Whether ``verb`` heads a "to" infinitive ("for the server [to] check"), which an
    extraposed clause may be parsed as where a reason ("because it crashes") is not."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


_default_words: TargetWords | None = None


def _builtin_words() -> TargetWords:
    global _default_words
    if _default_words is None:
        from .rules import BUILTIN_RULES_DIR, load_lexicons

        _default_words = TargetWords.from_lexicons(load_lexicons([BUILTIN_RULES_DIR]))
    return _default_words


def _get_target(token: Token) -> str:
    return target(token, _WORDS.get() or _builtin_words())


def register() -> None:
    """Register ``Token._.target`` (once per process)."""
    from spacy.tokens import Token

    if not Token.has_extension(EXTENSION):
        Token.set_extension(EXTENSION, getter=_get_target)


@contextmanager
def judging(words: TargetWords | None) -> Iterator[None]:
    """Within the block, ``Token._.target`` judges with ``words`` (a rules folder's
    lists; None keeps the current ones), in this thread or task only."""
    if words is None:
        yield
        return
    token = _WORDS.set(words)
    try:
        yield
    finally:
        _WORDS.reset(token)
