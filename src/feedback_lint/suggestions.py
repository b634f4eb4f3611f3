"""Render messages and rewrites from a match's named nodes.

A template field is ``{node}`` or ``{node.attr}``; the attributes are views of
the node's token in the parse (see :data:`rules.TEMPLATE_ATTRS`):

- ``text``, ``lower``, ``lemma``: the node's own words;
- ``ordinary``: the node's words in ordinary case (lower case, "I" kept);
- ``objective``: a pronoun in object case ("he" -> "him"), a name or noun with its
  noun phrase ("Maryam Monsef", "the new lead");
- ``clause``: the node's clause (its subtree without coordinated clauses);
- ``subtree``: the node's whole subtree, as written inside a sentence (a capital
  that only starts the sentence goes); ``sentence``: its sentence;
- ``bare``: the node's predicates as bare infinitives, for "I observed you ___":
  the node's clause and the coordinated predicates that share its subject
  ("... and always interrupts people"), without subject, auxiliaries, the
  other matched words and the suggestion's ``drop`` words, each verb in its
  base form, and "not" where a dropped word carried the negation;
- ``observed``: what "I observed" takes: "you miss deadlines", or, for a negated
  or copular predicate, "that you did not check CI" / "that you were late";
- ``conjuncts``: only the coordinated predicates of ``bare`` (" and interrupt
  people"), empty when there are none;
- ``situation``: the phrases that say where or when ("in meetings", "when
  people comment on your code"), empty when there are none;
- ``work``: what a judgement of the node is about, to be named in a rewrite: a
  piece of work as its subtree ("the authors' analysis"), a person as what they did
  ("what you did", "what the authors did").

A field renders its fallback (``{node.attr:fallback}``) when the match lacks the
node or the value is empty.
"""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Final

from .clauses import (
    EDGE_PUNCT,
    SUBJECTS,
    clause_tokens,
    in_order,
    subject_of,
    trim,
)
from .findings import Edit, Suggestion
from .matching.document import EXCESS_NODE, KEPT_NODE
from .rules import MATCH_NODE, SuggestionSpec
from .targets import EXTENSION as TARGET_EXTENSION

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

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
_AUXILIARIES: Final = frozenset({"aux", "auxpass"})
_MODIFIERS: Final = frozenset({"advmod", "neg", "npadvmod"})
#: Nouns that a verb or a preposition takes as its object.
_OBJECTS: Final = frozenset({"dobj", "pobj"})
#: Letters that take "an": the rewrite's article is chosen by spelling.
_VOWELS: Final = frozenset("aeiou")
#: Subjects that take "was"; other pronouns, plurals and coordinated subjects take "were".
_SINGULAR: Final = frozenset({"i", "he", "she", "it", "this", "that", "someone", "everyone"})
#: Prepositions and subordinators whose phrase says where or when something happened.
_SITUATION_PREPS: Final = frozenset(
    {"in", "at", "during", "with", "about", "on", "around", "before", "after", "while"}
)
_SITUATION_MARKS: Final = frozenset({"when", "whenever", "while", "before", "after"})
_COMPLEMENTS: Final = frozenset({"acomp", "attr", "oprd"})
#: A verb's objects and complements: matched or not, they belong to its predicate.
_ARGUMENTS: Final = frozenset({"dobj", "dative", "ccomp", "xcomp", *_COMPLEMENTS})
#: Dependents that make a noun phrase longer than its name: "who ...", ", the lead, ...".
_NOT_NOUN_PHRASE: Final = frozenset(
    {"case", "relcl", "acl", "advcl", "appos", "punct", "cc", "conj"}
)
#: Contracted auxiliaries whose spelling changes when "n't" is written out ("won't").
_UNCONTRACTED: Final = {"wo": "will", "ca": "can", "sha": "shall"}


