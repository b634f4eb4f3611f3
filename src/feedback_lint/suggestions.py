"""Render messages and rewrites from a match's named nodes.

A template field is ``{node}`` or ``{node.attr}``; the attributes are views of
the node's token in the parse (see :data:`rules.TEMPLATE_ATTRS`):

- ``text``, ``lower``, ``lemma``: the node's own words;
- ``objective``: a pronoun in object case ("he" -> "him"), a noun with the words
  before it that belong to it ("the authors"), other words unchanged;
- ``clause``: the node's clause (its subtree without coordinated clauses);
- ``subtree``: the node's whole subtree; ``sentence``: its sentence;
- ``bare``: the node's clause as a bare-infinitive predicate, for "I observed
  you ___": without subject, auxiliaries and the other matched words, the verb
  in its base form, and "not" where a dropped word carried the negation.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING, Final

from .findings import Edit, Suggestion
from .rules import MATCH_NODE

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from .matching import Match

_OBJECTIVE: Final = {
    "i": "me",
    "he": "him",
    "she": "her",
    "we": "us",
    "they": "them",
    "you": "you",
    "it": "it",
    "who": "whom",
}
_NEGATIONS: Final = frozenset({"never", "not", "n't", "no", "nt"})
#: Dependents that start a coordinated or loosely attached clause of their own.
_OTHER_CLAUSE: Final = frozenset({"conj", "cc", "preconj", "parataxis"})
_SUBJECTS: Final = frozenset({"nsubj", "nsubjpass", "expl", "csubj"})
_AUXILIARIES: Final = frozenset({"aux", "auxpass"})
_EDGE_PUNCT: Final = frozenset({"PUNCT", "SPACE", "CCONJ"})


def _tokens_text(tokens: list[Token], replace: dict[int, str] | None = None) -> str:
    """Join tokens with their own spacing, substituting words by index where asked."""
    replace = replace or {}
    parts: list[str] = []
    for position, token in enumerate(tokens):
        word = replace.get(token.i, token.text)
        last = position == len(tokens) - 1
        nxt = tokens[position + 1] if not last else None
        adjacent = nxt is not None and nxt.i == token.i + 1
        spacing = token.whitespace_ if adjacent else (" " if not last else "")
        parts.append(word + spacing)
    return " ".join("".join(parts).split())


def _trim(tokens: list[Token]) -> list[Token]:
    while tokens and tokens[0].pos_ in _EDGE_PUNCT:
        tokens = tokens[1:]
    while tokens and tokens[-1].pos_ in _EDGE_PUNCT:
        tokens = tokens[:-1]
    return tokens


def clause_tokens(token: Token) -> list[Token]:
    """The token's clause: its subtree without coordinated clauses or a lead-in before
    the subject ("Honestly, ..."), trimmed of edge punctuation."""
    subject = next((c for c in token.children if c.dep_ in _SUBJECTS), None)
    excluded: set[int] = set()
    for child in token.children:
        lead_in = subject is not None and child.right_edge.i < subject.left_edge.i
        if child.dep_ in _OTHER_CLAUSE or lead_in:
            excluded.update(t.i for t in child.subtree)
    return _trim([t for t in token.subtree if t.i not in excluded])


def _bare(root: Token, match: Match) -> str:
    dropped: set[int] = set()
    for child in root.children:
        if child.dep_ in _SUBJECTS or child.dep_ in _AUXILIARIES:
            dropped.update(t.i for t in child.subtree)
    for name, span in match.nodes.items():
        if name != MATCH_NODE and span.root.i != root.i and root not in span.root.subtree:
            dropped.update(t.i for t in span.root.subtree)
    tokens = _trim([t for t in clause_tokens(root) if t.i not in dropped or t.i == root.i])
    passive = any(child.dep_ == "auxpass" for child in root.children)
    verb = root.lemma_ if root.pos_ in ("VERB", "AUX") and not passive else root.text
    replace = {root.i: f"be {verb}" if passive else verb}
    replace.update({t.i: "not" for t in tokens if t.dep_ == "neg"})
    negation = min((i for i in dropped if root.doc[i].lower_ in _NEGATIONS), default=None)
    if negation is not None and not any(t.dep_ == "neg" for t in tokens):
        # "not" takes the place of the dropped negative word ("never once" -> "not once").
        after = next((t for t in tokens if t.i > negation), None)
        if after is not None:
            replace[after.i] = "not " + replace.get(after.i, after.text)
    return _tokens_text(tokens, replace)


def node_value(span: Span, attr: str, match: Match) -> str:
    """One template field's text for a node."""
    root = span.root
    if attr in ("", "text"):
        return span.text
    if attr == "lower":
        return span.text.lower()
    if attr == "lemma":
        return span.lemma_
    if attr == "objective":
        if len(span) == 1 and span.text.lower() in _OBJECTIVE:
            return _OBJECTIVE[span.text.lower()]
        if len(span) == 1 and root.pos_ in ("NOUN", "PROPN"):
            return _noun_phrase(root)
        return span.text
    if attr == "clause":
        return _tokens_text(clause_tokens(root))
    if attr == "subtree":
        return _tokens_text(_trim(list(root.subtree)))
    if attr == "sentence":
        return root.sent.text.strip()
    return _bare(root, match)


