"""Turn a source into a :class:`Document` whose prose can be parsed.

``Document.prose`` has the same length as ``Document.text``, with everything
that is not prose (code, URLs, HTML, front matter, markup and, by default,
quoted text) replaced by spaces, so every offset found in the prose points into
the original text. This module must not import spaCy: fast commands import it.
"""

from __future__ import annotations

import bisect
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache, cached_property, lru_cache
from pathlib import PurePath
from typing import TYPE_CHECKING, Literal, TypeAlias

from .errors import InputError
from .quotations import inline_quotations

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

Format = Literal["markdown", "text"]
FORMATS: tuple[Format, ...] = ("markdown", "text")

_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
_TEXT_SUFFIXES = frozenset({".txt", ".text"})
_STRUCTURE = frozenset({"heading_open", "bullet_list_open", "ordered_list_open", "fence"})
_CONTAINERS = frozenset(
    {"blockquote_open", "bullet_list_open", "ordered_list_open", "list_item_open"}
)
_PROSE_BLOCKS = {"paragraph_open": "p", "heading_open": "h", "tr_open": "tr"}

# Byte-order marks of UTF-32 and UTF-16 (the longer first), and ASCII text as UTF-16 without one.
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
_WIDE_TEXT = re.compile(rb"(?:[\t\n\r\x20-\x7e]\x00){4,}|(?:\x00[\t\n\r\x20-\x7e]){4,}")
_SURROGATE = re.compile("[\ud800-\udfff]")
_NEWLINE = re.compile(r"\r\n|\r|\n")  # the line breaks markdown-it counts lines by
_LINE = re.compile(r"(?:\A|(?<=\n)|(?<=\r)(?!\n))[^\r\n]*")  # a line's content, no break
# Container markers at the start of a line: ">" on any line, bullets only on an item's first.
_QUOTE_PREFIX = re.compile(r"(?:[ \t]*>)*[ \t]*")
_ITEM_PREFIX = re.compile(r"(?:[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)))*[ \t]*")
_TABLE_PIPE = re.compile(r"(?<!\\)\|")
# Where an inline mask may start; _inline_masks checks each candidate further.
_MARKDOWN_INLINE = re.compile(r"\\|`+|<!--|<|\]\(|https?://|www\.", re.IGNORECASE)
_TEXT_INLINE = re.compile(r"<!--|https?://|www\.", re.IGNORECASE)
_BACKTICKS = re.compile(r"`+")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>]+", re.IGNORECASE)
_URL_TRAILING = "?!.,:;*_~'\""
_AUTOLINK = re.compile(
    r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*"
    r"|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)>"
)
# Runs of punctuation or symbols (emoji included; "_" is a word character to re, not to
# spaCy): the tokenizer takes quadratic time over one such run, so only its head is parsed.
MAX_SYMBOL_RUN = 10
_SYMBOL_RUN = re.compile(rf"(?:[^\w\s]|_){{{MAX_SYMBOL_RUN + 1},}}")
_LINK_TAIL = re.compile(  # (destination "optional title"), one level of nested parentheses
    r"""\(\s*(?:<[^<>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"""
    r"""(?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?\s*\)"""
)


@dataclass(frozen=True)
class Region:
    """A half-open character range [start, end) of Document.text."""

    start: int
    end: int


@dataclass(frozen=True)
class Document:
    """A decoded source, its prose view, and the regions rules work on.

    ``path`` is the display name (a file path, ``<stdin>`` or ``<string>``);
    ``text`` is the decoded original without a BOM (``has_bom`` records one);
    ``prose`` is ``text`` with everything but prose blanked, line breaks kept.
    ``blocks`` are the units a sentence never crosses (paragraphs, headings,
    list-item paragraphs, table rows); ``sections`` group blocks under headings;
    ``items`` are the separate pieces of feedback (top-level list items and
    paragraphs outside lists). ``newline`` is the original's dominant line break.
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
        return [0, *(match.end() for match in _NEWLINE.finditer(self.text))]

    def position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based (line, column) of a 0-based offset, counting characters.

        ``offset == len(text)`` is allowed, for findings at the end of the text.
        """
        if not 0 <= offset <= len(self.text):
            raise ValueError(f"offset {offset} is outside the text (length {len(self.text)})")
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def parse_text(self, block: Region) -> str:
        """Return the prose of ``block`` with line breaks as spaces, ready for the parser.

        A sentence wrapped over lines is then tokenized as one; the length is unchanged.
        A lone surrogate (which no parser can encode) reads as U+FFFD.
        """
        text = self.prose[block.start : block.end].replace("\r", " ").replace("\n", " ")
        return _SURROGATE.sub("\ufffd", text)

    @cached_property
    def quotations(self) -> tuple[Region, ...]:
        """The inline quotations of the prose, in text order: the words between the
        quotation marks (see :mod:`quotations`); a quotation never crosses a block."""
        return tuple(
            Region(block.start + start, block.start + end)
            for block in self.blocks
            for start, end in inline_quotations(self.prose[block.start : block.end])
        )