def _tokens_text(tokens: list[Token], replace: dict[int, str] | None = None) -> str:
    """Join tokens with their own spacing, substituting words by index where asked."""
    replace = replace or {}
    parts: list[str] = []
    for position, token in enumerate(tokens):
        word = replace.get(token.i, token.text)
        if token.lower_ in ("n't", "nt") and word == "not":
            # "would" + "n't" -> "would not"; "wo" + "n't" -> "will not"
            if parts and not parts[-1].endswith(" "):
                parts[-1] += " "
            previous = tokens[position - 1] if position else None
            if previous is not None and previous.lower_ in _UNCONTRACTED and parts:
                parts[-1] = _UNCONTRACTED[previous.lower_] + " "
        last = position == len(tokens) - 1
        nxt = tokens[position + 1] if not last else None
        adjacent = nxt is not None and nxt.i == token.i + 1
        spacing = token.whitespace_ if adjacent else (" " if not last else "")
        parts.append(word + spacing)
    return " ".join("".join(parts).split())


def predicate_heads(token: Token) -> list[Token]:
    """The token and the verbs coordinated with it that share its subject ("is arrogant
    and always interrupts people"): a conjunct with a subject of its own is another clause."""
    heads = [token]
    stack = [token]
    while stack:
        for child in stack.pop().children:
            # The tagger sometimes reads a verb after "always" as an adjective.
            verbal = child.pos_ in ("VERB", "AUX") or (
                child.pos_ == "ADJ" and child.head.pos_ == "VERB"
            )
            if child.dep_ == "conj" and verbal and not subject_of(child):
                heads.append(child)
                stack.append(child)
    return in_order(heads)


def predicate_tokens(token: Token) -> list[Token]:
    """The token's clause and its coordinated predicates with the words that join them."""
    heads = predicate_heads(token)
    tokens = [t for head in heads for t in clause_tokens(head)]
    last = heads[-1].i
    for head in heads[:-1]:
        tokens += [c for c in head.children if c.dep_ in ("cc", "punct") and head.i < c.i < last]
    tokens = trim(in_order(tokens))
    if not tokens:
        return tokens
    inside = {t.i for t in tokens}
    between = [t for t in token.doc[tokens[0].i : tokens[-1].i + 1] if t.i not in inside]
    if any(t.pos_ not in EDGE_PUNCT for t in between):
        # Another clause sits between the predicates; rewriting across it would lose it.
        return clause_tokens(token)
    # A joining "and" the parser hung on a word of the first predicate.
    return in_order([*tokens, *between])


def suggestion_spec(match: Match) -> SuggestionSpec | None:
    """The rewrite a match offers: its way of matching's own, else the rule's."""
    return match.spec.suggestion or match.rule.suggestion


def _dropped(root: Token, match: Match) -> set[int]:
    """Positions the predicates of ``root`` are rendered without (see ``bare``)."""
    drop = _drop_words(match)
    dropped: set[int] = set()
    for head in predicate_heads(root):
        for child in head.children:
            dropped_word = child.dep_ in _MODIFIERS and child.lower_ in drop
            if child.dep_ in SUBJECTS or child.dep_ in _AUXILIARIES or dropped_word:
                dropped.update(t.i for t in child.subtree)
    # A drop word the parser hung elsewhere in the predicate goes too ("and eternally interrupt").
    dropped.update(t.i for t in predicate_tokens(root) if t.lower_ in drop and t.pos_ == "ADV")
    for name, span in match.nodes.items():
        if span.root.dep_ in _ARGUMENTS:
            continue  # the predicate's own object stays: "Why would you do that?"
        if any(_universal(t, drop) for t in _phrase_head(span.root)):
            continue  # "on every comment" stays, as one occasion (see _one_occasion)
        if name != MATCH_NODE and span.root.i != root.i and root not in span.root.subtree:
            dropped.update(t.i for t in span.root.subtree)
    return dropped


def _dropped_negation(head: Token, dropped: set[int]) -> int | None:
    """The first dropped negative word ("never") of the head's own clause, outside its subject."""
    subject = subject_of(head)
    inside = {t.i for t in subject.subtree} if subject is not None else set()
    return min(
        (
            t.i
            for t in clause_tokens(head)
            if t.i in dropped and t.lower_ in _NEGATIONS and t.i not in inside
        ),
        default=None,
    )


def _negated(head: Token, dropped: set[int]) -> bool:
    kept = any(c.dep_ == "neg" for c in head.children)
    return kept or _dropped_negation(head, dropped) is not None


def _passive(head: Token) -> bool:
    return any(child.dep_ == "auxpass" for child in head.children)


