"""A progress line on standard error for long runs, drawn only on a terminal."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO


class Progress:
    """Counts finished files and redraws one status line, at most every ``interval`` seconds.

    Nothing is written unless ``stream`` is a terminal, there is more than one
    file, and the run has lasted ``delay`` seconds: short runs stay silent. The
    line is erased by :meth:`close`, before the results are printed.
    """

    def __init__(
        self,
        total: int,
        stream: TextIO,
        *,
        delay: float = 0.5,
        interval: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total = total
        self.stream = stream
        self.enabled = total > 1 and _isatty(stream)
        self.delay = delay
        self.interval = interval
        self.clock = clock
        self.started = clock()
        self.done = 0
        self._drawn_at: float | None = None

    def advance(self, path: str) -> None:
        """Record one finished file and redraw the line when it is due."""
        self.done += 1
        if not self.enabled:
            return
        now = self.clock()
        if now - self.started < self.delay:
            return
        if self._drawn_at is not None and now - self._drawn_at < self.interval:
            return
        self._drawn_at = now
        width = len(str(self.total))
        status = f"feedback-lint: [{self.done:>{width}}/{self.total}] {path}"
        self.stream.write("\r\033[K" + status[:120])
        self.stream.flush()

    def close(self) -> None:
        """Erase the line, if one was drawn."""
        if self._drawn_at is not None:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self._drawn_at = None


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
