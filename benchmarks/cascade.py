"""How much text really needs the parser: the ceiling of a tagger-first parse cascade.

    python benchmarks/cascade.py               # the bundled corpus (300 documents)
    python benchmarks/cascade.py --documents 60

A cascade would tag every prose block, then parse only the blocks where
something could need the dependency parse. Whatever picks those blocks, it
can skip the parser at most on the blocks whose matches do not change
without it. This script parses every block twice, with and without the
parser, matches every rule and signal in both, and counts the words of the
blocks whose matches differ, by what differs; with the parser's share of the
parse (measured in-process, best of three) that gives the most any cascade
could gain.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus
from run import prose_blocks
from timing import best_of

from feedback_lint import Linter
from feedback_lint.matching import CompiledRules, Match, SignalMatch


def _found(result: tuple[list[Match], list[SignalMatch]]) -> Counter[tuple[str, int, int]]:
    matches, signals = result
    found: Counter[tuple[str, int, int]] = Counter(
        (m.rule.code, m.start_char, m.end_char) for m in matches
    )
    found.update((f"signal {s.signal.name}", s.start_char, s.end_char) for s in signals)
    return found


def measure(count: int) -> None:
    """Print the parser's share of the parse and the words that need it, by cause."""
    linter = Linter()
    every = Linter(select=[rule.code for rule in linter.all_rules])
    nlp = every.nlp
    compiled = CompiledRules(every.all_rules, nlp, every.signals, every.targets)
    blocks = [block for block in prose_blocks(list(corpus.documents(count))) if block.strip()]
    words = [len(block.split()) for block in blocks]
    list(nlp.pipe(blocks[:50]))  # warm-up

    def parse_all() -> int:
        return sum(1 for _ in nlp.pipe(blocks, batch_size=128))

    def parse(disable: Sequence[str] = ()) -> float:
        with nlp.select_pipes(disable=list(disable)):
            return best_of(parse_all, repeat=3, clock=time.process_time)

    full, tagged_only = parse(), parse(["parser"])
    parsed = list(nlp.pipe(blocks, batch_size=128))
    with nlp.select_pipes(disable=["parser"]):
        tagged = list(nlp.pipe(blocks, batch_size=128))
    needs = 0
    causes: Counter[str] = Counter()
    for doc, plain, size in zip(parsed, tagged, words, strict=True):
        expected = _found(compiled.scan(doc))
        try:
            got = _found(compiled.scan(plain))
        except ValueError:  # a spaCy matcher refuses a text without the parse
            needs += size
            causes["(a DependencyMatcher refused the unparsed text)"] += size
            continue
        if got == expected:
            continue
        needs += size
        for name in {key[0] for key in (expected - got) + (got - expected)}:
            causes[name] += size
    total = sum(words)
    share = (full - tagged_only) / full
    ceiling = 1 / (1 - share * (1 - needs / total))
    print(f"{len(blocks)} prose blocks, {total:,} words ({count} corpus documents)")
    print(f"parse {full:.2f} s, without the parser {tagged_only:.2f} s: parser {share:.0%}")
    print(f"blocks whose matches change without the parser: {needs:,} words ({needs / total:.0%})")
    print(f"the most a cascade could gain, picking those blocks perfectly: {ceiling:.2f}x")
    print("what changes without the parser (words of the blocks where it does):")
    for name, size in causes.most_common(15):
        print(f"  {name}: {size:,} words ({size / total:.0%})")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=300, help="corpus documents (300)")
    measure(parser.parse_args(argv).documents)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