def _own_tokens(head: Token, tokens: list[Token]) -> list[Token]:
    """The tokens of ``tokens`` in ``head``'s own clause, without the words that join it."""
    own = {t.i for t in clause_tokens(head)}
    return [t for t in tokens if t.i in own and t.pos_ not in EDGE_PUNCT]


def _bare_parts(root: Token, match: Match) -> tuple[list[Token], dict[int, str]]:
    """The tokens of ``bare`` and the words that replace some of them."""
    dropped = _dropped(root, match)
    heads = predicate_heads(root)
    keep = {head.i for head in heads}
    tokens = trim([t for t in predicate_tokens(root) if t.i not in dropped or t.i in keep])
    replace: dict[int, str] = {}
    for head in heads:
        passive = _passive(head)
        verb = head.lemma_ if head.pos_ in ("VERB", "AUX") and not passive else head.text
        replace[head.i] = f"be {verb}" if passive else verb
    replace.update({t.i: "not" for t in tokens if t.dep_ == "neg"})
    tokens = _one_occasion(tokens, replace, _drop_words(match))
    for head in heads:
        negation = _dropped_negation(head, dropped)
        kept_negation = any(c.dep_ == "neg" and c.i not in dropped for c in head.children)
        if negation is not None and not kept_negation:
            # "not" takes the place of the dropped negative word ("never once" -> "not once").
            after = next((t for t in _own_tokens(head, tokens) if t.i > negation), None)
            if after is not None:
                replace[after.i] = "not " + replace.get(after.i, after.text)
    return tokens, replace


def _drop_words(match: Match) -> frozenset[str]:
    """The words a match's rewrite leaves out (its suggestion's ``drop``)."""
    spec = suggestion_spec(match)
    return spec.drop if spec is not None else frozenset()


def _universal(token: Token, drop: frozenset[str]) -> bool:
    """Whether ``token`` is a determiner of an object that the rewrite turns into an
    article ("answer every report", "on every comment"; not "every day")."""
    return token.dep_ == "det" and token.lower_ in drop and token.head.dep_ in _OBJECTS


def _phrase_head(token: Token) -> list[Token]:
    """``token``, its children and, for a preposition, its object's children: the words
    that make a phrase "every comment" or "on every comment"."""
    objects = [c for c in token.children if c.dep_ == "pobj"]
    return [token, *token.children, *(g for o in objects for g in o.children)]


def _one_occasion(
    tokens: list[Token], replace: dict[int, str], drop: frozenset[str]
) -> list[Token]:
    """``tokens`` with each universal determiner of ``drop`` made one occasion's
    article: "you push back on every single comment" -> "push back on a comment". The
    determiner is replaced in ``replace``; the noun's other ``drop`` modifiers ("single")
    go."""
    gone: set[int] = set()
    for det in tokens:
        if not _universal(det, drop):
            continue
        gone.update(c.i for c in det.head.children if c.dep_ == "amod" and c.lower_ in drop)
        after = next((t for t in tokens if t.i > det.i and t.i not in gone), det.head)
        replace[det.i] = "an" if after.lower_[:1] in _VOWELS else "a"
    return [t for t in tokens if t.i not in gone]


def _bare(root: Token, match: Match) -> str:
    tokens, replace = _bare_parts(root, match)
    return _tokens_text(tokens, replace)


def _conjuncts(root: Token, match: Match) -> str:
    tokens, replace = _bare_parts(root, match)
    own = {t.i for t in clause_tokens(root)}
    rest = [t for t in tokens if t.i not in own]
    return " " + _tokens_text(rest, replace) if rest else ""


def _inside_sentence(tokens: list[Token]) -> str:
    """Words as written inside a sentence: a capital that only starts the sentence goes
    ("The authors" -> "the authors"; "Sam" and "I" keep theirs)."""
    if not tokens:
        return ""
    first = tokens[0]
    replace = {}
    if first.is_sent_start and first.pos_ != "PROPN" and first.text != "I":
        replace[first.i] = first.text[:1].lower() + first.text[1:]
    return _tokens_text(tokens, replace)


def _person_phrase(token: Token) -> str:
    """The token's noun phrase without clauses or appositions: "Maryam Monsef"."""
    excluded = {t.i for c in token.children if c.dep_ in _NOT_NOUN_PHRASE for t in c.subtree}
    return _inside_sentence(trim(in_order(t for t in token.subtree if t.i not in excluded)))