def decode(data: bytes, path: str) -> tuple[str, bool]:
    """Decode UTF-8 ``data`` read from ``path`` into (text, had_bom).

    Raises InputError E912 for UTF-16 or UTF-32 text (a byte-order mark, or NUL
    bytes in the pattern of ASCII letters in those encodings), E903 for other
    binary data (NUL bytes) and E902 naming the first invalid byte and its
    1-based line.
    """
    wide = _wide_encoding(data)
    if wide is not None:
        raise InputError("E912", path=path, encoding=wide)
    if b"\x00" in data:
        raise InputError("E903", path=path)
    had_bom = data.startswith(b"\xef\xbb\xbf")
    data = data[3:] if had_bom else data
    try:
        return data.decode("utf-8"), had_bom
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1
        raise InputError("E902", path=path, line=line, byte=data[exc.start]) from None


def _wide_encoding(data: bytes) -> str | None:
    """"UTF-16" or "UTF-32" when ``data`` looks like text in one of them, else None."""
    for mark, encoding in _WIDE_BOMS:
        if data.startswith(mark):
            return encoding
    return "UTF-16" if _WIDE_TEXT.match(data[:64]) else None


def detect_format(path: str | None, text: str) -> Format:
    """Choose how to read a source: by its file suffix, else by its markdown structure."""
    suffix = PurePath(path).suffix.lower() if path is not None else ""
    if suffix in _MARKDOWN_SUFFIXES or suffix in _TEXT_SUFFIXES:
        return "markdown" if suffix in _MARKDOWN_SUFFIXES else "text"
    structured = any(token.type in _STRUCTURE for token in _tokens(text))
    return "markdown" if structured else "text"


def from_text(
    text: str,
    path: str = "<string>",
    format: Format | None = None,
    include_quotes: bool = False,
) -> Document:
    """Build a Document from a string, detecting the format when it is not given.

    The string is kept exactly as given, so that every offset points into it
    (a byte-order mark is dropped when bytes are decoded, by :func:`decode`).
    Block quotes are someone else's words, so they are masked unless
    ``include_quotes`` is true. Raises TypeError for a text that is not a str and
    ValueError for an unknown format.
    """
    if not isinstance(text, str):
        hint = "; decode it first" if isinstance(text, (bytes, bytearray)) else ""
        raise TypeError(f"the text to lint must be a str, not {type(text).__name__}{hint}")
    if format not in (None, *FORMATS):
        raise ValueError(f"format must be one of {', '.join(FORMATS)} or None, not {format!r}")
    if text.startswith("\ufeff"):
        # Read what follows the mark, then put the mark back as masked text.
        inner = from_text(text[1:], path, format, include_quotes)

        def shifted(regions: tuple[Region, ...]) -> tuple[Region, ...]:
            return tuple(Region(r.start + 1, r.end + 1) for r in regions)

        return replace(
            inner,
            text=text,
            prose=" " + inner.prose,
            blocks=shifted(inner.blocks),
            sections=shifted(inner.sections),
            items=shifted(inner.items),
        )
    fmt = format if format is not None else detect_format(path, text)
    if fmt == "markdown":
        prose, blocks, sections, items = _markdown(text, include_quotes, path)
    else:
        chars = list(text)
        _mask_inline(chars, 0, len(text), markdown=False)
        prose = "".join(chars)
        blocks = _text_blocks(text, prose)
        sections, items = (Region(0, len(text)),), blocks
    return Document(
        path, text, prose, fmt, blocks, sections, items, False, _dominant_newline(text)
    )


#: Files larger than this are refused (E904) unless a caller sets another limit:
#: feedback of this size is a data dump, and parsing it would take minutes.
DEFAULT_MAX_BYTES = 10_000_000


