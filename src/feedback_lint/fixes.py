"""Apply safe suggestions to files: ``--diff`` shows them, ``--fix`` writes them.

Only ``safe`` suggestions are applied, each finding's first one, all of its
edits or none, and never one that overlaps an edit already taken. The text is
linted again after each round and fixed until nothing changes (at most
:data:`MAX_ROUNDS` rounds), so a second ``--fix`` finds nothing to do; a rule
whose fix does not converge is not applied at all (see :func:`fix_report`).

A file is written atomically: the new bytes go to a temporary file in the same
folder, which takes the original's permissions, owner and group and then
replaces it with :func:`os.replace`. A read-only or hard-linked file is
refused (E908). The text keeps its own line breaks, and a UTF-8 byte-order
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
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import InputError
from .findings import Applicability, Edit, Report, apply_edits, choose_edits

if TYPE_CHECKING:
    from .documents import Document

#: How many times a text is fixed and linted again before giving up on a fixed point.
MAX_ROUNDS = 10

_BOM = b"\xef\xbb\xbf"


def safe_edits(report: Report, skip: Collection[str] = ()) -> tuple[list[Edit], int]:
    """The edits to apply to ``report.text`` and how many findings they fix.

    Findings whose code is in ``skip`` are left alone (the policy is
    :func:`~feedback_lint.findings.choose_edits`).
    """
    edits, codes = choose_edits(report.findings, skip=skip)
    return list(edits), len(codes)


def _fixable(report: Report, code: str) -> int:
    """How many of the report's findings of ``code`` have a safe suggestion with edits."""
    return sum(
        1
        for finding in report.findings
        if finding.code == code
        and any(s.applicability is Applicability.SAFE and s.edits for s in finding.suggestions)
    )


@dataclass(frozen=True)
class Fixed:
    """A text after fixing: the new text, its report, and how many findings were fixed.

    ``unconverged`` names the rules whose safe fix was not applied because it
    does not converge: the fixed text holds as many of its findings as before
    (it finds what it wrote) or returns to an earlier text.
    """

    text: str
    report: Report
    count: int
    unconverged: tuple[str, ...] = ()


def fix_report(report: Report, relint: Callable[[str], Report]) -> Fixed:
    """Apply safe edits to ``report.text`` round after round, linting again with ``relint``.

    A round whose fix of some rule does not reduce that rule's fixable findings
    (or brings back an earlier text) is undone and tried again without that
    rule, so that a rule which never converges cannot grow a file on every run.
    """
    current, count = report, 0
    unconverged: set[str] = set()
    seen = {report.text}
    for _ in range(MAX_ROUNDS):
        edits, codes = choose_edits(current.findings, skip=unconverged)
        if not edits:
            break
        text = apply_edits(current.text, edits)
        if text == current.text:
            break
        again = relint(text)
        stuck = {code for code in codes if _fixable(again, code) >= _fixable(current, code)}
        if text in seen:
            stuck |= set(codes)
        if stuck:
            unconverged |= stuck
            continue
        seen.add(text)
        count += len(codes)
        current = again
    return Fixed(current.text, current, count, tuple(sorted(unconverged)))


@dataclass
class Outcome:
    """What ``--fix`` or ``--diff`` did to a run's reports.

    ``reports`` are those of the fixed texts (with ``--fix``; the originals with
    ``--diff``), ``errors`` the files that could not be fixed or whose fix does not
    converge, ``diff`` the unified diffs (with ``--diff``), ``count`` the findings
    fixed and ``changed`` whether any text changes.
    """

    reports: list[Report]
    errors: list[InputError] = field(default_factory=list)
    diff: str = ""
    count: int = 0
    changed: bool = False


def fix_documents(
    reports: Sequence[Report],
    documents: Sequence[Document],
    relint: Callable[[str, Document], Report],
    *,
    write: bool,
    unwritten: str | None = None,
) -> Outcome:
    """Fix each document's report (see :func:`fix_report`), linting again with ``relint``.

    With ``write`` the fixed texts are written to their files (see
    :func:`write_fixed`), except the document at the path ``unwritten`` (standard
    input), whose fixed report is kept without writing; without ``write`` the
    diffs are collected and nothing is written.
    """
    outcome = Outcome(list(reports))
    diffs: list[str] = []
    for index, (report, document) in enumerate(zip(reports, documents, strict=True)):

        def again(text: str, document: Document = document) -> Report:
            return relint(text, document)

        result = fix_report(report, again)
        if result.unconverged:
            outcome.errors.append(
                InputError("E913", path=report.path, codes=", ".join(result.unconverged))
            )
        if result.text == report.text:
            continue
        outcome.changed = True
        if not write:
            diffs.append(unified_diff(report.path, report.text, result.text))
            continue
        if document.path != unwritten:
            try:
                write_fixed(document.path, report.text, result.text, document.has_bom)
            except InputError as error:
                outcome.errors.append(error)
                continue
        outcome.reports[index] = result.report
        outcome.count += result.count
    outcome.diff = "".join(diffs)
    return outcome


def no_safe_fixes(reports: Sequence[Report]) -> str:
    """What ``--fix`` and ``--diff`` say when no finding has a safe fix: empty for a clean
    run, else one line, so that a hook that changes nothing never looks like success."""
    remaining = sum(len(report.findings) for report in reports)
    if not remaining:
        return ""
    plural = "" if remaining == 1 else "s"
    return (
        f"feedback-lint: no safe fixes; {remaining} finding{plural} left to rewrite by hand "
        "(--format json shows each suggested rewrite)\n"
    )


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


def _check_writable(path: str, real: str, status: os.stat_result) -> None:
    """Refuse (E908) a file that ``--fix`` must not replace: read-only, or hard-linked.

    A file without write permission is read-only even for root, as editors
    treat it; replacing a file with other hard links would leave them holding
    the old text.
    """
    writable = stat.S_IMODE(status.st_mode) & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    if not writable or not os.access(real, os.W_OK):
        raise InputError("E908", path=path, reason="the file is read-only")
    if status.st_nlink > 1:
        others = status.st_nlink - 1
        reason = f"the file has {others} other hard link(s), which would keep the old text"
        raise InputError("E908", path=path, reason=reason)


def write_fixed(path: str, original: str, fixed: str, has_bom: bool) -> None:
    """Replace the file at ``path``, read as ``original``, by ``fixed``, atomically.

    Raises InputError E907 when the file no longer holds ``original`` and E908
    when it cannot be written, is read-only or has other hard links; the file
    is unchanged in each case. The new file keeps the old one's permissions and,
    where the user may set them, its owner and group.
    """
    real = os.path.realpath(path)  # write through a symbolic link, not over it
    expected = encode(original, has_bom)
    if _read(real) != expected:
        raise InputError("E907", path=path)
    folder, name = os.path.split(real)
    temporary: str | None = None
    try:
        status = os.stat(real)
        _check_writable(path, real, status)
        mode = stat.S_IMODE(status.st_mode)
        descriptor, temporary = tempfile.mkstemp(
            dir=folder or ".", prefix=f".{name}.", suffix=".tmp"
        )
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(encode(fixed, has_bom))
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):  # only the owner or root may give a file away
            os.chown(temporary, status.st_uid, status.st_gid)
        os.chmod(temporary, mode)  # after chown, which may clear set-id bits
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
