"""Turn a source into a :class:`Document` whose prose can be parsed.

A document keeps its original text and a *prose* view of the same length in which
everything that is not prose (code, URLs, HTML, front matter, markup, and by
default quoted text) is replaced by spaces. Because the two strings line up
character for character, every offset found in the prose points into the
original text. This module does not import spaCy: fast commands import it.
"""

from __future__ import annotations

import bisect
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache, cached_property
from pathlib import PurePath
from typing import TYPE_CHECKING, Literal

from feedback_lint.errors import CATALOGUE, InputError

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

Format = Literal["markdown", "text"]

_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
_TEXT_SUFFIXES = frozenset({".txt", ".text"})
_BOM = "\ufeff"

_NEWLINE = re.compile(r"\r\n|\r|\n")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>]+", re.IGNORECASE)
_URL_TRAILING = "?!.,:;*_~'\""
_AUTOLINK = re.compile(
    r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*"
    r"|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)>"
)
# Container markers at the start of a line: ">" anywhere, bullets only on an item's first line.
_QUOTE_PREFIX = re.compile(r"(?:[ \t]*>)*[ \t]*")
_ITEM_PREFIX = re.compile(r"(?:[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)))*[ \t]*")
_TABLE_PIPE = re.compile(r"(?<!\\)\|")
_BACKTICKS = re.compile(r"`+")
_LINK_TAIL = re.compile(  # ( destination "optional title" ), one level of nested parentheses
    r"""\(\s*(?:<[^<>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"""
    r"""(?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?\s*\)"""
)
# Where an inline mask may start; each alternative is checked further in _inline_masks.
_MARKDOWN_INLINE = re.compile(r"\\|`+|<!--|<|\]\(|https?://|www\.", re.IGNORECASE)
_TEXT_INLINE = re.compile(r"<!--|https?://|www\.", re.IGNORECASE)


@dataclass(frozen=True)
class Region:
    """A half-open character range [start, end) of Document.text."""

    start: int
    end: int


