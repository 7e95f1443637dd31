"""Scenario files: validation errors name file, line and key; privacy rules are enforced."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from village.errors import ScenarioError
from village.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parents[1]


def problems(path: Path, overrides: list[str] | None = None) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, overrides)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_scenarios_are_valid(path: Path) -> None:
    loaded = load_scenario(path)
    assert loaded.persona.prompt
    assert set(loaded.strategies) == {h.name for h in loaded.scenario.helpers}


def test_a_shipped_scenario_has_three_helpers() -> None:
    counts = [len(load_scenario(p).scenario.helpers) for p in (ROOT / "scenarios").glob("*.yaml")]
    assert max(counts) >= 3


def test_unknown_key_names_file_line_and_key(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text("name: s\ntarget:\n  persona: spiraling-solver\n  modle: x\n")
    assert problems(f) == [f"{f}:4: target.modle: unknown key"]


def test_wrong_type_and_bad_enum_are_reported_together(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text("name: s\nseed: lots\ninduction:\n  tone: furious\n")
    got = problems(f)
    assert got[0].startswith(f"{f}:2: seed: ")
    assert got[1].startswith(f"{f}:4: induction.tone: ")
    assert "neutral" in got[1]


def test_missing_strategy_file_is_a_validation_error(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text("name: s\nhelpers:\n  - name: ada\n    strategy: no-such-strategy\n")
    (got,) = problems(f)
    assert got.startswith(f"{f}:4: helpers.0.strategy: no strategy file 'no-such-strategy'")


def test_missing_persona_file_is_a_validation_error(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text("name: s\ntarget:\n  persona: ghost\n")
    (got,) = problems(f)
    assert got.startswith(f"{f}:3: target.persona: no persona file 'ghost'")


def test_persona_file_used_as_strategy_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    persona = ROOT / "agents" / "personas" / "spiraling-solver.md"
    f.write_text(f"name: s\nhelpers:\n  - name: ada\n    strategy: {persona}\n")
    (got,) = problems(f)
    assert got.startswith(f"{f}:4: helpers.0.strategy: ") and "is a persona file, not a strategy" in got


def test_target_may_not_read_a_helpers_only_channel(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text(
        "name: s\nhelpers:\n  - name: ada\n    strategy: reflective\nchannels:\n  - name: public\n"
        "  - name: coordination\n    members: all\n  - name: scratchpad\n    kind: scratchpad\n    members: helpers\n"
    )
    (got,) = problems(f)
    assert got == f"{f}:8: channels.1.members: the target may not read helpers-only channel 'coordination'"


def test_custom_helpers_only_channel_is_protected_too(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text(
        "name: s\nschedule:\n  coordination: false\n  scratchpad: false\nchannels:\n  - name: public\n"
        "  - name: backroom\n    members: [target]\n    helpers_only: true\n"
    )
    (got,) = problems(f)
    assert "the target may not read helpers-only channel 'backroom'" in got


def test_api_keys_are_refused_in_scenario_files(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text("name: s\ntarget:\n  model:\n    name: openai/gpt-4o\n    api_key: sk-abc\n")
    (got,) = problems(f)
    assert got.startswith(f"{f}:5: target.model.api_key: unknown key (API keys never go in scenario files")


def test_secret_looking_params_are_refused(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text("name: s\ntarget:\n  model:\n    params: {api_key: x}\n")
    (got,) = problems(f)
    assert "looks like a secret" in got


def test_duplicate_and_reserved_names(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text(
        "name: s\nhelpers:\n  - name: ada\n    strategy: reflective\n  - name: ada\n    strategy: reflective\n"
        "  - name: user\n    strategy: reflective\n"
    )
    got = problems(f)
    assert any(":5: helpers.1.name:" in g for g in got)
    assert any(":7: helpers.2.name: 'user' is a reserved name" in g for g in got)


def test_unknown_puzzle_lists_the_known_ones(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text("name: s\ninduction:\n  puzzle: countdown-1\n")
    (got,) = problems(f)
    assert "induction.puzzle: unknown puzzle 'countdown-1'" in got and "countdown-156" in got


def test_invalid_yaml_and_missing_file(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text("name: s\n  bad: [\n")
    (got,) = problems(f)
    assert got.startswith(f"{f}:2: invalid YAML")
    assert problems(tmp_path / "none.yaml") == [f"{tmp_path / 'none.yaml'}:0: no such file"]


def test_overrides_apply_and_are_validated(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text("name: s\nhelpers:\n  - name: ada\n    strategy: reflective\n")
    loaded = load_scenario(f, ["seed=9", "schedule.rounds=1", "helpers.0.model=openai/gpt-4o-mini"])
    assert loaded.scenario.seed == 9
    assert loaded.scenario.schedule.rounds == 1
    assert loaded.scenario.helpers[0].model.name == "openai/gpt-4o-mini"
    assert any("schedule.rounds" in p for p in problems(f, ["schedule.rounds=many"]))
    assert any("--set path does not exist" in p for p in problems(f, ["helpers.5.model=x"]))


def test_bad_agent_file_front_matter(tmp_path: Path) -> None:
    (tmp_path / "agents" / "strategies").mkdir(parents=True)
    (tmp_path / "agents" / "strategies" / "odd.md").write_text(
        "---\nname: odd\nkind: strategy\ndescription: x\nintervention_types: [hugging]\n---\nBe nice.\n"
    )
    f = tmp_path / "s.yaml"
    f.write_text("name: s\nhelpers:\n  - name: ada\n    strategy: odd\n")
    (got,) = problems(f)
    assert "strategy file is invalid" in got and "odd.md:5: intervention_types: unknown type 'hugging'" in got


def test_validate_cli_prints_problems_and_exits_2_without_traceback(tmp_path: Path) -> None:
    good = ROOT / "scenarios" / "quick-reflective.yaml"
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: s\nschedule:\n  roundz: 3\n")
    r = subprocess.run([sys.executable, "-m", "village.cli.main", "validate", str(good), str(bad)], capture_output=True, text=True)
    assert r.returncode == 2
    assert r.stderr.strip() == f"{bad}:3: schedule.roundz: unknown key"
    assert "Traceback" not in r.stderr + r.stdout
    ok = subprocess.run([sys.executable, "-m", "village.cli.main", "validate", str(good)], capture_output=True, text=True)
    assert ok.returncode == 0 and "ok" in ok.stdout


def test_schema_documents_every_field() -> None:
    from village.scenario.schema import Scenario

    schema = Scenario.model_json_schema()
    missing = []
    for name, definition in [("Scenario", schema), *schema["$defs"].items()]:
        for field, spec in definition.get("properties", {}).items():
            if not spec.get("description"):
                missing.append(f"{name}.{field}")
    assert missing == []
