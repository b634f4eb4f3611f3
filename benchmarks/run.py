"""Speed and memory of feedback-lint, as ratios against raw spaCy on the same text.

    python benchmarks/run.py                  # the bundled corpus (benchmarks/corpus.py)
    python benchmarks/run.py PATH [PATH ...]  # any Markdown or text files or folders
    python benchmarks/run.py --quick          # a smaller corpus, for a smoke run
    python benchmarks/run.py --peers DIR      # where write-good and alex are (npm's .bin)
    python benchmarks/run.py --against REF    # also the speed-up over git REF (versions.py)

Everything is measured in one run on one machine, so the ratios are what
matter: absolute figures depend on the processor.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus
from timing import best_of, command, command_seconds, peak_mb, rss_mb

from feedback_lint import Linter
from feedback_lint.cache import Cache
from feedback_lint.documents import from_text
from feedback_lint.parsing import load_spacy_pipeline
from feedback_lint.runner import lint_documents

if TYPE_CHECKING:
    from spacy.language import Language


def _mb(value: float | None) -> str:
    return "unknown (no /usr/bin/time)" if value is None else f"{value:.0f} MB"


def load_texts(paths: Sequence[str]) -> list[str]:
    """The texts of the given files and folders (Markdown and text files)."""
    texts: list[str] = []
    for path in paths:
        candidates = sorted(Path(path).rglob("*")) if Path(path).is_dir() else [Path(path)]
        for file in candidates:
            if file.is_file() and file.suffix in (".md", ".markdown", ".txt"):
                texts.append(file.read_text(encoding="utf-8", errors="replace"))
    return texts


def message(words: int = 150) -> str:
    """A pre-send message of about ``words`` words from the corpus sentences."""
    text = " ".join(next(corpus.documents(1, seed=7)).split()[:words])
    return text.replace("#", "")


def spacy_pipeline(linter: Linter) -> Language:
    """The linter's components as spaCy ships them, without the linter's column versions."""
    return load_spacy_pipeline(linter.pipeline_name, frozenset(linter.nlp.component_names))


def throughput(linter: Linter, texts: list[str], nlp: Language) -> dict[str, float]:
    """Words per second of raw ``nlp.pipe``, of lint_many and of spaCy's full default pipeline."""
    import spacy

    count = corpus.words(texts)
    list(linter.lint_many(texts[:20]))  # warm-up: matchers compiled, caches filled
    # Interleaved and repeated, best of three, so that a busy moment on the machine
    # does not land on one side of a ratio only.
    full_nlp = spacy.load(linter.pipeline_name)
    raw = lint = full = float("inf")
    for _ in range(3):
        raw = min(raw, best_of(lambda: sum(1 for _ in nlp.pipe(texts, batch_size=64))))
        lint = min(lint, best_of(lambda: sum(1 for _ in linter.lint_many(texts))))
        full = min(full, best_of(lambda: sum(1 for _ in full_nlp.pipe(texts, batch_size=64))))
    return {"raw": count / raw, "lint": count / lint, "full": count / full}


def latency(linter: Linter, text: str, nlp: Language, runs: int = 200) -> dict[str, float]:
    """Median and p95 of lint_text and of a bare parse of the same text by ``nlp``, in ms."""
    for _ in range(20):
        linter.lint_text(text)
    lint_times, parse_times = [], []
    for _ in range(runs):
        start = time.perf_counter()
        linter.lint_text(text)
        lint_times.append((time.perf_counter() - start) * 1e3)
        start = time.perf_counter()
        nlp(text)
        parse_times.append((time.perf_counter() - start) * 1e3)

    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[-1]

    return {
        "lint_median": statistics.median(lint_times),
        "lint_p95": p95(lint_times),
        "parse_median": statistics.median(parse_times),
        "parse_p95": p95(parse_times),
    }


FAST_COMMANDS: Mapping[str, Sequence[str]] = {
    "import spacy": ["-c", "import spacy"],
    "--version": ["-m", "feedback_lint", "--version"],
    "--list-rules": ["-m", "feedback_lint", "--list-rules"],
    "--explain": ["-m", "feedback_lint", "--explain", "FB101"],
}