@dataclass(frozen=True)
class Document:
    """A decoded source with its prose view and the regions rules work on.

    ``blocks`` are the units a sentence never crosses (paragraphs, headings,
    list-item paragraphs, table rows); ``sections`` group blocks under headings;
    ``items`` are the separate pieces of feedback (top-level list items and
    paragraphs outside lists). All regions index ``text`` and ``prose`` alike.
    """

    path: str
    text: str
    prose: str
    format: Format
    blocks: tuple[Region, ...]
    sections: tuple[Region, ...]
    items: tuple[Region, ...]
    has_bom: bool = False
    newline: str = "\n"

    @cached_property
    def _line_starts(self) -> list[int]:
        return [0, *(m.end() for m in _NEWLINE.finditer(self.text))]

    def position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based (line, column) of a 0-based offset into ``text``.

        Columns count characters; ``offset == len(text)`` (the end) is allowed.
        """
        if not 0 <= offset <= len(self.text):
            raise ValueError(f"offset {offset} is outside the text (length {len(self.text)})")
        starts = self._line_starts
        line = bisect.bisect_right(starts, offset) - 1
        return line + 1, offset - starts[line] + 1

    def parse_text(self, block: Region) -> str:
        """Return the prose of ``block`` on one line, ready for the parser.

        Line breaks become spaces so that a sentence wrapped over lines is
        tokenized as one; the result has the same length as the block.
        """
        return self.prose[block.start : block.end].replace("\r", " ").replace("\n", " ")


def decode(data: bytes, path: str) -> tuple[str, bool]:
    """Decode UTF-8 ``data`` read from ``path``; return (text, had_bom).

    Raises InputError E903 for binary data (NUL bytes) and E902 naming the first
    invalid byte and its 1-based line.
    """
    if b"\x00" in data:
        raise InputError("E903", path=path)
    had_bom = data.startswith(b"\xef\xbb\xbf")
    if had_bom:
        data = data[3:]
    try:
        return data.decode("utf-8"), had_bom
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1
        raise _not_utf8(path, data[exc.start], line) from None


def _not_utf8(path: str, byte: int, line: int) -> InputError:
    try:
        return InputError("E902", path=path, line=line, byte=byte)
    except KeyError:
        # FeedbackLintError's own ``line`` parameter swallows the message's {line} field;
        # build the error by hand until errors.py passes it on.
        error = InputError("E903", path=path, line=line)
        error.code, error.fields = "E902", {"byte": byte, "line": line}
        error.detail = CATALOGUE["E902"].format(**error.fields)
        error.args = (str(error),)
        return error


def detect_format(path: str | None, text: str) -> Format:
    """Choose how to read a source: by its suffix, else by whether it has markdown structure."""
    if path is not None:
        suffix = PurePath(path).suffix.lower()
        if suffix in _MARKDOWN_SUFFIXES:
            return "markdown"
        if suffix in _TEXT_SUFFIXES:
            return "text"
    structural = {"heading_open", "bullet_list_open", "ordered_list_open", "fence"}
    tokens = _parser().parse(text)
    return "markdown" if any(token.type in structural for token in tokens) else "text"


def from_text(
    text: str,
    path: str = "<string>",
    format: Format | None = None,
    include_quotes: bool = False,
) -> Document:
    """Build a Document from a string; the format is detected when not given.

    A leading BOM is removed and recorded. Block quotes are masked as someone
    else's words unless ``include_quotes`` is true.
    """
    has_bom = text.startswith(_BOM)
    if has_bom:
        text = text[1:]
    fmt = format if format is not None else detect_format(path, text)
    if fmt == "markdown":
        prose, blocks, sections, items = _markdown(text, include_quotes)
    else:
        prose = _apply(text, _inline_masks(text, markdown=False))
        blocks = _text_blocks(text, prose)
        sections, items = (Region(0, len(text)),), blocks
    return Document(
        path=path,
        text=text,
        prose=prose,
        format=fmt,
        blocks=blocks,
        sections=sections,
        items=items,
        has_bom=has_bom,
        newline=_dominant_newline(text),
    )


def read_document(
    path: str | os.PathLike[str],
    max_bytes: int | None = None,
    include_quotes: bool = False,
    display_path: str | None = None,
) -> Document:
    """Read, decode and mask a file; problems are raised as InputError naming the file.

    ``display_path`` is the name shown in messages and stored on the Document
    (the real path by default); ``max_bytes`` limits the size read (E904).
    """
    real = os.fspath(path)
    name = display_path if display_path is not None else real
    try:
        if stat.S_ISDIR(os.stat(real).st_mode):
            raise InputError("E905", path=name)
        with open(real, "rb") as handle:
            # Read one byte past the limit: st_size is 0 for pipes and devices.
            data = handle.read() if max_bytes is None else handle.read(max_bytes + 1)
    except (FileNotFoundError, NotADirectoryError):
        raise InputError("E906", path=name) from None
    except IsADirectoryError:
        raise InputError("E905", path=name) from None
    except OSError as exc:
        raise InputError("E901", path=name, reason=exc.strerror or str(exc)) from None
    if max_bytes is not None and len(data) > max_bytes:
        raise InputError("E904", path=name, limit=max_bytes)
    text, had_bom = decode(data, name)
    document = from_text(text, name, detect_format(real, text), include_quotes)
    return replace(document, has_bom=had_bom or document.has_bom)


@cache
def _parser() -> MarkdownIt:
    # Imported here: markdown-it costs tens of milliseconds, and most commands never parse.
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def _markdown(
    text: str, include_quotes: bool
) -> tuple[str, tuple[Region, ...], tuple[Region, ...], tuple[Region, ...]]:
    """Mask markdown ``text``; return (prose, blocks, sections, items)."""
    lines = _line_spans(text)
    skip = _front_matter(text, lines)
    source = "\n".join("" if i < skip else text[s:e] for i, (s, e) in enumerate(lines))
    prose = [c if c in "\r\n" else " " for c in text]
    found: list[tuple[Region, str, object]] = []  # (region, kind, item key)
    quotes = lists = 0
    item_id = -1
    item_lines: set[int] = set()
    tokens = _parser().parse(source)
    for index, token in enumerate(tokens):
        if token.type == "blockquote_open":
            quotes += 1
        elif token.type == "blockquote_close":
            quotes -= 1
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            lists += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists -= 1
        elif token.type == "list_item_open" and token.map is not None:
            item_lines.add(token.map[0])
            if lists == 1:
                item_id = index
        kind = {"paragraph_open": "p", "heading_open": "h", "tr_open": "tr"}.get(token.type)
        if kind is None or token.map is None or (quotes and not include_quotes):
            continue
        first, last = token.map[0], min(token.map[1], len(lines))
        if kind == "h" and token.markup in ("=", "-"):
            last -= 1  # the setext underline is markup
        for number in range(first, last):
            start, end = lines[number]
            line = text[start:end]
            pattern = _ITEM_PREFIX if number in item_lines else _QUOTE_PREFIX
            keep_from = _match_end(pattern, line)
            keep_to = len(line)
            if kind == "h" and token.markup.startswith("#"):
                keep_from, keep_to = _atx_content(line, keep_from, tokens[index + 1].content)
            prose[start + keep_from : start + keep_to] = line[keep_from:keep_to]
            if kind == "tr":
                for pipe in _TABLE_PIPE.finditer(line, keep_from):
                    prose[start + pipe.start()] = " "
        block_start, block_end = lines[first][0], lines[max(first, last - 1)][1]
        segment = "".join(prose[block_start:block_end])
        for a, b in _inline_masks(segment, markdown=True):
            prose[block_start + a : block_start + b] = _blank(segment[a:b])
        region = _trim(prose, block_start, block_end)
        if region is not None:
            key: object = ("li", item_id) if lists else ("p", index) if kind == "p" else None
            found.append((region, kind, key))
    return "".join(prose), *_group(found)


def _group(
    found: list[tuple[Region, str, object]],
) -> tuple[tuple[Region, ...], tuple[Region, ...], tuple[Region, ...]]:
    """Derive (blocks, sections, items) from the prose blocks and their kinds and item keys."""
    blocks = tuple(region for region, _, _ in found)
    sections: list[Region] = []
    items: dict[object, Region] = {}
    for region, kind, key in found:
        if kind == "h" or not sections:
            sections.append(region)
        else:
            sections[-1] = Region(sections[-1].start, region.end)
        if key is not None:
            start = items[key].start if key in items else region.start
            items[key] = Region(start, region.end)
    return blocks, tuple(sections), tuple(sorted(items.values(), key=lambda r: r.start))


def _line_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of each line's content, line breaks excluded, as markdown-it counts."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _NEWLINE.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _front_matter(text: str, lines: list[tuple[int, int]]) -> int:
    """Return how many leading lines are YAML front matter (0 if there is none)."""
    if text[lines[0][0] : lines[0][1]] != "---":
        return 0
    for number, (start, end) in enumerate(lines[1:], start=1):
        if text[start:end] in ("---", "..."):
            return number + 1
    return 0


def _match_end(pattern: re.Pattern[str], line: str) -> int:
    match = pattern.match(line)
    return match.end() if match else 0


def _atx_content(line: str, start: int, content: str) -> tuple[int, int]:
    """Return the span of an ATX heading's text in ``line``, without the ``#`` sequences."""
    after_hashes = start + len(line[start:]) - len(line[start:].lstrip("#"))
    if not content:
        return start, start
    found = line.find(content, after_hashes)
    return (found, found + len(content)) if found >= 0 else (after_hashes, len(line))