def _subject_phrase(subject: Token, objective: bool) -> str:
    """The subject inside a sentence; ``objective``: a lone pronoun in object case."""
    if objective and len(list(subject.subtree)) == 1 and subject.lower_ in _OBJECTIVE:
        return _OBJECTIVE[subject.lower_]
    return _person_phrase(subject) or subject.text


def _work(token: Token, match: Match) -> str:
    """What a judgement of ``token`` is about: "the authors' analysis", or for a
    person, "what the authors did" (a rewrite speaks of the work, not the person).
    The match's other words go: "this moronic endorsement" -> "this endorsement"."""
    if token.dep_ in ("csubj", "csubjpass"):  # "whoever wrote this": what they wrote
        made = [c for c in token.children if c.dep_ == "dobj"]
        return _subtree(made[0]) if made else "this"
    if token._.get(TARGET_EXTENSION) == "person":
        return f"what {_subject_phrase(token, False)} did"
    matched = {
        t.i
        for name, span in match.nodes.items()
        if name != MATCH_NODE and span.root.i != token.i
        for t in span
    }
    return _subtree(token, matched)


def _subtree(token: Token, without: frozenset[int] | set[int] = frozenset()) -> str:
    """The token's subtree as written inside a sentence, ``without`` some positions."""
    if token.tag_ in ("WDT", "WP") and token.head.dep_ == "relcl":
        return "this"  # "..., which is pathetic": the relative pronoun stands for it
    return _inside_sentence(trim(in_order(t for t in token.subtree if t.i not in without)))


def _be_past(subject: Token) -> str:
    plural = subject.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in subject.children)
    if plural or subject.lower_ in ("you", "we", "they"):
        return "were"
    return "was"


def _observed(root: Token, match: Match) -> str:
    subject = subject_of(root)
    dropped = _dropped(root, match)
    copular = root.lemma_ == "be" or _passive(root)
    if subject is None or not (copular or _negated(root, dropped)):
        bare = _bare(root, match)
        return f"{_subject_phrase(subject, True)} {bare}" if subject is not None else bare
    tokens, replace = _bare_parts(root, match)
    be = _be_past(subject)
    for head in predicate_heads(root):
        negated = _negated(head, dropped)
        own = _own_tokens(head, tokens)
        for token in own:
            if token.dep_ == "neg" or replace.get(token.i, "").startswith("not "):
                replace[token.i] = "" if token.dep_ == "neg" else replace[token.i][4:]
        not_ = " not" if negated else ""
        if _passive(head):
            prefix, replace[head.i] = be + not_, head.text
        elif head.lemma_ == "be":
            prefix, replace[head.i] = be + not_, ""
        elif head.tag_ == "VBD" and not negated:
            prefix, replace[head.i] = "", head.text
        else:
            prefix, replace[head.i] = "did" + not_, head.lemma_
        first = next((t for t in own if replace.get(t.i) != ""), None)
        if first is None:
            replace[head.i] = prefix
        elif prefix:
            replace[first.i] = f"{prefix} {replace.get(first.i, first.text)}"
    return f"that {_subject_phrase(subject, False)} {_tokens_text(tokens, replace)}"


def _situation(root: Token) -> str:
    # The phrase may hang on the predicate's complement: "arrogant in meetings".
    holders = [root]
    for child in root.children:
        if child.dep_ in _COMPLEMENTS or (child.dep_ == "advcl" and child.pos_ == "ADJ"):
            holders.append(child)
    phrases: list[str] = []
    for holder in holders:
        for child in holder.children:
            place = child.dep_ == "prep" and child.lower_ in _SITUATION_PREPS
            time = child.dep_ == "advcl" and any(
                m.dep_ in ("mark", "advmod") and m.lower_ in _SITUATION_MARKS and m.i < child.i
                for m in child.children
            )
            if place or time:
                phrases.append(_tokens_text(trim(in_order(child.subtree))))
    return " ".join(phrases)


def _ordinary(span: Span) -> str:
    tokens = list(span)
    replace = {t.i: t.text if t.text == "I" else t.text.lower() for t in tokens}
    return _tokens_text(tokens, replace)