def read_document(
    path: str | os.PathLike[str],
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    include_quotes: bool = False,
    display_path: str | None = None,
) -> Document:
    """Read, decode and mask a file, raising InputError that names it on any problem.

    ``display_path`` is the name used in messages and on the Document (the path by
    default); ``max_bytes`` is the size limit (E904). Only regular files are read:
    a FIFO, socket or device is refused (E911) instead of waiting on it for ever.
    """
    real = os.fspath(path)
    name = display_path if display_path is not None else real
    try:
        # Opened without blocking, so that a FIFO with no writer cannot hang the run.
        descriptor = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (FileNotFoundError, NotADirectoryError):
        raise InputError("E906", path=name) from None
    except IsADirectoryError:
        raise InputError("E905", path=name) from None
    except OSError as exc:
        raise InputError("E901", path=name, reason=exc.strerror or str(exc)) from None
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise InputError("E905", path=name)
        if not stat.S_ISREG(mode):
            raise InputError("E911", path=name)
        with open(descriptor, "rb", closefd=False) as handle:
            # Read one byte past the limit rather than trust st_size.
            data = handle.read() if max_bytes is None else handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError("E901", path=name, reason=exc.strerror or str(exc)) from None
    finally:
        os.close(descriptor)
    return from_bytes(data, name, max_bytes, include_quotes, format_path=real)


def from_bytes(
    data: bytes,
    path: str,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    include_quotes: bool = False,
    format_path: str | None = None,
) -> Document:
    """Build a Document from the bytes of a file or of standard input named ``path``.

    The checks are those of any file: the size limit (E904, given at most
    ``max_bytes + 1`` bytes), the encoding (:func:`decode`) and emptiness (E910).
    ``format_path`` picks the format by its suffix (``path`` by default).
    """
    if max_bytes is not None and len(data) > max_bytes:
        raise InputError("E904", path=path, limit=max_bytes)
    text, had_bom = decode(data, path)
    if not text.strip():
        raise InputError("E910", path=path)
    where = format_path if format_path is not None else path
    document = from_text(text, path, detect_format(where, text), include_quotes)
    return replace(document, has_bom=had_bom)


#: How deeply Markdown containers may nest (a list level counts two, a quote one).
#: markdown-it's default of 20 silently dropped a list 12 levels deep; past this
#: limit, which real feedback never reaches, the file is refused (E914).
MAX_NESTING = 100


@cache
def _parser() -> MarkdownIt:
    # Imported here: markdown-it takes tens of milliseconds to import.
    from markdown_it import MarkdownIt

    # Only block structure is used; inline parsing would be most of the time.
    options = {"maxNesting": MAX_NESTING}
    return MarkdownIt("commonmark", options).enable("table").disable("inline")


_Found: TypeAlias = list[tuple[Region, str, int | None]]  # (block, kind, item key), in order


@lru_cache(maxsize=2)
def _tokens(source: str) -> tuple[Token, ...]:
    """markdown-it's block tokens for a text (read only), kept for the last two texts, so
    that detecting the format and masking a text without a file name parse it once."""
    return tuple(_parser().parse(source))


def _markdown(
    text: str, include_quotes: bool, path: str
) -> tuple[str, tuple[Region, ...], tuple[Region, ...], tuple[Region, ...]]:
    """Mask markdown ``text``; return (prose, blocks, sections, items)."""
    lines = [(match.start(), match.end()) for match in _LINE.finditer(text)]
    skip = _front_matter_lines(text, lines)
    # Front matter becomes empty lines, so markdown-it's line numbers still match ours.
    source = "\n".join("" if i < skip else text[s:e] for i, (s, e) in enumerate(lines))
    tokens = _tokens(source)
    # markdown-it drops whatever lies inside a container opened at the deepest level.
    if any(token.type in _CONTAINERS and token.level >= MAX_NESTING - 1 for token in tokens):
        raise InputError("E914", path=path, limit=MAX_NESTING)
    prose = [c if c in "\r\n" else " " for c in text]
    found: _Found = []
    quotes = lists = 0
    item = -1
    item_lines: set[int] = set()
    for index, token in enumerate(tokens):
        kind = _PROSE_BLOCKS.get(token.type)
        if token.type in ("blockquote_open", "blockquote_close"):
            quotes += token.nesting
        elif token.type.endswith(("_list_open", "_list_close")):
            lists += token.nesting
        elif token.type == "list_item_open" and token.map is not None:
            item_lines.add(token.map[0])
            item = index if lists == 1 else item
        if kind is None or token.map is None or (quotes and not include_quotes):
            continue
        first, last = token.map[0], min(token.map[1], len(lines))
        if kind == "h" and token.markup in ("=", "-"):
            last -= 1  # the setext underline is markup
        for number in range(first, last):
            start, end = lines[number]
            line = text[start:end]
            prefix = (_ITEM_PREFIX if number in item_lines else _QUOTE_PREFIX).match(line)
            keep_from, keep_to = prefix.end() if prefix else 0, len(line)
            if kind == "h" and token.markup.startswith("#"):
                keep_from, keep_to = _atx_text(line, keep_from, tokens[index + 1].content)
            prose[start + keep_from : start + keep_to] = line[keep_from:keep_to]
            if kind == "tr":
                for pipe in _TABLE_PIPE.finditer(line, keep_from):
                    prose[start + pipe.start()] = " "
        block_start, block_end = lines[first][0], lines[max(first, last - 1)][1]
        _mask_inline(prose, block_start, block_end, markdown=True)
        region = _trim(prose, block_start, block_end)
        if region is not None:
            # A top-level list item's blocks share its key; a loose paragraph has its own.
            found.append((region, kind, item if lists else index if kind == "p" else None))
    return "".join(prose), *_group(found)