def _inline_masks(s: str, markdown: bool) -> Iterator[tuple[int, int]]:
    """Yield the spans of ``s`` that are not prose: URLs, HTML comments and, in markdown,
    code spans, autolinks and link destinations."""
    pattern = _MARKDOWN_INLINE if markdown else _TEXT_INLINE
    # Precomputed so that many unclosed openers cannot make the scan quadratic.
    runs: dict[int, list[int]] = {}
    for run in _BACKTICKS.finditer(s) if markdown else ():
        runs.setdefault(len(run.group()), []).append(run.start())
    last_comment_end, first_bracket = s.rfind("-->"), s.find("[")
    i = 0
    while match := pattern.search(s, i):
        i, token, end = match.start(), match.group(), -1
        if token == "\\":
            i += 2
            continue
        if token.startswith("`"):
            closers = runs.get(len(token), [])
            after = bisect.bisect_left(closers, match.end())
            if after == len(closers):  # an unclosed run is literal text, backticks and all
                i = match.end()
                continue
            end = closers[after] + len(token)
        elif token == "<!--" and i + 4 <= last_comment_end:
            end = s.find("-->", i + 4) + 3
        elif token == "<":
            link = _AUTOLINK.match(s, i)
            end = link.end() if link else -1
        elif token == "](" and 0 <= first_bracket < i:
            i += 1  # keep the "]" of the link text
            link = _LINK_TAIL.match(s, i)
            end = link.end() if link else -1
        elif token[0] in "hHwW" and (i == 0 or not s[i - 1].isalnum()):
            url = _URL.match(s, i)
            end = _trim_url(s, i, url.end()) if url else -1
        if end > i:
            yield i, end
            i = end
        else:
            i += 1


def _trim_url(s: str, start: int, end: int) -> int:
    """Drop trailing punctuation and unbalanced ")" from a bare URL, as GFM does."""
    while end > start:
        last = s[end - 1]
        if last in _URL_TRAILING or (
            last == ")" and s.count(")", start, end) > s.count("(", start, end)
        ):
            end -= 1
        else:
            break
    return end


def _blank(s: str) -> str:
    """Replace every character but line breaks with a space."""
    return "".join(c if c in "\r\n" else " " for c in s)


def _apply(text: str, spans: Iterator[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = _blank(text[start:end])
    return "".join(chars)


def _trim(prose: list[str] | str, start: int, end: int) -> Region | None:
    """Shrink [start, end) to its first and last non-space characters; None if all space."""
    while start < end and prose[start].isspace():
        start += 1
    while end > start and prose[end - 1].isspace():
        end -= 1
    return Region(start, end) if start < end else None


def _text_blocks(text: str, prose: str) -> tuple[Region, ...]:
    """Split plain text into paragraphs at blank lines of the original text."""
    blocks: list[Region] = []
    start: int | None = None
    for line_start, line_end in [*_line_spans(text), (len(text), len(text))]:
        blank = text[line_start:line_end].isspace() or line_start == line_end
        if blank and start is not None:
            region = _trim(prose, start, line_start)
            if region is not None:
                blocks.append(region)
            start = None
        elif not blank and start is None:
            start = line_start
    return tuple(blocks)


def _dominant_newline(text: str) -> str:
    crlf = text.count("\r\n")
    counts = {"\n": text.count("\n") - crlf, "\r\n": crlf, "\r": text.count("\r") - crlf}
    return max(counts, key=lambda style: counts[style])  # ties keep the first: "\n"