def node_value(span: Span, attr: str, match: Match) -> str:
    """One template field's text for a node."""
    root = span.root
    if attr in ("", "text"):
        return span.text
    if attr == "lower":
        return span.text.lower()
    if attr == "ordinary":
        return _ordinary(span)
    if attr == "lemma":
        return span.lemma_
    if attr == "objective":
        if len(span) == 1 and span.text.lower() in _OBJECTIVE:
            return _OBJECTIVE[span.text.lower()]
        if len(span) == 1:
            return _person_phrase(root) or span.text
        return span.text
    if attr == "clause":
        return _tokens_text(clause_tokens(root))
    if attr == "subtree":
        return _subtree(root)
    if attr == "sentence":
        return root.sent.text.strip()
    if attr == "work":
        return _work(root, match)
    if attr == "observed":
        return _observed(root, match)
    if attr == "conjuncts":
        return _conjuncts(root, match)
    if attr == "situation":
        return _situation(root)
    return _bare(root, match)


def render(template: str, match: Match) -> str:
    """Fill a validated template from a match's nodes; a field whose node this match
    lacks, or whose value is empty, renders its fallback (``{node.attr:fallback}``)."""
    out: list[str] = []
    for literal, field, fallback, _conv in string.Formatter().parse(template):
        out.append(literal)
        if field is not None:
            node, _, attr = field.partition(".")
            span = match.nodes.get(node)
            value = node_value(span, attr, match) if span is not None else ""
            out.append(value or fallback or "")
    return "".join(out)


def _writer_claim(token: Token) -> Token | None:
    """The writer's verb when the clause is what they say they think ("I think you are
    lazy", "I feel that you never listen"): a rewrite of the clause replaces that too."""
    head = token.head
    if token.dep_ != "ccomp" or head.i == token.i or token.i < head.i:
        return None
    subject = subject_of(head)
    writer = subject is not None and subject.lower_ in ("i", "we")
    return head if writer and head.pos_ in ("VERB", "AUX") else None


def _with_matched_lead_in(tokens: list[Token], root: Token, match: Match) -> list[Token]:
    """``tokens`` grown back over a matched lead-in before the subject ("Every time you
    demo, you ..."): the words the finding is about are part of what is rewritten."""
    lead_ins = [
        span.root
        for name, span in match.nodes.items()
        if name != MATCH_NODE and span.root.head.i == root.i and span.root.i < root.i
    ]
    if not tokens or not lead_ins:
        return tokens
    first = min(t.left_edge.i for t in lead_ins)
    if first >= tokens[0].i:
        return tokens
    return trim(in_order(t for t in root.subtree if first <= t.i <= tokens[-1].i))


def target_span(match: Match) -> tuple[int, int]:
    """The character range (in the parsed block) that a rule's suggestion replaces."""
    spec = suggestion_spec(match)
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
        tokens = trim(list(root.sent))
    elif extent in ("clause", "predicates") and _writer_claim(root) is not None:
        tokens = clause_tokens(_writer_claim(root) or root)
    elif extent in ("clause", "predicates"):
        tokens = clause_tokens(root) if extent == "clause" else predicate_tokens(root)
        tokens = _with_matched_lead_in(tokens, root, match)
    elif extent == "subtree":
        tokens = trim(in_order(root.subtree))
    else:
        span = match.nodes[node]
        return span.start_char, span.end_char
    if not tokens:
        return match.start_char, match.end_char
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _deletion(doc: Doc, start: int, end: int, drop: frozenset[str]) -> Edit:
    """An edit that removes ``doc.text[start:end]`` and repairs what is left.

    A lead-in goes with its comma and any ``drop`` word after it, and the next word
    takes the capital ("As everyone knows, you ..." -> "You ..."); a parenthesis goes
    with the comma before it ("The cache, as I said, is ..." -> "The cache is ..."); a
    word goes with the space after it ("You obviously need" -> "You need").
    """
    text = doc.text
    span = doc.char_span(start, end, alignment_mode="expand")
    after = span.end if span is not None else len(doc)
    while after < len(doc) and (doc[after].text in (",", ";", ":") or doc[after].lower_ in drop):
        end = doc[after].idx + len(doc[after].text)
        after += 1
    spaced = end
    while spaced < len(text) and text[spaced] in " \t":
        spaced += 1
    if span is not None and len(span) and span[0].is_sent_start:
        if after < len(doc) and not doc[after].is_punct:
            word = doc[after]
            # The next word takes the capital: the edit covers its first letter.
            return Edit(start, word.idx + 1, word.text[:1].upper())
        return Edit(start, spaced, "")
    before = start
    while before > 0 and text[before - 1] in " \t":
        before -= 1
    if before > 0 and text[before - 1] in ",;:":
        return Edit(before - 1, end, "")
    if spaced == len(text) or text[spaced] in ".,;:!?":
        return Edit(before, end, "")
    return Edit(start, spaced, "")


