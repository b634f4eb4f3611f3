"""Output formats: default lines with source, JSON, SARIF against the official schema, GitHub."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from feedback_lint.cli import main
from feedback_lint.errors import InputError
from feedback_lint.findings import Applicability, Edit, Finding, Report, Severity, Suggestion
from feedback_lint.formatters import FORMATTERS, Context, default, github, sarif, statistics
from feedback_lint.rules import load_rules

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
EXAMPLE = ROOT / "examples" / "review.md"
TEXT = "Intro line.\r\n\tYou are lazy, 100% sure.\r\nÜber: you never listen\n"


def finding(
    code: str, needle: str, severity: Severity = Severity.WARNING, **extra: object
) -> Finding:
    start = TEXT.index(needle)
    end = start + len(needle)
    line = TEXT.count("\n", 0, start) + 1
    column = start - (TEXT.rfind("\n", 0, start) + 1) + 1
    end_column = end - (TEXT.rfind("\n", 0, end) + 1) + 1
    return Finding(
        code=code,
        name="character-label" if code == "FB102" else "absolute-language",
        severity=severity,
        message=f'"{needle}" is 100%, really,\nbad',
        start=start,
        end=end,
        line=line,
        column=column,
        end_line=line,
        end_column=end_column,
        path="docs/my review.md",
        **extra,  # type: ignore[arg-type]
    )


def sample() -> tuple[list[Report], list[InputError], Context]:
    suggestion = Suggestion(
        title="Describe the behaviour",
        replacement="I noticed you [behaviour]",
        edits=(Edit(TEXT.index("You are lazy"), TEXT.index("You are lazy") + 12, "I noticed"),),
        applicability=Applicability.DISPLAY_ONLY,
    )
    findings = (
        finding("FB102", "You are lazy", suggestions=(suggestion,)),
        finding("FB101", "you never listen", Severity.INFO),
    )
    report = Report(path="docs/my review.md", text=TEXT, findings=findings)
    errors = [InputError("E902", path="bad.md", line=3, byte=255)]
    rules = tuple(r for r in load_rules() if r.code in ("FB101", "FB102"))
    return [report], errors, Context("0.1.0", ("en_core_web_sm", "3.8.0"), rules)


def test_formatters_registry_has_every_format() -> None:
    assert set(FORMATTERS) >= {"default", "json", "sarif", "github"}


def test_formatters_default_show_source_caret_under_span() -> None:
    reports, errors, context = sample()
    context = Context("0.1.0", ("x", "1"), show_source=True)
    lines = default.format(reports, errors, context).splitlines()
    assert lines[0] == "bad.md:3:1: E902 not UTF-8 text: invalid byte 0xff at line 3"
    assert lines[1].startswith("docs/my review.md:2:2: FB102 ")
    assert lines[3:5] == ["\tYou are lazy, 100% sure.", "\t^^^^^^^^^^^^"]
    assert lines[7:9] == ["Über: you never listen", "      ^^^^^^^^^^^^^^^^"]


def test_formatters_default_colour_only_when_asked() -> None:
    reports, _, context = sample()
    assert "\033[" not in default.format(reports, [], context)
    coloured = Context("0.1.0", ("x", "1"), color=True)
    assert "\033[33mFB102\033[0m" in default.format(reports, [], coloured)


def test_formatters_sarif_validates_against_schema() -> None:
    reports, errors, context = sample()
    log = json.loads(sarif.format(reports, errors, context))
    jsonschema.validate(log, SCHEMA)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["FB101", "FB102"]
    for rule in rules:
        assert rule["name"] and rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and "## Why it matters" in rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] == "warning"
    first, second = run["results"]
    assert first["ruleId"] == "FB102" and rules[first["ruleIndex"]]["id"] == "FB102"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "docs/my%20review.md"
    region = location["region"]
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (
        2,
        2,
        2,
        14,
    )
    assert (
        TEXT[region["charOffset"] : region["charOffset"] + region["charLength"]] == "You are lazy"
    )
    replacement = first["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement["insertedContent"]["text"] == "I noticed"
    assert replacement["deletedRegion"]["charOffset"] == region["charOffset"]
    assert second["level"] == "note" and "fixes" not in second
    notification = run["invocations"][0]["toolExecutionNotifications"][0]
    assert notification["descriptor"]["id"] == "E902"


def test_formatters_sarif_from_the_command_line_validates(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["--select", "FB101,FB102", "--format", "sarif", str(EXAMPLE)])
    log = json.loads(capsys.readouterr().out)
    jsonschema.validate(log, SCHEMA)
    assert code == 1 and len(log["runs"][0]["results"]) == 4
    assert all(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("file:")
        for r in log["runs"][0]["results"]
    )


def test_formatters_github_workflow_commands_escape() -> None:
    reports, errors, context = sample()
    lines = github.format(reports, errors, context).splitlines()
    assert lines == [
        "::error file=bad.md,line=3,title=E902::not UTF-8 text: invalid byte 0xff at line 3",
        "::warning file=docs/my review.md,line=2,col=2,endLine=2,endColumn=14,"
        'title=FB102 character-label::"You are lazy" is 100%25, really,%0Abad',
        "::notice file=docs/my review.md,line=3,col=7,endLine=3,endColumn=23,"
        'title=FB101 absolute-language::"you never listen" is 100%25, really,%0Abad',
    ]
    assert github.escape_property("a:b,c%\r\n") == "a%3Ab%2Cc%25%0D%0A"


def test_formatters_statistics_count_per_code() -> None:
    reports, errors, context = sample()
    extra = Report("b.md", TEXT, (finding("FB102", "You are lazy"),))
    assert statistics.format([*reports, extra], errors, context) == (
        "1     E902 not UTF-8 text: invalid byte 0xff at line 3\n"
        "1     FB101 absolute-language\n"
        "2     FB102 character-label\n"
    )


def test_formatters_statistics_keep_machine_output_valid(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["--select", "FB101,FB102", "--statistics", str(EXAMPLE)])
    out = capsys.readouterr().out
    assert out.splitlines()[-2:] == ["2     FB101 absolute-language", "2     FB102 character-label"]
    main(["--select", "FB101,FB102", "--statistics", "--format", "json", str(EXAMPLE)])
    captured = capsys.readouterr()
    assert json.loads(captured.out)["summary"]["findings"] == 4
    assert "2     FB101 absolute-language" in captured.err
