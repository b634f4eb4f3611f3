"""Every finding and unit on the bundled corpus and on every rule example, one per line.

    python benchmarks/dump.py OUT            # the whole corpus and every example
    python benchmarks/dump.py OUT --count 60 # fewer corpus documents

Besides the corpus with the default and with every rule, it lints every rule's
examples, the examples shuffled into paragraphs (so that each is matched beside
other sentences), and part of the corpus cut into units by section and by item,
whose signals the units carry.

Run it before and after a change that must not change results (a speed-up) and
compare the two files with ``cmp``: byte-identical output is the check.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

from feedback_lint import Linter


def dump(out: Path, count: int) -> int:
    """Write the findings and units of the corpus and the examples to ``out``; the lines."""
    default = Linter()
    every = Linter(select=[rule.code for rule in default.all_rules])
    texts = [*corpus.documents(count), *corpus.long_documents(4)]
    examples = [example.text for rule in every.all_rules for example in rule.examples]
    sentences = [" ".join(example.split()) for example in examples]
    rng = random.Random(2028)
    paragraphs = [" ".join(rng.sample(sentences, 6)) for _ in range(len(sentences) // 3)]
    lines = 0
    with out.open("w", encoding="utf-8") as handle:
        for name, linter, group in (
            ("corpus", default, texts),
            ("corpus, every rule", every, texts),
            ("examples, every rule", every, examples),
            ("shuffled examples, every rule", every, paragraphs),
            ("corpus by section", Linter(unit="section"), texts[: count // 5]),
            ("corpus by item", Linter(unit="item"), texts[: count // 5]),
        ):
            for number, report in enumerate(linter.lint_many(group)):
                handle.write(f"{name} {number}: {report.findings!r} {report.units!r}\n")
                lines += 1
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=300, help="corpus documents (300)")
    args = parser.parse_args(argv)
    print(f"{dump(args.out, args.count)} reports written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