def _noun_phrase(noun: Token) -> str:
    """A noun with the words before it that belong to it ("our new rep", "the authors"),
    in the case a phrase has inside a sentence."""
    words = [t for t in noun.subtree if t.i <= noun.i]
    first = words[0]
    text = _tokens_text(words)
    if first.pos_ in ("DET", "PRON") and first.is_title and first.i == first.sent.start:
        text = first.text.lower() + text[len(first.text) :]
    return text


def render(template: str, match: Match) -> str:
    """Fill a validated template from a match's nodes; a field whose node this match
    lacks renders its fallback (``{node.attr:fallback}``)."""
    out: list[str] = []
    for literal, field, fallback, _conv in string.Formatter().parse(template):
        out.append(literal)
        if field is not None:
            node, _, attr = field.partition(".")
            span = match.nodes.get(node)
            out.append(node_value(span, attr, match) if span is not None else fallback or "")
    return "".join(out)


def target_span(match: Match) -> tuple[int, int]:
    """The character range (in the parsed block) that a rule's suggestion replaces."""
    spec = match.rule.suggestion
    target = spec.target if spec is not None else MATCH_NODE
    node, _, extent = target.partition(".")
    if node == MATCH_NODE and not extent:
        return match.start_char, match.end_char
    root = match.nodes[MATCH_NODE].root if node == "sentence" else match.nodes[node].root
    if extent == "end":
        # An insertion: the rewrite goes right after the sentence or node.
        end = root.sent.end_char if node == "sentence" else match.nodes[node].end_char
        return end, end
    if node == "sentence":
        tokens = _trim(list(root.sent))
    elif extent == "clause":
        tokens = clause_tokens(root)
        # A matched lead-in ("Every time you demo, you ...") is part of what is rewritten.
        lead_ins = [
            span.root
            for name, span in match.nodes.items()
            if name != MATCH_NODE and span.root.head.i == root.i and span.root.i < root.i
        ]
        if tokens and lead_ins:
            first = min(t.left_edge.i for t in lead_ins)
            if first < tokens[0].i:
                tokens = _trim([t for t in root.subtree if first <= t.i <= tokens[-1].i])
    elif extent == "subtree":
        tokens = _trim(list(root.subtree))
    else:
        span = match.nodes[node]
        return span.start_char, span.end_char
    if not tokens:
        return match.start_char, match.end_char
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def build_suggestion(match: Match, offset: int) -> Suggestion | None:
    """The rule's suggestion for a match, with edits shifted by the block's ``offset``."""
    spec = match.rule.suggestion
    if spec is None:
        return None
    start, end = target_span(match)
    replacement = render(spec.replace_with, match)
    if start == end and spec.target.endswith(".end"):
        # An added sentence keeps its own capitals and follows the text after a space.
        replacement = " " + replacement
        return Suggestion(
            title=spec.title,
            replacement=replacement,
            edits=(Edit(start + offset, end + offset, replacement),),
            applicability=spec.applicability,
        )
    doc = match.nodes[MATCH_NODE].doc
    first = doc.char_span(start, end, alignment_mode="expand")
    at_sentence_start = first is not None and len(first) > 0 and first[0].is_sent_start
    if replacement:
        head = replacement[0]
        if at_sentence_start:
            head = head.upper()
        elif not replacement.startswith(("I ", "I'", "[")):
            head = head.lower()
        replacement = head + replacement[1:]
    return Suggestion(
        title=spec.title,
        replacement=replacement,
        edits=(Edit(start + offset, end + offset, replacement),),
        applicability=spec.applicability,
    )
