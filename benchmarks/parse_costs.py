"""Where lint_many's parse differs from raw nlp.pipe: the same texts and blocks, several ways.

    python benchmarks/parse_costs.py                  # 150 corpus documents, best of three
    python benchmarks/parse_costs.py --count 300 --rounds 2

Each way is timed in CPU time (which other work on the machine moves less than
wall time), interleaved, each round in the other order, best of the rounds:

- raw nlp.pipe: spaCy's pipeline with the linter's components, the documents
  whole, batch_size=64 (what ``run.py`` calls raw nlp.pipe);
- raw nlp.pipe on the blocks: the same pipeline on the prose blocks that
  lint_many parses, in one ``nlp.pipe`` call;
- the linter's pipeline on the blocks: its column attribute ruler and lemmatizer
  and its parse repair, one ``nlp.pipe(batch, as_tuples=True)`` call per batch
  of :func:`feedback_lint.parsing.batches`, as ``Linter._lint_group`` calls it;
- lint_many without matching: lint_many with ``Linter._scan`` doing nothing (the
  documents read, the batches parsed inside memory zones, reports built);
- the same outside memory zones;
- lint_many itself.

The differences between neighbours are what each step costs.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus
from after_parse import blocks
from timing import interleaved

from feedback_lint import Linter
from feedback_lint.parsing import batches, load_spacy_pipeline
from feedback_lint.repairs import NAME as REPAIR


def _nothing(*_: Any) -> None:
    """A stand-in for ``Linter._scan``: no matching."""


def ways(linter: Linter, texts: list[str]) -> dict[str, Callable[[], object]]:
    """Each way of parsing ``texts`` (or their blocks) that the module's docstring names."""
    nlp = linter.nlp
    raw = load_spacy_pipeline(linter.pipeline_name, frozenset(nlp.component_names) - {REPAIR})
    prose = blocks(linter, texts)
    items = [(text, number) for number, text in enumerate(prose)]
    for _ in raw.pipe(texts[:20]):  # warm-up, as lint_many's was
        pass

    def in_batches() -> None:
        for batch in batches(items, linter.batch_size, linter.batch_chars):
            for _ in nlp.pipe(batch, as_tuples=True, batch_size=len(batch)):
                pass

    def without_matching(zones: bool = True) -> None:
        with contextlib.ExitStack() as patches:
            if not zones:
                patches.enter_context(
                    mock.patch.object(nlp, "memory_zone", contextlib.nullcontext)
                )
            patches.enter_context(mock.patch.object(linter, "_scan", _nothing))
            for _ in linter.lint_many(texts):
                pass

    return {
        "raw nlp.pipe, documents whole, batch_size=64": lambda: sum(
            1 for _ in raw.pipe(texts, batch_size=64)
        ),
        f"raw nlp.pipe on the {len(prose)} blocks, one call": lambda: sum(
            1 for _ in raw.pipe(prose, batch_size=linter.batch_size)
        ),
        "the linter's pipeline on the blocks, a call per batch": in_batches,
        "lint_many without matching": without_matching,
        "lint_many without matching, outside memory zones": lambda: without_matching(False),
        "lint_many": lambda: sum(1 for _ in linter.lint_many(texts)),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=150, help="corpus documents (150)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    texts = list(corpus.documents(args.count))
    linter = Linter()
    for _ in linter.lint_many(texts[:20]):  # warm-up: matchers compiled, caches filled
        pass
    runs = ways(linter, texts)
    best = interleaved(runs, args.rounds)
    words = corpus.words(texts)
    for name, seconds in best.items():
        print(f"{seconds:6.2f} s  {words / seconds:7,.0f} words/s  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
