"""The audit on a real Dask LocalCluster: the same records as ``--format json``, none lost.

One two-worker cluster serves most tests of the module; the command-line test
starts its own with ``--scheduler local``, as a user would.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

pytest.importorskip("distributed", reason="the dask extra is not installed")

from feedback_lint.audit import Job, lint_bag, lint_on_cluster, lint_paths, make_job
from feedback_lint.cli import main

if TYPE_CHECKING:
    from distributed import Client

PARAGRAPHS = [
    "You always miss deadlines and you are lazy.",
    "In Tuesday's stand-up, I observed that the update ran fifteen minutes over the slot.",
    "Great job breaking the build again, genius.",
    "Thanks for the careful review of the payments API; it caught two bugs before release.",
    "You never listen in meetings. Calm down, it's not a big deal.",
    "Next time, please send the report by Friday so the team can plan the sprint.",
    "What were you thinking? You should have tested this.",
    "The build always runs on merge, and the job retries twice.",
    "If this happens again, you're off the project.",
    "Your work is bad. Do better.",
]


def _corpus(root: Path, count: int = 24) -> list[str]:
    """``count`` reviews in two folders, an empty and a binary file; their relative paths."""
    for index in range(count):
        folder = root / "reviews" / ("team-a" if index % 3 else "team-b")
        folder.mkdir(parents=True, exist_ok=True)
        chosen = [PARAGRAPHS[(index * 7 + k * 3) % len(PARAGRAPHS)] for k in range(2 + index % 5)]
        body = f"# Review {index}\n\n" + "\n\n".join(chosen) + "\n"
        (folder / f"review-{index:03}.md").write_text(body, encoding="utf-8")
    (root / "reviews" / "team-a" / "empty.md").write_text("", encoding="utf-8")
    (root / "reviews" / "team-b" / "binary.txt").write_bytes(b"\x00\x01binary")
    (root / "audit.yaml").write_text(
        "per-file-ignores:\n  'reviews/team-b/*.md': [FB102]\n", encoding="utf-8"
    )
    return sorted(
        str(path.relative_to(root)) for path in (root / "reviews").rglob("*") if path.is_file()
    )


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """A client of a two-worker local cluster, one process and thread a worker."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as connected,
    ):
        yield connected


def test_audit_command_on_a_local_cluster_writes_what_format_json_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    _corpus(tmp_path)
    options = ["--config", "audit.yaml", "reviews"]
    plain_code = main(["--format", "json", "--no-cache", *options])
    plain = json.loads(capsys.readouterr().out)
    cluster = ["--scheduler", "local", "--workers", "2", "--partition-size", "3"]
    code = main(["audit", *options, *cluster, "--output", "out"])
    summary = capsys.readouterr().out
    assert _jsonl(tmp_path / "out" / "findings.jsonl") == plain["files"]
    assert _jsonl(tmp_path / "out" / "errors.jsonl") == plain["errors"]
    assert code == plain_code == 1
    assert f"{plain['summary']['files']} files, {plain['summary']['findings']} findings" in summary
    # The per-file ignore applied: team-b's reviews have no FB102, team-a's do.
    codes = {
        entry["path"].split("/")[1]: {f["code"] for f in entry["findings"]}
        for entry in plain["files"]
    }
    assert "FB102" not in codes["team-b"]
    page = (tmp_path / "out" / "report.html").read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count('class="chart-spec"') == 6


def test_audit_worker_killed_mid_run_loses_no_file(
    client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    paths = _corpus(tmp_path, count=40)
    job = make_job(["--isolated"])
    expected = lint_paths(paths, job)
    pids: dict[str, int] = client.run(os.getpid)
    killed: list[str] = []

    def kill_a_busy_worker(record: dict[str, Any]) -> None:
        if killed:
            return
        busy = [address for address, keys in client.processing().items() if keys]
        if busy:
            os.kill(pids[busy[0]], signal.SIGKILL)
            killed.append(busy[0])

    records = list(
        lint_on_cluster(paths, client, job, partition_size=1, on_record=kill_a_busy_worker)
    )
    assert killed, "no worker was busy to be killed"
    assert [r["path"] for r in records] == paths
    assert records == expected


def test_audit_connects_to_a_running_scheduler_by_address(
    client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    paths = _corpus(tmp_path, count=6)
    address = client.scheduler.address
    code = main(["audit", "reviews", "--isolated", "--scheduler", address, "--output", "out"])
    records = _jsonl(tmp_path / "out" / "findings.jsonl") + _jsonl(
        tmp_path / "out" / "errors.jsonl"
    )
    assert sorted(str(r["path"]) for r in records) == paths
    assert code == 1


def test_audit_lint_bag_maps_partitions_of_a_dask_bag(
    client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dask.bag

    monkeypatch.chdir(tmp_path)
    paths = _corpus(tmp_path, count=8)
    job = Job(make_job(["--isolated", "--select", "FB1"]).settings)
    bag = dask.bag.from_sequence(paths, npartitions=3)
    records = lint_bag(bag, job).compute()
    assert records == lint_paths(paths, job)
    assert {f["code"][:3] for r in records for f in r.get("findings", [])} == {"FB1"}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--fix"], "--fix does not apply to an audit"),
        (["--format", "json"], "--format does not apply"),
        (["--workers", "0"], "--workers takes a whole number"),
    ],
)
def test_audit_usage_errors_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    out = tmp_path / "out"
    code = main(["audit", str(tmp_path), "--scheduler", "local", "--output", str(out), *extra])
    error = capsys.readouterr().err
    assert code == 2
    assert message in error and error.count("\n") == 1
    assert not out.exists()


def test_audit_unreachable_scheduler_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "note.md").write_text("You are lazy.\n", encoding="utf-8")
    nowhere = ["--scheduler", "tcp://127.0.0.1:9", "--connect-timeout", "1"]
    code = main(["audit", str(tmp_path), "--isolated", *nowhere, "--output", str(tmp_path / "out")])
    error = capsys.readouterr().err
    assert code == 2
    assert "cannot reach the scheduler tcp://127.0.0.1:9" in error and error.count("\n") == 1
