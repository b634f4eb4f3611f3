"""``--statistics``: how many findings (and input errors) of each code, as flake8 prints them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..errors import FeedbackLintError
from ..findings import Report

if TYPE_CHECKING:
    from . import Context


def format(reports: Sequence[Report], errors: Sequence[FeedbackLintError], context: Context) -> str:
    """One line a code, in code order: the count, the code and the rule's name."""
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    for report in reports:
        for finding in report.findings:
            counts[finding.code] += 1
            names.setdefault(finding.code, finding.name)
    for error in errors:
        counts[error.code] += 1
        names.setdefault(error.code, error.detail)
    return "".join(f"{counts[code]:<5} {code} {names[code]}\n" for code in sorted(counts))