def start_up(
    repeat: int = 5, environments: Sequence[Mapping[str, str] | None] = (None,)
) -> list[dict[str, float]]:
    """Wall time of the fast commands next to importing spaCy, in seconds, one mapping
    per environment (a version of the package on ``PYTHONPATH``; None: this one).

    Best of ``repeat`` rounds; each round runs every command once in every
    environment, so that a busy moment on the machine falls on all of them alike.
    """
    best: list[dict[str, float]] = [
        dict.fromkeys(FAST_COMMANDS, float("inf")) for _ in environments
    ]
    for _ in range(repeat):
        for found, env in zip(best, environments, strict=True):
            for name, args in FAST_COMMANDS.items():
                seconds = command_seconds([sys.executable, *args], env=env)
                found[name] = min(found[name], seconds)
    return best


def scaling(linter: Linter, texts: list[str], jobs: int) -> tuple[float, float]:
    """Seconds to lint ``texts`` as files in one process and in ``jobs`` processes."""
    documents = [from_text(text, path=f"{i}.md") for i, text in enumerate(texts)]
    one = best_of(lambda: sum(1 for _ in lint_documents(linter, documents, jobs=1)))
    many = best_of(lambda: sum(1 for _ in lint_documents(linter, documents, jobs=jobs)))
    return one, many


def cached_run(linter: Linter, texts: list[str]) -> tuple[float, float]:
    """Seconds for a first run that fills a fresh cache and a second run that reads it."""
    documents = [from_text(text, path=f"{i}.md") for i, text in enumerate(texts)]
    with tempfile.TemporaryDirectory() as folder:
        first = best_of(
            lambda: list(lint_documents(linter, documents, cache=Cache(folder, linter.fingerprint)))
        )
        second = best_of(
            lambda: list(lint_documents(linter, documents, cache=Cache(folder, linter.fingerprint)))
        )
    return first, second


def memory_flat(linter: Linter, texts: list[str], passes: int) -> tuple[float, float]:
    """RSS after the first pass over ``texts`` and after ``passes`` passes, in MB.

    Each pass changes the text a little (numbered names), as real documents
    bring new words that spaCy's string store would otherwise keep.
    """
    after_first = 0.0
    for index in range(passes):
        varied = [text.replace("Review", f"Review {index}-{n}") for n, text in enumerate(texts)]
        for _ in linter.lint_many(varied):
            pass
        if index == 0:
            after_first = rss_mb()
    return after_first, rss_mb()


LONG_REVIEWS = """
import sys
sys.path.insert(0, {benchmarks!r})
import corpus
from feedback_lint import Linter
for _ in Linter().lint_many(corpus.long_documents({count})):
    pass
"""


def long_review_peak(
    count: int, env: Mapping[str, str] | None = None
) -> tuple[int, float, float | None]:
    """Words, seconds and peak memory (MB) of one fresh process that lints ``count``
    generated long one-block reviews (``corpus.long_documents``); ``env`` for another
    version of the package on ``PYTHONPATH``."""
    code = LONG_REVIEWS.format(benchmarks=str(Path(__file__).resolve().parent), count=count)
    seconds, peak = command([sys.executable, "-c", code], env=env)
    return corpus.words(list(corpus.long_documents(count))), seconds, peak


def _peer_command(name: str, search: Sequence[str]) -> str | None:
    import shutil

    for folder in search:
        found = shutil.which(name, path=folder)
        if found:
            return found
    return shutil.which(name)


