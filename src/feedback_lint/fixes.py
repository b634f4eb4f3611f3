"""Apply safe suggestions to files: ``--diff`` shows them, ``--fix`` writes them.

Only ``safe`` suggestions are applied, each finding's first one, all of its
edits or none, and never one that overlaps an edit already taken. The text is
linted again after each round and fixed until nothing changes (at most
:data:`MAX_ROUNDS` rounds), so a second ``--fix`` finds nothing to do.

A file is written atomically: the new bytes go to a temporary file in the same
folder, which takes the original's permissions and then replaces it with
:func:`os.replace`. The text keeps its own line breaks, and a UTF-8 byte-order
mark is written back when the file had one. A file whose bytes changed since
it was read is refused (E907), and a failed write leaves the original intact
and no temporary file behind (E908).
"""

from __future__ import annotations

import contextlib
import difflib
import os
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass

from .errors import InputError
from .findings import Applicability, Edit, Report, apply_edits

#: How many times a text is fixed and linted again before giving up on a fixed point.
MAX_ROUNDS = 10

_BOM = b"\xef\xbb\xbf"


def _overlaps(edit: Edit, taken: list[Edit]) -> bool:
    for other in taken:
        if edit.start < other.end and other.start < edit.end:
            return True
        # Two insertions at one place, or an insertion at a replaced span's edge, conflict.
        if edit.start == other.start and (edit.start == edit.end or other.start == other.end):
            return True
    return False


def safe_edits(report: Report) -> tuple[list[Edit], int]:
    """The edits to apply to ``report.text`` and how many findings they fix."""
    taken: list[Edit] = []
    fixed = 0
    for finding in report.findings:
        suggestion = next(
            (s for s in finding.suggestions if s.applicability is Applicability.SAFE), None
        )
        if suggestion is None or not suggestion.edits:
            continue
        edits = list(suggestion.edits)
        if any(_overlaps(e, taken) for e in edits) or any(
            _overlaps(e, edits[:i]) for i, e in enumerate(edits)
        ):
            continue
        taken.extend(edits)
        fixed += 1
    return taken, fixed


@dataclass(frozen=True)
class Fixed:
    """A text after fixing: the new text, its report, and how many findings were fixed."""

    text: str
    report: Report
    count: int


def fix_report(report: Report, relint: Callable[[str], Report]) -> Fixed:
    """Apply safe edits to ``report.text`` round after round, linting again with ``relint``."""
    current, count = report, 0
    for _ in range(MAX_ROUNDS):
        edits, fixed = safe_edits(current)
        if not edits:
            break
        text = apply_edits(current.text, edits)
        if text == current.text:
            break
        count += fixed
        current = relint(text)
    return Fixed(current.text, current, count)


def unified_diff(path: str, before: str, after: str) -> str:
    """A unified diff of one file's fix, empty when nothing changes."""
    if before == after:
        return ""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    out: list[str] = []
    for line in lines:
        if line.endswith(("\n", "\r")):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def encode(text: str, has_bom: bool) -> bytes:
    """A text as the bytes of its file: UTF-8, with the byte-order mark it was read with."""
    return (_BOM if has_bom else b"") + text.encode("utf-8")


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise InputError("E908", path=path, reason=exc.strerror or str(exc)) from None


def write_fixed(path: str, original: str, fixed: str, has_bom: bool) -> None:
    """Replace the file at ``path``, read as ``original``, by ``fixed``, atomically.

    Raises InputError E907 when the file no longer holds ``original`` and E908
    when it cannot be written; the file is unchanged in both cases.
    """
    real = os.path.realpath(path)  # write through a symbolic link, not over it
    expected = encode(original, has_bom)
    if _read(real) != expected:
        raise InputError("E907", path=path)
    folder, name = os.path.split(real)
    temporary: str | None = None
    try:
        mode = stat.S_IMODE(os.stat(real).st_mode)
        descriptor, temporary = tempfile.mkstemp(
            dir=folder or ".", prefix=f".{name}.", suffix=".tmp"
        )
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(encode(fixed, has_bom))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        if _read(real) != expected:  # changed while the new text was being written
            raise InputError("E907", path=path)
        os.replace(temporary, real)
        temporary = None
    except OSError as exc:
        raise InputError("E908", path=path, reason=exc.strerror or str(exc)) from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