#: Tags of the marks that open and close a quotation or a parenthesis.
_OPENING: Final = {"``": "''", "-LRB-": "-RRB-"}


def _end_marks(sentence: Span, start: int, end: int) -> int:
    """The end of the sentence's closing marks (".", "?!", "!!!") right after ``end``,
    with the quotation marks and parentheses that close one opened in ``start:end``
    ("The answer is still 'no'." is replaced whole, its closing quote too)."""
    still_open = Counter[str]()
    for token in sentence:
        if start <= token.idx < end and token.tag_ in _OPENING:
            still_open[_OPENING[token.tag_]] += 1
        elif start <= token.idx < end and still_open[token.tag_] > 0:
            still_open[token.tag_] -= 1
        elif token.idx < end or token.is_space:
            continue
        elif token.is_punct and set(token.text) <= set(".?!"):
            end = token.idx + len(token.text)
        elif still_open[token.tag_] > 0:
            still_open[token.tag_] -= 1
            end = token.idx + len(token.text)
        else:
            break
    return end


def build_suggestion(match: Match, offset: int) -> Suggestion | None:
    """The match's suggestion, with edits shifted by the block's ``offset``."""
    spec = suggestion_spec(match)
    if spec is None:
        return None
    start, end = target_span(match)
    replacement = render(spec.replace_with, match)
    doc = match.nodes[MATCH_NODE].doc
    if start == end and spec.target.endswith(".end"):
        # An added sentence keeps its own capitals and follows the text after a space.
        replacement = " " + replacement
        return Suggestion(
            title=spec.title,
            replacement=replacement,
            edits=(Edit(start + offset, end + offset, replacement),),
            applicability=spec.applicability,
        )
    excess = [
        (span, match.offsets.get(name, offset))
        for name, span in match.nodes.items()
        if name.startswith(EXCESS_NODE)
    ]
    kept = [span for name, span in match.nodes.items() if name.startswith(KEPT_NODE)]
    if not replacement and excess:
        # A count rule's rewrite keeps the points that fit and leaves out the rest.
        return Suggestion(
            title=spec.title,
            replacement="",
            edits=tuple(point_deletions(excess, kept)),
            applicability=spec.applicability,
        )
    if not replacement:
        edit = _deletion(doc, start, end, spec.drop)
        return Suggestion(
            title=spec.title,
            replacement="",
            edits=(Edit(edit.start + offset, edit.end + offset, edit.replacement),),
            applicability=spec.applicability,
        )
    if spec.target == "sentence" and replacement.endswith((".", "?", "!")):
        # A rewrite with its own end mark ("... what would help?") takes the place of
        # the sentence's: "or else!" becomes a statement, "Why would you?" a question.
        end = _end_marks(match.nodes[MATCH_NODE].root.sent, start, end)
    first = doc.char_span(start, end, alignment_mode="expand")
    at_sentence_start = first is not None and len(first) > 0 and first[0].is_sent_start
    head = replacement[0]
    if at_sentence_start:
        head = head.upper()
    elif not replacement.startswith(("I ", "I'", "[")):
        head = head.lower()
    replacement = head + replacement[1:]
    edits = [Edit(start, end, replacement), *_stray_drops(match, spec, start, end)]
    return Suggestion(
        title=spec.title,
        replacement=replacement,
        edits=tuple(Edit(e.start + offset, e.end + offset, e.replacement) for e in edits),
        applicability=spec.applicability,
    )