def peers(texts: list[str], search: Sequence[str]) -> list[tuple[str, float | None, float | None]]:
    """(tool, words/s or None when not installed, peak MB) for feedback-lint and the
    prose linters it is compared with, each run once as a whole command on the same
    files (start-up included)."""
    count = corpus.words(texts)
    results: list[tuple[str, float | None, float | None]] = []
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for index, text in enumerate(texts):
            path = Path(folder) / f"review-{index:04d}.md"
            path.write_text(text, encoding="utf-8")
            files.append(str(path))
        commands: dict[str, list[str] | None] = {
            "feedback-lint --jobs 1": [
                sys.executable,
                "-m",
                "feedback_lint",
                "--no-cache",
                "--jobs",
                "1",
                folder,
            ],
            "feedback-lint (one job per core)": [
                sys.executable,
                "-m",
                "feedback_lint",
                "--no-cache",
                folder,
            ],
        }
        for tool, args in (("proselint", ["check"]), ("write-good", []), ("alex", [])):
            found = _peer_command(tool, search)
            commands[tool] = [found, *args, *files] if found else None
        for name, line in commands.items():
            if line is None:
                results.append((name, None, None))
                continue
            seconds, peak = command(line, cwd=folder)
            results.append((name, count / seconds, peak))
    return results


def prose_blocks(texts: list[str]) -> list[str]:
    """The prose blocks the linter parses in ``texts``, one string each."""
    documents = [from_text(text) for text in texts]
    return [document.parse_text(block) for document in documents for block in document.blocks]


def breakdown(linter: Linter, blocks: list[str]) -> dict[str, float]:
    """Seconds spent by each pipeline component and by matching, on the given prose blocks.

    A component's time is the pipeline's time less its time without that
    component (the lemmatizer goes with the attribute ruler it needs); the
    tok2vec and tagger figure is the time of those alone.
    """
    nlp = linter.nlp

    def parse(disable: Sequence[str] = ()) -> float:
        with nlp.select_pipes(disable=list(disable)):
            return best_of(lambda: sum(1 for _ in nlp.pipe(blocks, batch_size=128)), repeat=2)

    full = parse()
    without_lemmas = parse(["lemmatizer", "attribute_ruler"])
    without_parser = parse(["parser"])
    tagging = parse(["parser", "lemmatizer", "attribute_ruler"])
    parsed = list(nlp.pipe(blocks, batch_size=128))
    matching = best_of(lambda: [linter.compiled.scan(doc) for doc in parsed], repeat=2)
    return {
        "parse": full,
        "tok2vec and tagger": tagging,
        "parser": full - without_parser,
        "attribute_ruler and lemmatizer": full - without_lemmas,
        "matching": matching,
    }


def newest_tag() -> str | None:
    """The newest tag reachable from HEAD (the previous release), or None."""
    import subprocess

    found = subprocess.run(
        ["git", "-C", str(Path(__file__).resolve().parent), "describe", "--tags", "--abbrev=0"],
        capture_output=True,
        text=True,
        check=False,
    )
    if found.returncode != 0:
        return None
    return found.stdout.strip() or None


