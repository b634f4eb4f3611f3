"""Load test of the HTTP service, on loopback only.

    python benchmarks/load.py            # 300 requests per level; memory over 20,000 drafts
    python benchmarks/load.py --quick    # 60 requests per level; memory over 2,000 drafts

Starts ``feedback-lint serve`` as a child process on a free port of 127.0.0.1,
then:

1. sends varied 150-word drafts to ``POST /v1/lint`` from 1, 4 and 16 concurrent
   clients and reports requests/s and p50/p95 latency for each;
2. sends varied drafts (each with words never seen before, which would grow
   spaCy's string store without memory zones) and reports the server's resident
   memory after the first 1,000 and after all of them; the run fails (exit 1)
   when the second exceeds the first by more than 10%.

Every phase is bounded by a request count and a time limit; the server is
stopped at the end in every case.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

HOST = "127.0.0.1"

_SENTENCES = (
    "In the {nonce} review on {day}, you {verb_past} the {thing} without telling the team.",
    "You always miss the {nonce} deadlines.",
    "{name} is lazy about the {thing}.",
    "This caused the {thing} to slip by {n} days, so {name} had to rework the {nonce} module.",
    "Next time, please {verb} the {thing} before {day}.",
    "Thanks for the {nonce} fix; it saved us {n} hours on the {thing}.",
    "Great job breaking the {thing} again, genius.",
    "I noticed that the {nonce} tests were skipped in {n} of the last {m} merges.",
    "Could you walk me through how you chose the {nonce} approach for the {thing}?",
    "You never listen in the {nonce} meetings.",
    "The {thing} ran {n} percent faster after your change to {nonce}.",
    "When the {thing} failed on {day}, customers waited {n} minutes for {nonce} pages.",
    "It would help if you shared the {nonce} notes with {name} by {day}.",
)
_NAMES = ("Priya", "Tomás", "Aiko", "Femi", "Olga", "Jonah", "Mei", "Sven", "Amara", "Luis")
_THINGS = ("build", "release", "dashboard", "migration", "report", "API", "design doc", "rollout")
_VERBS = ("review", "test", "document", "announce", "check", "share", "benchmark")
_PAST = ("merged", "deployed", "rewrote", "deleted", "renamed", "shipped")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "the 14th", "sprint review")


def _nonce(rng: random.Random) -> str:
    """A made-up word, so that drafts bring strings the pipeline has never seen."""
    syllables = rng.randint(2, 4)
    return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(syllables))


def drafts(seed: int, words: int) -> Iterator[str]:
    """Endless varied drafts of about ``words`` words each."""
    rng = random.Random(seed)
    while True:
        sentences: list[str] = []
        count = 0
        while count < words:
            sentence = rng.choice(_SENTENCES).format(
                nonce=_nonce(rng),
                name=rng.choice(_NAMES),
                thing=rng.choice(_THINGS),
                verb=rng.choice(_VERBS),
                verb_past=rng.choice(_PAST),
                day=rng.choice(_DAYS),
                n=rng.randint(2, 90),
                m=rng.randint(91, 200),
            )
            sentences.append(sentence)
            count += len(sentence.split())
        yield " ".join(sentences)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _rss_mb(pid: int) -> float:
    """Resident memory of process ``pid``, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def start_server(port: int) -> subprocess.Popen[bytes]:
    """``feedback-lint serve`` on 127.0.0.1:``port``, as a child process."""
    command = [sys.executable, "-m", "feedback_lint", "serve"]
    command += ["--host", HOST, "--port", str(port), "--log-level", "warning"]
    return subprocess.Popen(command)


def wait_ready(url: str, server: subprocess.Popen[bytes], timeout: float) -> float:
    """Wait until the server answers; returns the seconds it took."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}")
        try:
            if httpx.get(f"{url}/openapi.json", timeout=2).status_code == 200:
                return time.perf_counter() - start
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start in time")


async def _clients(
    url: str, texts: Iterator[str], concurrency: int, count: int, max_seconds: float
) -> tuple[list[float], float]:
    """Send ``count`` drafts from ``concurrency`` clients; latencies (s) and wall time."""
    latencies: list[float] = []
    sent = 0
    deadline = time.perf_counter() + max_seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal sent
        while sent < count and time.perf_counter() < deadline:
            sent += 1
            text = next(texts)
            start = time.perf_counter()
            response = await http.post("/v1/lint", json={"text": text})
            latencies.append(time.perf_counter() - start)
            response.raise_for_status()

    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=120) as http:
        start = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(concurrency)))
        return latencies, time.perf_counter() - start


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    """Run the load test and print its figures as Markdown."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests, for a smoke run")
    parser.add_argument("--requests", type=int, help="requests per concurrency level")
    parser.add_argument("--memory-drafts", type=int, help="drafts sent for the memory check")
    parser.add_argument("--memory-words", type=int, default=150, help="words per memory draft")
    parser.add_argument("--max-seconds", type=float, default=1800, help="time limit per phase")
    args = parser.parse_args(argv)
    per_level = args.requests or (60 if args.quick else 300)
    memory_total = args.memory_drafts or (2_000 if args.quick else 20_000)
    checkpoint = min(1_000, memory_total // 2)

    port = _free_port()
    url = f"http://{HOST}:{port}"
    server = start_server(port)
    try:
        ready = wait_ready(url, server, timeout=300)
        print(f"server ready in {ready:.1f} s (pipeline loaded), {_rss_mb(server.pid):.0f} MB")
        texts = drafts(seed=1, words=150)
        asyncio.run(_clients(url, texts, 4, 20, 60))  # warm-up
        print("\n| clients | requests | requests/s | p50 (ms) | p95 (ms) |")
        print("|---:|---:|---:|---:|---:|")
        for concurrency in (1, 4, 16):
            latencies, wall = asyncio.run(
                _clients(url, texts, concurrency, per_level, args.max_seconds)
            )
            print(
                f"| {concurrency} | {len(latencies)} | {len(latencies) / wall:.1f} "
                f"| {1000 * statistics.median(latencies):.0f} "
                f"| {1000 * _percentile(latencies, 0.95):.0f} |"
            )

        varied = drafts(seed=2, words=args.memory_words)
        start = time.perf_counter()
        deadline = start + args.max_seconds
        done = 0
        after_first = after_all = 0.0
        print("\n| drafts | server memory (MB) |")
        print("|---:|---:|")
        for target in sorted({checkpoint, *range(5_000, memory_total, 5_000), memory_total}):
            left = max(0.0, deadline - time.perf_counter())
            sent, _ = asyncio.run(_clients(url, varied, 4, target - done, left))
            done += len(sent)
            after_all = _rss_mb(server.pid)
            after_first = after_first or after_all
            print(f"| {done:,} | {after_all:.1f} |")
        growth = (after_all - after_first) / after_first
        print(
            f"\nmemory: {after_first:.1f} MB after {min(done, checkpoint):,} drafts, "
            f"{after_all:.1f} MB after {done:,} ({growth:+.1%}); "
            f"{args.memory_words}-word drafts, {time.perf_counter() - start:.0f} s"
        )
        if done < memory_total:
            print(f"stopped by the time limit after {done:,} of {memory_total:,} drafts")
        return 0 if growth <= 0.10 else 1
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


if __name__ == "__main__":
    sys.exit(main())
