"""The speed-up against a previous version, both measured in the same run, interleaved.

    python benchmarks/versions.py REF [REF ...]    # each git REF against this working tree
    python benchmarks/versions.py REF --quick      # a smaller corpus, for a smoke run
    python benchmarks/versions.py REF --start-up   # only the start-up of the fast commands
    python benchmarks/versions.py REF --same-rules # every version with this tree's rules/
    python benchmarks/run.py --against REF         # the same, after run.py's own figures

Each REF's ``src/`` and ``rules/`` are taken with ``git archive`` into a temporary
folder and run with ``PYTHONPATH`` pointing there, on the dependencies installed
here: nothing is downloaded, and every version lints with the rules it shipped
(with ``--same-rules``, with the working tree's ``rules/``, to tell the engine's
speed from the rules' growth; a version that cannot read them is reported).
The working tree (``src/`` and ``rules/`` as they are now) is the new version.

Every version runs in a worker process of its own that loads its linter once; the
workers are asked in turn for each measurement, round after round (best of three
for ``lint_many`` and the median latency), so that no two run at once and a busy
moment on a shared machine falls on all of them alike. The workers measure with
this folder's code (run.py, timing.py), whatever the version.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parent
#: Replies of a worker start with this, so that anything else it prints is ignored.
REPLY = "@@ "


@dataclass
class Version:
    """One version of the package: its label, its ``src/`` folder and its worker."""

    label: str
    src: Path
    env: dict[str, str]
    process: subprocess.Popen[str] | None = None
    figures: dict[str, float] = field(default_factory=dict)

    def ask(self, request: str, **options: Any) -> Any:
        """Send one request to the worker and return its reply."""
        assert self.process is not None and self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps({"do": request, **options}) + "\n")
        self.process.stdin.flush()
        for line in self.process.stdout:
            if line.startswith(REPLY):
                reply = json.loads(line[len(REPLY) :])
                if "error" in reply:
                    raise RuntimeError(f"{self.label}: {reply['error']}")
                return reply["value"]
        raise RuntimeError(f"{self.label}: the worker stopped (exit {self.process.wait()})")


def _extract(ref: str, into: Path, same_rules: bool = False) -> Path:
    """``src/`` and ``rules/`` of git ``ref`` in ``into`` (with ``same_rules``, a copy of the
    working tree's ``rules/`` instead); returns the ``src`` folder."""
    parts = ["src"] if same_rules else ["src", "rules"]
    archive = subprocess.run(
        ["git", "-C", str(REPOSITORY), "archive", "--format=tar", ref, *parts],
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        reason = archive.stderr.decode(errors="replace").strip().splitlines()
        raise RuntimeError(f"{ref}: git archive failed: {reason[-1] if reason else 'no output'}")
    into.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.10.12 and later
            tar.extractall(into, filter="data")
        else:  # the archive is git's own, of this repository
            tar.extractall(into)
    if same_rules:
        shutil.copytree(REPOSITORY / "rules", into / "rules")
    return into / "src"


def _environment(src: Path, cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(src), str(HERE)])
    # Each version keeps its parsed rule files apart: another version may store them differently.
    env["FEEDBACK_LINT_RULES_CACHE"] = str(cache)
    return env


@contextmanager
def versions(
    refs: Sequence[str], documents: int, workers: bool = True, same_rules: bool = False
) -> Iterator[list[Version]]:
    """Each of ``refs`` and the working tree (last), with workers ready to measure."""
    with tempfile.TemporaryDirectory(prefix="feedback-lint-versions-") as folder:
        root = Path(folder)
        found = []
        for number, ref in enumerate(refs):
            src = _extract(ref, root / f"v{number}", same_rules)
            found.append(Version(ref, src, _environment(src, root / f"cache{number}")))
        here = REPOSITORY / "src"
        found.append(Version("this tree", here, _environment(here, root / "cache")))
        try:
            for version in found if workers else ():
                version.process = subprocess.Popen(
                    [sys.executable, str(Path(__file__).resolve()), "--worker"],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                    env=version.env,
                )
                where = Path(version.ask("load", documents=documents))
                if version.src.resolve() not in where.resolve().parents:
                    raise RuntimeError(f"{version.label}: imported {where}, not {version.src}")
            yield found
        finally:
            for version in found:
                if version.process is not None:
                    version.process.kill()
                    version.process.wait()


def compare(
    refs: Sequence[str],
    documents: int,
    rounds: int = 3,
    quick: bool = False,
    start_up_only: bool = False,
    same_rules: bool = False,
) -> str:
    """Measure every version interleaved and return the table of figures and speed-ups."""
    import run

    if start_up_only:
        with versions(refs, documents, workers=False, same_rules=same_rules) as found:
            _start_up(found, repeat=9)
            return _table(found, [key for key in FIGURES if key[0].startswith("--")])
    with versions(refs, documents, same_rules=same_rules) as found:
        words = found[-1].ask("words")
        for version in found:
            version.ask("warm")
        for _ in range(rounds):
            for version in found:
                seconds = version.ask("lint_many")
                version.figures["lint_many"] = min(
                    version.figures.get("lint_many", float("inf")), seconds
                )
        for _ in range(rounds):
            for version in found:
                median = version.ask("latency")
                version.figures["latency"] = min(version.figures.get("latency", median), median)
        for version in found:
            version.figures["lint_many"] = words / version.figures["lint_many"]
        for version in found:
            one, many = version.ask("jobs")
            version.figures["jobs"] = one / many
        for version in found:
            version.figures["peak"] = version.ask("peak")
            assert version.process is not None
            version.process.kill()
            version.process.wait()
            version.process = None
        _start_up(found, repeat=5)
        for version in found:
            _, seconds, peak = run.long_review_peak(16 if quick else 128, env=version.env)
            version.figures["long peak"] = float("nan") if peak is None else peak
        return _table(found, FIGURES)


def _start_up(found: Sequence[Version], repeat: int) -> None:
    """The fast commands' times (ms) and shares of ``import spacy``, best of ``repeat``."""
    import run

    times = run.start_up(repeat, [version.env for version in found])
    for version, measured in zip(found, times, strict=True):
        base = measured.pop("import spacy")
        for name, seconds in measured.items():
            version.figures[name] = seconds * 1e3
            version.figures[f"{name} share"] = seconds / base


#: (key, label, how a value is shown, whether a larger value is better) of each figure.
FIGURES: tuple[tuple[str, str, str, bool], ...] = (
    ("lint_many", "`Linter.lint_many`, words/s", "{:,.0f}", True),
    ("latency", "150-word `lint_text`, median ms", "{:.1f}", False),
    ("jobs", "`--jobs 2` against `--jobs 1`", "{:.2f}x", True),
    ("peak", "peak memory of the worker (bundled corpus), MB", "{:.0f}", False),
    ("long peak", "peak memory, long one-block reviews, MB", "{:.0f}", False),
    ("--version", "`--version`, ms", "{:.0f}", False),
    ("--list-rules", "`--list-rules`, ms", "{:.0f}", False),
    ("--explain", "`--explain FB101`, ms", "{:.0f}", False),
)


def _table(found: Sequence[Version], figures: Sequence[tuple[str, str, str, bool]]) -> str:
    """A Markdown table: each figure of each version, then the new one's speed-up over each
    older one (above 1: better; for memory, the old peak over the new)."""
    new = found[-1]
    head = ["figure", *(v.label for v in found), *(f"against {v.label}" for v in found[:-1])]
    rows = [head, ["---", *["--:"] * (len(head) - 1)]]
    for key, label, unit, larger_better in figures:
        shown = []
        for version in found:
            text = unit.format(version.figures[key])
            share = version.figures.get(f"{key} share")
            shown.append(text if share is None else f"{text} ({share:.2f} of import spacy)")
        ratios = []
        for old in found[:-1]:
            before, after = old.figures[key], new.figures[key]
            ratios.append(f"{(after / before if larger_better else before / after):.2f}x")
        rows.append([label, *shown, *ratios])
    return "\n".join("| " + " | ".join(row) + " |" for row in rows) + "\n"


def _worker(requests: IO[str], replies: IO[str]) -> None:
    """Answer the parent's requests with this version of the package (on ``PYTHONPATH``)."""
    import corpus
    import run
    import timing

    state: dict[str, Any] = {}
    for line in requests:
        request = json.loads(line)
        try:
            value = _answer(request, state, corpus, run, timing)
        except Exception as error:  # any failure of this version: the parent reports it
            replies.write(REPLY + json.dumps({"error": f"{type(error).__name__}: {error}"}) + "\n")
        else:
            replies.write(REPLY + json.dumps({"value": value}) + "\n")
        replies.flush()


def _answer(
    request: dict[str, Any], state: dict[str, Any], corpus: Any, run: Any, timing: Any
) -> Any:
    """One measurement for :func:`_worker`."""
    import feedback_lint

    what = request["do"]
    if what == "load":
        state["texts"] = list(corpus.documents(request["documents"]))
        state["linter"] = feedback_lint.Linter()
        return str(Path(feedback_lint.__file__).resolve())
    linter, texts = state["linter"], state["texts"]
    if what == "words":
        return corpus.words(texts)
    if what == "warm":
        return sum(1 for _ in linter.lint_many(texts[:20]))
    if what == "lint_many":
        return timing.best_of(lambda: sum(1 for _ in linter.lint_many(texts)))
    if what == "latency":
        return run.latency(linter, run.message(150), linter.nlp, runs=100)["lint_median"]
    if what == "jobs":
        return run.scaling(linter, texts, jobs=2)
    if what == "peak":
        return timing.peak_mb()
    raise ValueError(f"unknown request {what!r}")


def main(argv: Sequence[str] | None = None) -> int:
    """Compare the given versions with the working tree and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("refs", nargs="*", metavar="REF", help="git refs to compare with")
    parser.add_argument("--documents", type=int, default=300, help="bundled corpus size")
    parser.add_argument("--quick", action="store_true", help="a small corpus for a smoke run")
    parser.add_argument("--start-up", action="store_true", help="only the fast commands")
    parser.add_argument(
        "--same-rules", action="store_true", help="every version with this tree's rules/"
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _worker(sys.stdin, sys.stdout)
        return 0
    if not args.refs:
        parser.error("give at least one git REF to compare with")
    count = 30 if args.quick else args.documents
    try:
        table = compare(
            args.refs,
            count,
            quick=args.quick,
            start_up_only=args.start_up,
            same_rules=args.same_rules,
        )
        sys.stdout.write(table)
    except RuntimeError as error:
        sys.stderr.write(f"versions: {error}\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    raise SystemExit(main())