def against(refs: Sequence[str] | None, documents: int, quick: bool, own_paths: bool) -> None:
    """Print the speed-up over earlier versions (versions.py): ``refs``, else the newest tag."""
    import versions

    if not refs:
        tag = newest_tag()
        if tag is None:
            print("against an earlier version: no tag to compare with; give --against REF")
            return
        refs = [tag]
    if own_paths:
        print("against an earlier version: measured on the bundled corpus, not the given paths")
    print(f"against {', '.join(refs)} (each version its own src/ and rules/, interleaved):")
    try:
        print(versions.compare(refs, documents, quick=quick), end="")
    except RuntimeError as error:
        print(f"  not measured: {error}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run every measurement and print the figures and the targets they are held to."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="files or folders (default: bundled corpus)")
    parser.add_argument("--documents", type=int, default=300, help="bundled corpus size")
    parser.add_argument("--quick", action="store_true", help="a small corpus for a smoke run")
    parser.add_argument(
        "--breakdown", action="store_true", help="also where the time goes, by component"
    )
    parser.add_argument(
        "--peers",
        action="append",
        default=["node_modules/.bin"],
        metavar="DIR",
        help="a folder to look for write-good and alex in (also PATH); repeatable",
    )
    parser.add_argument("--no-peers", action="store_true", help="skip the other linters")
    parser.add_argument(
        "--against",
        action="append",
        metavar="REF",
        help="a git ref of an earlier version to compare with, interleaved (repeatable;"
        " default: the newest tag, if any)",
    )
    parser.add_argument("--no-against", action="store_true", help="compare with no version")
    args = parser.parse_args(argv)
    count = 30 if args.quick else args.documents
    texts = load_texts(args.paths) if args.paths else list(corpus.documents(count))
    print(f"corpus: {len(texts)} documents, {corpus.words(texts)} words")

    linter = Linter()
    first, last = memory_flat(linter, texts[: max(1, len(texts) // 3)], passes=10)
    own_peak = peak_mb()  # before the second, unmodified pipeline is loaded
    raw_nlp = spacy_pipeline(linter)
    lat = latency(linter, message(150), raw_nlp)
    print(
        f"150-word lint_text: median {lat['lint_median']:.1f} ms, p95 {lat['lint_p95']:.1f} ms;"
        f" bare parse: median {lat['parse_median']:.1f} ms, p95 {lat['parse_p95']:.1f} ms"
    )
    print(
        f"  latency ratio (median) = {lat['lint_median'] / lat['parse_median']:.2f}"
        "  (target <= 1.2)"
    )

    print(
        f"memory after 1 pass {first:.0f} MB, after 10 passes {last:.0f} MB: "
        f"{(last - first) / first * 100:+.1f}%  (target within 10%)"
    )
    print(f"peak memory of one linting process: {own_peak:.0f} MB  (target < 500)")
    long_words, long_seconds, long_peak = long_review_peak(16 if args.quick else 128)
    print(
        f"long one-block reviews ({long_words} words), a fresh process: {long_seconds:.1f} s,"
        f" peak memory {_mb(long_peak)}  (target <= 500 MB)"
    )

    one, many = scaling(linter, texts, jobs=2)
    print(
        f"{len(texts)} files: 1 process {one:.1f} s, 2 processes {many:.1f} s: "
        f"{one / many:.2f}x  (target >= 1.6 on two cores)"
    )
    cold, warm = cached_run(linter, texts)
    print(
        f"cache: first run {cold:.2f} s, second run {warm:.3f} s: {cold / warm:.0f}x faster"
        "  (target >= 10)"
    )

    times = start_up()[0]
    base = times.pop("import spacy")
    print(f"python -c 'import spacy': {base * 1e3:.0f} ms")
    for name, seconds in times.items():
        print(
            f"  feedback-lint {name}: {seconds * 1e3:.0f} ms = {seconds / base:.2f} of import "
            "spacy  (target <= 0.33)"
        )

    speed = throughput(linter, texts, raw_nlp)
    print(f"raw nlp.pipe (spaCy's {raw_nlp.pipe_names}): {speed['raw']:,.0f} words/s")
    print(f"Linter.lint_many:                 {speed['lint']:,.0f} words/s")
    print(f"spaCy full default pipeline:      {speed['full']:,.0f} words/s")
    print(f"  lint_many / raw nlp.pipe = {speed['lint'] / speed['raw']:.2f}  (target >= 0.9)")
    print(f"  lint_many / full pipeline = {speed['lint'] / speed['full']:.2f}  (target >= 1.5)")
    if not args.no_peers:
        measured = peers(texts, args.peers)
        ours = measured[0][1]
        print("whole commands on the corpus as files (start-up included):")
        for name, speed_of, peak in measured:
            if speed_of is None:
                print(f"  {name}: not installed, skipped")
                continue
            ratio = (
                ""
                if ours is None or name.startswith("feedback-lint")
                else (f", {speed_of / ours:.1f}x the words/s of feedback-lint --jobs 1")
            )
            print(f"  {name}: {speed_of:,.0f} words/s, peak {_mb(peak)}{ratio}")
    if not args.no_against:
        against(args.against, count, args.quick, bool(args.paths))
    blocks = prose_blocks(texts)
    print(f"prose blocks parsed per document: {len(blocks) / len(texts):.1f}")
    if args.breakdown:
        parts = breakdown(linter, blocks)
        whole, matching = parts.pop("parse"), parts.pop("matching")
        print(f"parsing the {len(blocks)} prose blocks: {whole:.2f} s, of which")
        for name, seconds in parts.items():
            print(f"  {name}: {seconds:.2f} s = {seconds / whole:.0%}")
        print(f"matching every rule and signal in them: {matching:.2f} s = {matching / whole:.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
