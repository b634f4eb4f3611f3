"""Checks over the whole rule set: identity, file names, documentation and examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedback_lint.rules import BUILTIN_RULES_DIR, load_rules

RULES = load_rules()


def test_rules_meta_codes_and_names_are_unique() -> None:
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rules_meta_file_name_matches_code_and_name(rule) -> None:  # type: ignore[no-untyped-def]
    path = Path(rule.path)
    assert path.name == f"{rule.code}-{rule.name}.yml"
    assert path.parent.parent == BUILTIN_RULES_DIR


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rules_meta_examples_present(rule) -> None:  # type: ignore[no-untyped-def]
    flags = [e for e in rule.examples if e.kind == "flag"]
    passes = [e for e in rule.examples if e.kind == "pass"]
    assert len(flags) >= 12 and len(passes) >= 12
    if rule.suggestion is not None:
        assert all(e.fixed is not None for e in flags), "every flag needs a fixed text"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rules_meta_documented(rule) -> None:  # type: ignore[no-untyped-def]
    assert rule.summary.endswith(".")
    assert len(rule.rationale) > 80


def test_rules_meta_catalogue_codes_present() -> None:
    codes = {r.code: r.name for r in RULES}
    assert codes["FB101"] == "absolute-language"
    assert codes["FB102"] == "character-label"


def test_rules_meta_lexicons_name_their_source() -> None:
    for path in sorted((BUILTIN_RULES_DIR / "lexicons").glob("*.txt")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("#"), f"{path.name} must start with a comment naming its source"


def test_rules_meta_wheel_ships_the_rules_beside_the_code_package() -> None:
    # The built-in rules go into the wheel under a name that is not the code package
    # `feedback_lint.rules`, and that name is where an installed package looks for them.
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    from feedback_lint.rules import WHEEL_FOLDER

    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    shipped = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert shipped == {"rules": f"feedback_lint/{WHEEL_FOLDER}"}
    assert WHEEL_FOLDER != "rules"
    assert Path(__file__).parents[1] / "rules" == BUILTIN_RULES_DIR  # a checkout reads its own