def _stray_drops(match: Match, spec: SuggestionSpec, start: int, end: int) -> list[Edit]:
    """Deletions of the ``drop`` words that the rewrite's span leaves in the rest of the
    matched clause, such as the absolute of a predicate the parser did not coordinate
    ("You always miss it and constantly interrupt" keeps no "constantly")."""
    if not spec.drop:
        return []
    root = match.nodes[MATCH_NODE].root
    return [
        _deletion(root.doc, t.idx, t.idx + len(t.text), frozenset())
        for t in root.subtree
        if t.pos_ == "ADV"
        and t.lower_ in spec.drop
        and not start <= t.idx < end
        and not _in_own_clause(t, root)
    ]


def _in_own_clause(token: Token, root: Token) -> bool:
    """Whether ``token`` sits in a clause below ``root`` that has a subject of its own
    ("... and you never listen"): another claim, with findings of its own."""
    head = token.head
    while head.i != root.i and head.head.i != head.i:
        if any(c.dep_ in SUBJECTS for c in head.children):
            return True
        head = head.head
    return False


def point_deletions(points: Sequence[tuple[Span, int]], kept: Iterable[Span]) -> list[Edit]:
    """Edits, in document offsets, that leave out each point: its sentence when the point
    heads it and no kept point is in it, else its clause with the comma or conjunction
    that joins it ("..., your slides had typos and the summary is too long" loses " and
    the summary is too long"). A sentence goes with the space after it, or, at the end
    of the text, the space before it.

    Each point comes with the offset of its parsed block in the document.
    """
    kept_at = {(id(span.doc), span.root.sent.start) for span in kept}
    ranges: list[tuple[int, int]] = []
    texts: dict[int, str] = {}  # spaCy joins a Doc's text from its tokens on every read
    for span, shift in points:
        doc = span.doc
        text = texts.get(id(doc))
        if text is None:
            text = texts[id(doc)] = doc.text
        head = _point_head(span.root)
        sentence = head.sent
        if head.i == sentence.root.i and (id(doc), sentence.start) not in kept_at:
            start, end = sentence.start_char, sentence.end_char
        else:
            tokens = clause_tokens(head)
            if not tokens:
                continue
            first = tokens[0].i
            while first > sentence.start and doc[first - 1].dep_ in ("cc", "punct"):
                if doc[first - 1].text in (".", "!", "?"):
                    break
                first -= 1
            start = doc[first].idx
            while start > 0 and text[start - 1] in " \t":
                start -= 1
            end = tokens[-1].idx + len(tokens[-1].text)
        ranges.append((start + shift, end + shift))
    chars = _full_text(points, texts)
    return [Edit(start, end, "") for start, end in _merged(ranges, chars)]


def _full_text(points: Iterable[tuple[Span, int]], texts: dict[int, str]) -> dict[int, str]:
    """The characters of the points' parsed blocks, by document offset (what edits see);
    ``texts`` holds each block's text by the id of its Doc."""
    docs = {id(span.doc): (span.doc, shift) for span, shift in points}
    chars: dict[int, str] = {}
    for key, (doc, shift) in docs.items():
        text = texts.get(key)
        if text is None:
            text = texts[key] = doc.text
        for index, char in enumerate(text):
            chars[shift + index] = char
    return chars


def _merged(ranges: list[tuple[int, int]], chars: dict[int, str]) -> list[tuple[int, int]]:
    """Join ranges that only white space separates, and give a removed sentence the
    space after it (or, with nothing of the block after it, the space before it)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and all(chars.get(i, " ").isspace() for i in range(merged[-1][1], start)):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    result: list[tuple[int, int]] = []
    for start, end in merged:
        if chars.get(start - 1, " ").isspace() and not chars.get(start, " ").isspace():
            after = end
            while after in chars and chars[after] in " \t":
                after += 1
            if after in chars and not chars[after].isspace():
                end = after
            else:
                while chars.get(start - 1, "x") in " \t":
                    start -= 1
        result.append((start, end))
    return result


def _point_head(token: Token) -> Token:
    """The head of the clause a point belongs to: the first verb at or above it with a
    subject of its own, or the sentence's root (as ``units.clause_of`` counts points)."""
    while token.head.i != token.i and not (
        token.pos_ in ("VERB", "AUX") and subject_of(token) is not None
    ):
        token = token.head
    return token
