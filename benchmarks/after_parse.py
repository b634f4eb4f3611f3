"""The linting path after the parse, timed alone: lint_many on parses made beforehand.

    python benchmarks/after_parse.py                 # the bundled corpus, best of three
    python benchmarks/after_parse.py --profile 40    # and cProfile's top 40 functions
    python benchmarks/after_parse.py --against REF   # and git REF's engine, interleaved

Every block of the corpus is parsed once by the linter's own pipeline; then
``lint_many`` runs with a stand-in pipeline that hands back those parses, so
the CPU time measured (which other work on the machine moves less than wall
time) is everything the linter does besides parsing (documents, matching,
units, signals, findings, suggestions, reports). ``--scan`` also
times ``CompiledRules.scan`` alone on the same parses, every block (a
repeated block is scanned each time, as lint_many scans it). ``--against REF`` loads
REF's ``src/`` (with the working tree's rules) in the same process under another
package name and lints the same parses with it, round after round in turn, so
that both sides see the same machine.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import importlib
import os
import pstats
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus
from timing import interleaved

from feedback_lint import Linter

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


class Replay:
    """A stand-in for the linter's pipeline that returns the parse of each text made
    beforehand by ``nlp`` (parsing, once, any text it has not seen)."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.parses: dict[str, Doc] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self.nlp, name)  # the vocabulary, the defaults, the pipe names

    def learn(self, texts: Iterable[str]) -> None:
        """Parse ``texts`` now, outside any memory zone, so that their parses outlive it."""
        new = [text for text in dict.fromkeys(texts) if text not in self.parses]
        for text, doc in zip(new, self.nlp.pipe(new, batch_size=64), strict=True):
            self.parses[text] = doc

    def pipe(self, batch: Sequence[tuple[str, Any]], **_: Any) -> Iterator[tuple[Doc, Any]]:
        """The parses of ``batch``'s texts, with their contexts, as ``nlp.pipe`` gives them."""
        for text, context in batch:
            yield self.parses[text], context

    def memory_zone(self) -> contextlib.nullcontext[None]:
        """No zone: the parses were made outside one."""
        return contextlib.nullcontext()


def blocks(linter: Linter, texts: Sequence[str]) -> list[str]:
    """The texts ``lint_many`` parses for ``texts``, captured from one run."""
    seen: list[str] = []
    nlp = linter.nlp
    original = nlp.pipe

    def capture(batch: Sequence[tuple[str, Any]], **kwargs: Any) -> Any:
        if kwargs.get("as_tuples"):
            seen.extend(text for text, _ in batch)
        return original(batch, **kwargs)

    with mock.patch.object(nlp, "pipe", capture):
        for _ in linter.lint_many(texts):
            pass
    return seen


def reference_linter(ref: str, folder: Path, nlp: Replay) -> Any:
    """A linter of git ``ref``'s engine with the working tree's rules, imported as the
    package ``feedback_lint_ref``, that lints ``nlp``'s parses."""
    from versions import _extract

    src = _extract(ref, folder / "tree", same_rules=True)
    (src / "feedback_lint").rename(src / "feedback_lint_ref")
    sys.path.insert(0, str(src))
    package = importlib.import_module("feedback_lint_ref")
    before = os.environ.get("FEEDBACK_LINT_RULES_CACHE")
    os.environ["FEEDBACK_LINT_RULES_CACHE"] = str(folder / "cache")  # its own parsed rules
    try:
        linter = package.Linter()
    finally:
        if before is None:
            del os.environ["FEEDBACK_LINT_RULES_CACHE"]
        else:
            os.environ["FEEDBACK_LINT_RULES_CACHE"] = before
    linter.nlp = nlp
    return linter


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300, help="corpus documents (300)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument("--scan", action="store_true", help="also time CompiledRules.scan")
    parser.add_argument("--against", metavar="REF", help="also time git REF's engine")
    args = parser.parse_args(argv)
    texts = list(corpus.documents(args.count))
    linter = Linter()
    replay = Replay(linter.nlp)
    prose = blocks(linter, texts)
    replay.learn(prose)
    linter.nlp = replay  # type: ignore[assignment]
    # Every block, repeated ones included, as lint_many scans them.
    docs = [(text, replay.parses[text]) for text in prose]
    linters: dict[str, Any] = {"this tree": linter}
    folder = tempfile.TemporaryDirectory()
    if args.against:
        linters[args.against] = reference_linter(args.against, Path(folder.name), replay)

    runs: dict[str, Any] = {}
    for label, each in linters.items():

        def lint(each: Any = each) -> None:
            for _ in each.lint_many(texts):
                pass

        def scan(each: Any = each) -> None:
            for text, doc in docs:
                each.compiled.scan(doc, text)

        lint()
        runs[f"{label}: lint_many after the parse"] = lint
        if args.scan:
            runs[f"{label}: scan"] = scan
    best = interleaved(runs, args.rounds)
    words = corpus.words(texts)
    for name, seconds in best.items():
        print(
            f"{name}: {seconds:.2f} s ({words / seconds:,.0f} words/s,"
            f" {len(docs)} blocks, {len(replay.parses)} distinct)"
        )
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(runs["this tree: lint_many after the parse"])
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.profile)
    folder.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