def _group(found: _Found) -> tuple[tuple[Region, ...], tuple[Region, ...], tuple[Region, ...]]:
    """Derive (blocks, sections, items) from the prose blocks, their kinds and item keys."""
    sections: list[Region] = []
    items: dict[int, Region] = {}
    for region, kind, key in found:
        if kind == "h" or not sections:
            sections.append(region)
        else:
            sections[-1] = Region(sections[-1].start, region.end)
        if key is not None:
            items[key] = Region(items[key].start if key in items else region.start, region.end)
    blocks = tuple(region for region, _, _ in found)
    return blocks, tuple(sections), tuple(sorted(items.values(), key=lambda r: r.start))


def _front_matter_lines(text: str, lines: list[tuple[int, int]]) -> int:
    """Return how many leading lines are YAML front matter (0 if there is none)."""
    if text[lines[0][0] : lines[0][1]] == "---":
        for number, (start, end) in enumerate(lines[1:], start=2):
            if text[start:end] in ("---", "..."):
                return number
    return 0


def _atx_text(line: str, start: int, content: str) -> tuple[int, int]:
    """Return where an ATX heading's text is in ``line``, without its ``#`` sequences."""
    after_hashes = len(line) - len(line[start:].lstrip("#"))
    found = line.find(content, after_hashes) if content else -1
    if found < 0:
        return (after_hashes, len(line)) if content else (start, start)
    return found, found + len(content)


def _mask_inline(prose: list[str], start: int, end: int, markdown: bool) -> None:
    """Blank the spans of prose[start:end] that are not words, keeping line breaks."""
    segment = "".join(prose[start:end])
    for a, b in [*_inline_masks(segment, markdown), *symbol_run_tails(segment)]:
        prose[start + a : start + b] = [c if c in "\r\n" else " " for c in segment[a:b]]


def symbol_run_tails(s: str) -> Iterator[tuple[int, int]]:
    """Yield the spans of ``s`` that follow the first ``MAX_SYMBOL_RUN`` characters of each
    longer run of punctuation and symbols ("!!!!", emoji), so that blanking them bounds the
    parser's work on any text while every offset still points into it."""
    for run in _SYMBOL_RUN.finditer(s):
        yield run.start() + MAX_SYMBOL_RUN, run.end()


def _inline_masks(s: str, markdown: bool) -> Iterator[tuple[int, int]]:
    """Yield the spans of ``s`` that are not prose: URLs, HTML comments and, in markdown,
    code spans, autolinks and link destinations."""
    pattern = _MARKDOWN_INLINE if markdown else _TEXT_INLINE
    # Found once, so that many unclosed openers cannot make the scan quadratic.
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
    while end > start and (
        s[end - 1] in _URL_TRAILING
        or (s[end - 1] == ")" and s.count(")", start, end) > s.count("(", start, end))
    ):
        end -= 1
    return end


def _trim(prose: list[str] | str, start: int, end: int) -> Region | None:
    """Shrink [start, end) to its first and last non-space characters; None if all space."""
    while start < end and prose[start].isspace():
        start += 1
    while end > start and prose[end - 1].isspace():
        end -= 1
    return Region(start, end) if start < end else None


def _text_blocks(text: str, prose: str) -> tuple[Region, ...]:
    """Split plain text into paragraphs at the blank lines of the original text."""
    blocks: list[Region] = []
    start: int | None = None
    for line in [*_LINE.finditer(text), None]:
        blank = line is None or not line.group().strip()
        if blank and start is not None:
            region = _trim(prose, start, line.start() if line else len(text))
            blocks += [region] if region else []
            start = None
        elif not blank and start is None and line is not None:
            start = line.start()
    return tuple(blocks)


def _dominant_newline(text: str) -> str:
    crlf = text.count("\r\n")
    counts = {"\n": text.count("\n") - crlf, "\r\n": crlf, "\r": text.count("\r") - crlf}
    return max(counts, key=counts.__getitem__)  # a tie keeps the first, "\n"
