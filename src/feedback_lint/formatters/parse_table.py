"""``--show-parse``: how the parser reads a text, as an aligned table of tokens.

For rule authors: each token's text, lemma, part of speech, tag, dependency and
head, one table a sentence. A pure function of parsed Docs, as the other
formatters are of reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc


def format(docs: Iterable[Doc]) -> str:
    """An aligned table of each token's text, lemma, POS, tag, dependency and head."""
    header = ("i", "text", "lemma", "pos", "tag", "dep", "head")
    tables: list[str] = []
    for doc in docs:
        for sentence in doc.sents:
            rows = [header]
            for token in sentence:
                if token.is_space:
                    continue
                rows.append(
                    (
                        str(token.i),
                        token.text,
                        token.lemma_,
                        token.pos_,
                        token.tag_,
                        token.dep_,
                        f"{token.head.i} {token.head.text}",
                    )
                )
            widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
            lines = [
                "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
                for row in rows
            ]
            tables.append("\n".join(lines))
    return "\n\n".join(tables) + "\n" if tables else ""
