"""Tests for feedback_lint.documents: decoding, format detection, masking and regions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedback_lint.documents import (
    Document,
    Format,
    Region,
    decode,
    detect_format,
    from_text,
    read_document,
)
from feedback_lint.errors import InputError


def masked(document: Document, fragment: str, occurrence: int = 0) -> bool:
    """True if ``fragment`` (the n-th occurrence in text) is all spaces and line breaks in prose."""
    start = -1
    for _ in range(occurrence + 1):
        start = document.text.index(fragment, start + 1)
    return all(c in " \r\n" for c in document.prose[start : start + len(fragment)])


def kept(document: Document, fragment: str) -> bool:
    """True if ``fragment`` (its last occurrence) is unchanged in prose at the same place."""
    start = document.text.rindex(fragment)
    return document.prose[start : start + len(fragment)] == fragment


def texts(document: Document, regions: tuple[Region, ...]) -> list[str]:
    return [document.text[r.start : r.end] for r in regions]


def test_documents_import_does_not_load_spacy() -> None:
    code = "import sys, feedback_lint.documents; print('spacy' in sys.modules)"
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert result.stdout.strip() == "False"


# Decoding


@pytest.mark.parametrize(
    ("data", "text", "bom"),
    [
        (b"plain", "plain", False),
        ("caf\u00e9 \u2014 ok".encode(), "caf\u00e9 \u2014 ok", False),
        (b"\xef\xbb\xbfwith bom", "with bom", True),
        (b"", "", False),
    ],
)
def test_documents_decode_utf8(data: bytes, text: str, bom: bool) -> None:
    assert decode(data, "f.md") == (text, bom)


@pytest.mark.parametrize(
    ("data", "byte", "line"),
    [
        (b"ok\nfine\nbad \xff here", 0xFF, 3),
        (b"\xc3", 0xC3, 1),
        (b"a\r\nb\rc\n\xe9", 0xE9, 4),
        (b"\xef\xbb\xbfone\ntwo \x80", 0x80, 2),
    ],
)
def test_documents_decode_invalid_byte_names_byte_and_line(
    data: bytes, byte: int, line: int
) -> None:
    with pytest.raises(InputError) as caught:
        decode(data, "notes/review.md")
    error = caught.value
    assert error.code == "E902"
    assert error.line == line
    assert f"0x{byte:02x}" in str(error)
    assert f"line {line}" in str(error)
    assert "notes/review.md" in str(error)


def test_documents_decode_nul_is_binary() -> None:
    with pytest.raises(InputError) as caught:
        decode(b"PK\x03\x04\x00\x00", "archive.md")
    assert caught.value.code == "E903"
    assert "archive.md" in str(caught.value)


# Format detection


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        ("review.md", "plain words", "markdown"),
        ("REVIEW.MARKDOWN", "plain words", "markdown"),
        ("a.mdown", "", "markdown"),
        ("a.mkd", "", "markdown"),
        ("notes.txt", "# Heading\n\n- list", "text"),
        ("notes.text", "- list", "text"),
        (None, "# Heading\n\nWords.", "markdown"),
        ("<stdin>", "- one\n- two\n", "markdown"),
        ("<stdin>", "1. one\n2. two\n", "markdown"),
        ("<string>", "```\ncode\n```\n", "markdown"),
        ("review.rst", "Title\n=====\n", "markdown"),
        (None, "Just a paragraph of feedback.\n\nAnd another one.", "text"),
        ("<stdin>", "", "text"),
        ("feedback", "No structure here, only a sentence.", "text"),
    ],
)
def test_documents_detect_format(path: str | None, text: str, expected: Format) -> None:
    assert detect_format(path, text) == expected


def test_documents_from_text_keeps_a_leading_bom_masked() -> None:
    document = from_text("\ufeff# Title\n\nText.\n")
    assert document.format == "markdown"
    assert not document.has_bom
    assert document.text == "\ufeff# Title\n\nText.\n"
    assert document.prose.startswith(" ") and len(document.prose) == len(document.text)
    assert [document.text[b.start : b.end] for b in document.blocks] == ["Title", "Text."]
    assert document.position(1) == (1, 2)
    assert document.path == "<string>"


# Masking


MARKDOWN_MASKS = [
    ("Use `print(x)` here, you always do.", ["`print(x)`"], ["Use ", " here, you always do."]),
    ("Keep ``a ` b`` and go.", ["``a ` b``"], ["Keep ", " and go."]),
    ("An unclosed ` tick stays.", [], ["An unclosed ` tick stays."]),
    ("Runs differ: ``a` stays.", [], ["Runs differ: ``a` stays."]),
    ("Escaped \\`not code` here.", [], ["Escaped \\`not code` here."]),
    ("Escaped \\``odd` here.", ["`odd`"], ["Escaped \\`", " here."]),
    ("Only \\`` escaped.", [], ["Only \\`` escaped."]),
    ("Hidden <!-- ignore this --> text.", ["<!-- ignore this -->"], ["Hidden ", " text."]),
    ("See <https://example.com/x> now.", ["<https://example.com/x>"], ["See ", " now."]),
    ("Mail <me@example.com> now.", ["<me@example.com>"], ["Mail ", " now."]),
    ("Visit https://example.com/a?b=c, then.", ["https://example.com/a?b=c"], [", then."]),
    ("Visit www.example.org.", ["www.example.org"], ["Visit ", "."]),
    ("(see http://x.org/a_(b))", ["http://x.org/a_(b)"], ["(see ", ")"]),
    (
        'Read [the guide](https://x.org/g "Title") first.',
        ['(https://x.org/g "Title")'],
        ["Read [the guide]", " first."],
    ),
    ("Read [it](a(b)c) too.", ["(a(b)c)"], ["Read [it]", " too."]),
]


@pytest.mark.parametrize(("source", "hidden", "visible"), MARKDOWN_MASKS)
def test_documents_markdown_inline_masking(
    source: str, hidden: list[str], visible: list[str]
) -> None:
    document = from_text(source, format="markdown")
    assert len(document.prose) == len(document.text)
    for fragment in hidden:
        assert masked(document, fragment), fragment
    for fragment in visible:
        assert kept(document, fragment), fragment


@pytest.mark.parametrize(
    ("source", "hidden", "visible"),
    [
        ("```python\nyou always\n```\nAfter.", ["```python", "you always", "```"], ["After."]),
        ("~~~\nyou always\n~~~\n", ["you always"], []),
        ("Before.\n\n    you always\n\nAfter.", ["you always"], ["Before.", "After."]),
        ("<div>\nyou always\n</div>\n\nAfter.", ["<div>", "you always", "</div>"], ["After."]),
        ("<!--\nyou always\n-->\nAfter.", ["you always", "-->"], ["After."]),
        ("---\ntitle: you always\n---\nBody.", ["title: you always"], ["Body."]),
        ("---\ntitle: x\n...\nBody.", ["title: x", "..."], ["Body."]),
        ("> you always\n> do this\n\nMine.", ["you always", "do this"], ["Mine."]),
        ("- > you always\n- mine", ["you always"], ["mine"]),
        ("Wrapped <!-- a\nb --> text.", ["<!-- a\nb -->"], ["Wrapped ", " text."]),
    ],
)
def test_documents_markdown_block_masking(
    source: str, hidden: list[str], visible: list[str]
) -> None:
    document = from_text(source, format="markdown")
    assert len(document.prose) == len(document.text)
    assert document.prose.count("\n") == document.text.count("\n")
    for fragment in hidden:
        assert masked(document, fragment), fragment
    for fragment in visible:
        assert kept(document, fragment), fragment


def test_documents_fenced_you_always_is_masked() -> None:
    document = from_text("Fine prose.\n\n```\nyou always break it\n```\n", format="markdown")
    assert "you always" not in document.prose
    assert "Fine prose." in document.prose


@pytest.mark.parametrize(
    ("source", "hidden", "visible"),
    [
        ("# Title", ["#"], ["Title"]),
        ("## Title ##", ["##", " ##"], ["Title"]),
        ("- bullet", ["-"], ["bullet"]),
        ("* star\n+ plus", ["*", "+"], ["star", "plus"]),
        ("1. first\n2) second", ["1.", "2)"], ["first", "second"]),
        ("- - nested", ["- -"], ["nested"]),
        ("Title\n=====", ["====="], ["Title"]),
        ("A\n\n---\n\nB", ["---"], ["A", "B"]),
    ],
)
def test_documents_markdown_markup_masking(
    source: str, hidden: list[str], visible: list[str]
) -> None:
    document = from_text(source, format="markdown")
    for fragment in hidden:
        assert masked(document, fragment), fragment
    for fragment in visible:
        assert kept(document, fragment), fragment


def test_documents_table_pipes_are_masked_per_row() -> None:
    document = from_text("| a | b |\n|---|---|\n| c \\| d | e |\n", format="markdown")
    assert document.prose.split("\n") == ["  a   b  ", " " * 9, "  c \\| d   e  ", ""]
    assert texts(document, document.blocks) == ["a | b", "c \\| d | e"]


def test_documents_include_quotes_keeps_quoted_words() -> None:
    document = from_text("> you always\n> do this\n", format="markdown", include_quotes=True)
    assert kept(document, "you always")
    assert kept(document, "do this")
    assert masked(document, ">")
    assert masked(document, ">", occurrence=1)
    assert texts(document, document.blocks) == ["you always\n> do this"]


@pytest.mark.parametrize(
    ("source", "hidden", "visible"),
    [
        ("See https://x.org/a. Then stop.", ["https://x.org/a"], ["See ", ". Then stop."]),
        ("Go www.x.org now", ["www.x.org"], ["Go ", " now"]),
        ("One <!-- noqa --> two", ["<!-- noqa -->"], ["One ", " two"]),
        ("Over <!-- a\n\nb --> lines", ["<!-- a\n\nb -->"], ["Over ", " lines"]),
        ("# Not a heading `code`", [], ["# Not a heading `code`"]),
        ("- not a list [a](b)", [], ["- not a list [a](b)"]),
    ],
)
def test_documents_text_masking(source: str, hidden: list[str], visible: list[str]) -> None:
    document = from_text(source, format="text")
    assert len(document.prose) == len(document.text)
    for fragment in hidden:
        assert masked(document, fragment), fragment
    for fragment in visible:
        assert kept(document, fragment), fragment


# Regions

SAMPLE = """\
Opening words
over two lines.

