"""File names as every format prints them.

A file name that is not valid UTF-8 reaches Python with its odd bytes as lone
surrogates (PEP 383), which no UTF-8 output can hold: printed as is, they crash
the output or make a JSON document invalid. They are shown as escapes instead.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote

_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    # U+DC80..U+DCFF stand for the undecodable bytes 0x80..0xFF of a file name.
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def printable(path: str) -> str:
    """``path`` with each byte that is not UTF-8 shown as ``\\xNN`` (other lone
    surrogates as ``\\uNNNN``), so that it can be written as UTF-8."""
    return _SURROGATE.sub(_escape, path)


def uri(path: str) -> str:
    """A file's path as a URI reference: relative paths stay relative, with '/' separators.

    The file name's own bytes are percent-encoded, so that the URI names the file
    even where its name is not UTF-8.
    """
    if os.path.isabs(path):
        return Path(path).as_uri()
    return quote(os.fsencode(Path(path).as_posix()), safe="/")
