"""Inline quotations: words in a prose block that the writer quotes from someone else.

Sentence rules judge what the writer says, so a finding that lies wholly inside a
quotation ('He said: "I'm done with this whole project."', "I'd like to tell them
'Toughen up, the world won't adjust to you.'") is someone else's words and is not
reported, as Markdown block quotes are masked (both come back with
``include_quotes``). The quotation stays in the parsed text, so the sentence around
it parses as written and a judgement *of* the quoted words ("The claim that it
'fixes every race' is absurd") is still read.

A quotation needs at least :data:`MIN_WORDS` words: one or two words in quotation
marks are the writer's own words held at a distance ("your 'fix' broke the build"),
which the sarcasm rules read. A block that is all one quotation is the text itself,
in quotation marks, with no words of the writer's around it. This module must not
import spaCy.
"""

from __future__ import annotations

import re
from typing import Final

#: The fewest words a quoted passage has to be someone else's words, not scare quotes.
MIN_WORDS: Final = 3

_LSQ, _RSQ = "\N{LEFT SINGLE QUOTATION MARK}", "\N{RIGHT SINGLE QUOTATION MARK}"
_LDQ, _RDQ = "\N{LEFT DOUBLE QUOTATION MARK}", "\N{RIGHT DOUBLE QUOTATION MARK}"
_LOW, _LEFT_GUILLEMET, _RIGHT_GUILLEMET = "\u201e", "\u00ab", "\u00bb"
_DASHES = "\N{EM DASH}\N{EN DASH}-"
# Each mark: its family (quotations pair within one) and whether it opens (+1), closes
# (-1) or, straight, may do either, told by the characters around it (0).
_KINDS: Final = {
    "''": ("double", 0),
    '"': ("double", 0),
    _LDQ: ("double", 1),
    _LOW: ("double", 1),
    _LEFT_GUILLEMET: ("double", 1),
    _RDQ: ("double", -1),
    _RIGHT_GUILLEMET: ("double", -1),
    "'": ("single", 0),
    _LSQ: ("single", 1),
    _RSQ: ("single", -1),
}
_MARKS: Final = re.compile("''|[" + re.escape("".join(k for k in _KINDS if len(k) == 1)) + "]")
_WORD: Final = re.compile(r"\w+")
# What may stand before an opening mark, and after a closing one.
_BEFORE_OPEN: Final = frozenset(" \t\n([{:/\"'" + _LDQ + _LSQ + _DASHES)
_AFTER_CLOSE: Final = frozenset(" \t\n)]}/.,;:!?\N{HORIZONTAL ELLIPSIS}\"'" + _RDQ + _RSQ + _DASHES)
# A sentence mark before a closing mark that a letter follows: "at war.'This is".
_END_MARKS: Final = frozenset(".!?,")


def inline_quotations(text: str) -> list[tuple[int, int]]:
    """The ``[start, end)`` ranges inside the quotation marks of ``text``'s quotations
    of :data:`MIN_WORDS` words or more.

    Curly marks say which way they face. A straight mark (``"``, ``'``, or ``''``
    typed for a double one) opens at the start of a word and closes at the end of
    one, so the apostrophes of "don't", "the students' work" and "the '90s", and a
    stray mark left over from copying, open nothing a later mark could close: a
    closing mark with nothing open is ignored, and an opening mark while one of its
    family is open replaces it (the first was unpaired).
    """
    if not _MARKS.search(text):
        return []
    found: list[tuple[int, int]] = []
    opened: dict[str, int] = {}
    for match in _MARKS.finditer(text):
        at, end = match.start(), match.end()
        family, facing = _KINDS[match.group()]
        before = text[at - 1] if at else " "
        after = text[end] if end < len(text) else " "
        if before.isalnum() and after.isalnum():
            continue  # an apostrophe inside a word: "don't", "rock'n'roll"
        if facing == 0:
            closes = not before.isspace() and (
                after in _AFTER_CLOSE or (before in _END_MARKS and after.isalpha())
            )
            # "'90s" elides digits; it opens nothing.
            opens = before in _BEFORE_OPEN and not after.isspace() and not after.isdigit()
        else:
            closes, opens = facing < 0, facing > 0
        if closes and family in opened:
            found.append((opened.pop(family), at))
            if family == "double":
                opened.pop("single", None)  # a single mark opened inside closes with it
        elif opens:
            opened[family] = end
    return [
        (start, end)
        for start, end in found
        if len(_WORD.findall(text[start:end])) >= MIN_WORDS
        # a block that is one quotation has no words of the writer's around it: it is
        # the text itself, in quotation marks
        and (_WORD.search(text, 0, start) or _WORD.search(text, end))
    ]