# Strengths

- Clear names.
- Good tests,
  well organised.

  A second paragraph.
  - nested point

## Problems

A loose paragraph.

| Area | Note |
|------|------|
| API  | slow |

```
code you always
```
"""


def test_documents_markdown_blocks() -> None:
    document = from_text(SAMPLE, "review.md")
    assert texts(document, document.blocks) == [
        "Opening words\nover two lines.",
        "Strengths",
        "Clear names.",
        "Good tests,\n  well organised.",
        "A second paragraph.",
        "nested point",
        "Problems",
        "A loose paragraph.",
        "Area | Note",
        "API  | slow",
    ]


def test_documents_markdown_sections() -> None:
    document = from_text(SAMPLE, "review.md")
    assert texts(document, document.sections) == [
        "Opening words\nover two lines.",
        SAMPLE[SAMPLE.index("Strengths") : SAMPLE.index("nested point") + len("nested point")],
        SAMPLE[SAMPLE.index("Problems") : SAMPLE.index("slow") + len("slow")],
    ]


def test_documents_markdown_sections_without_preamble() -> None:
    document = from_text("# One\n\nA.\n\n# Two\n", format="markdown")
    assert texts(document, document.sections) == ["One\n\nA.", "Two"]


def test_documents_markdown_items() -> None:
    document = from_text(SAMPLE, "review.md")
    assert texts(document, document.items) == [
        "Opening words\nover two lines.",
        "Clear names.",
        SAMPLE[SAMPLE.index("Good tests") : SAMPLE.index("nested point") + len("nested point")],
        "A loose paragraph.",
    ]


def test_documents_text_regions() -> None:
    source = "First paragraph\nwraps.\n\n  \n<!-- only a comment -->\n\nSecond one.\n"
    document = from_text(source, "notes.txt")
    assert document.format == "text"
    assert texts(document, document.blocks) == ["First paragraph\nwraps.", "Second one."]
    assert document.items == document.blocks
    assert document.sections == (Region(0, len(source)),)


def test_documents_parse_text_joins_lines() -> None:
    document = from_text("One line\r\nand the next.\n", format="text")
    block = document.blocks[0]
    joined = document.parse_text(block)
    assert joined == "One line  and the next."
    assert len(joined) == block.end - block.start


# Newlines and positions


def test_documents_crlf_offsets_point_into_original() -> None:
    source = "# Title\r\n\r\nYou always `x` this.\r\n- item\r\n"
    document = from_text(source, format="markdown")
    assert document.newline == "\r\n"
    assert document.text == source
    assert texts(document, document.blocks) == ["Title", "You always `x` this.", "item"]
    assert masked(document, "`x`")
    for index, char in enumerate(source):
        if char in "\r\n":
            assert document.prose[index] == char
    start = source.index("You")
    assert document.position(start) == (3, 1)


@pytest.mark.parametrize(
    ("source", "newline"),
    [("a\nb\n", "\n"), ("a\r\nb\r\nc\n", "\r\n"), ("a\rb\r", "\r"), ("none", "\n"), ("", "\n")],
)
def test_documents_dominant_newline(source: str, newline: str) -> None:
    assert from_text(source, format="text").newline == newline


@pytest.mark.parametrize(
    ("source", "offset", "expected"),
    [
        ("ab\ncd\nefg", 0, (1, 1)),
        ("ab\ncd\nefg", 7, (3, 2)),
        ("ab\ncd\nefg", 9, (3, 4)),
        ("ab\r\ncd\r\nefg", 9, (3, 2)),
        ("ab\r\ncd", 2, (1, 3)),
        ("ab\r\ncd", 3, (1, 4)),
        ("a\rb", 2, (2, 1)),
        ("x\n", 2, (2, 1)),
        ("", 0, (1, 1)),
        ("caf\u00e9 \u2014 z", 6, (1, 7)),
    ],
)
def test_documents_position(source: str, offset: int, expected: tuple[int, int]) -> None:
    assert from_text(source, format="text").position(offset) == expected


@pytest.mark.parametrize("offset", [-1, 4])
def test_documents_position_out_of_range(offset: int) -> None:
    with pytest.raises(ValueError):
        from_text("abc", format="text").position(offset)


# Reading files


def test_documents_read_document(tmp_path: Path) -> None:
    path = tmp_path / "review.md"
    path.write_bytes(b"\xef\xbb\xbf# Title\r\n\r\nBody `x`.\r\n")
    document = read_document(path)
    assert document.path == str(path)
    assert document.has_bom
    assert document.format == "markdown"
    assert document.newline == "\r\n"
    assert texts(document, document.blocks) == ["Title", "Body `x`."]
    shown = read_document(path, display_path="shown.md")
    assert shown.path == "shown.md"


def test_documents_read_document_text_by_suffix(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("# not a heading\n", encoding="utf-8")
    assert read_document(path).format == "text"


def read_error(path: Path, max_bytes: int | None = None) -> InputError:
    with pytest.raises(InputError) as caught:
        read_document(path, max_bytes=max_bytes)
    assert str(path) in str(caught.value)
    return caught.value


def test_documents_read_document_missing(tmp_path: Path) -> None:
    assert read_error(tmp_path / "absent.md").code == "E906"


def test_documents_read_document_directory(tmp_path: Path) -> None:
    assert read_error(tmp_path).code == "E905"


def test_documents_read_document_binary(tmp_path: Path) -> None:
    path = tmp_path / "image.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert read_error(path).code == "E903"


def test_documents_read_document_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.md"
    path.write_bytes(b"one\ncaf\xe9\n")
    error = read_error(path)
    assert (error.code, error.line) == ("E902", 2)


@pytest.mark.parametrize(("size", "limit", "ok"), [(10, 10, True), (11, 10, False)])
def test_documents_read_document_too_large(tmp_path: Path, size: int, limit: int, ok: bool) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * size)
    if ok:
        assert read_document(path, max_bytes=limit).text == "a" * size
    else:
        error = read_error(path, max_bytes=limit)
        assert error.code == "E904"
        assert str(limit) in str(error)


@pytest.mark.skipif(
    sys.platform == "win32" or (hasattr(os, "geteuid") and os.geteuid() == 0),
    reason="permissions are not enforced",
)
def test_documents_read_document_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "secret.md"
    path.write_text("x", encoding="utf-8")
    path.chmod(0)
    try:
        error = read_error(path)
    finally:
        path.chmod(0o600)
    assert error.code == "E901"
    assert "ermission" in str(error)


# Properties

FORMATS: list[Format | None] = ["markdown", "text", None]
MARKDOWNISH = st.lists(
    st.sampled_from([*"ab \n\r\t#-*+>`|[]()<!:/.1w\\~=", "http://", "<!--", "-->", "    "]),
    max_size=60,
).map("".join)


def check_invariants(text: str, fmt: Format | None, include_quotes: bool) -> None:
    document = from_text(text, format=fmt, include_quotes=include_quotes)
    source, prose = document.text, document.prose
    assert len(prose) == len(source)
    for index, char in enumerate(source):
        if char in "\r\n":
            assert prose[index] == char
    for index, char in enumerate(prose):
        if char != " ":
            assert char == source[index]
    for regions in (document.blocks, document.items, document.sections):
        previous_end = 0
        for region in regions:
            assert previous_end <= region.start <= region.end <= len(source)
            previous_end = region.end
    for block in document.blocks:
        assert block.start < block.end
        assert not prose[block.start].isspace() and not prose[block.end - 1].isspace()
        assert len(document.parse_text(block)) == block.end - block.start
    document.position(len(source))


@given(st.text(), st.sampled_from(FORMATS), st.booleans())
def test_documents_property_arbitrary_text(text: str, fmt: Format | None, quotes: bool) -> None:
    check_invariants(text, fmt, quotes)


@given(MARKDOWNISH, st.sampled_from(FORMATS), st.booleans())
def test_documents_property_markdownish_text(text: str, fmt: Format | None, quotes: bool) -> None:
    check_invariants(text, fmt, quotes)
