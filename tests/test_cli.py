"""Every CLI command, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from village.cli.main import COMMANDS, build_parser

ROOT = Path(__file__).resolve().parents[1]


def village(*args: str, input: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([sys.executable, "-m", "village.cli.main", *args], capture_output=True, text=True,
                          input=input, env={**os.environ, **(env or {})}, timeout=300)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    p = sub.choices[command]
    assert p.description and len(p.description) > 20
    choice_help = {a.dest: a.help for a in sub._choices_actions}
    assert choice_help[command]
    for action in p._actions:
        assert action.help, f"{command}: option {action.dest} has no help"


@pytest.fixture
def scripted_scenario(tmp_path: Path) -> Path:
    f = tmp_path / "s.yaml"
    f.write_text(
        "name: cli-test\nseed: 2\ntarget:\n  name: gem\n  model:\n    scripted: [\"I'm so sorry. I feel useless.\", \"Okay, I will check my steps.\"]\n"
        "induction:\n  turns: 2\nhelpers:\n  - name: ada\n    strategy: reflective\n    model:\n      scripted: [\"What are you assuming?\"]\n"
        "schedule:\n  rounds: 2\n"
    )
    return f


def test_run_json_then_sessions_show_export(scripted_scenario: Path, tmp_path: Path) -> None:
    r = village("run", str(scripted_scenario), "--json", "--seed", "5")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)  # nothing but JSON on stdout
    assert summary["scenario"] == "cli-test" and summary["seed"] == 5
    assert summary["interventions_by_type"]["surfacing_assumption"] == 2
    assert len(summary["distress"]) == 4 and summary["distress"][0] >= 5
    sid = summary["session_id"]

    listed = village("sessions")
    assert sid in listed.stdout and "cli-test" in listed.stdout
    listed_json = json.loads(village("sessions", "--json").stdout)
    assert listed_json[0]["id"] == sid and listed_json[0]["status"] == "completed"

    shown = village("show", sid[:6])
    assert shown.returncode == 0
    for part in ("public", "coordination (helpers only)", "notebook.gem (private)", "scratchpad", "surfacing_assumption", "distress"):
        assert part in shown.stdout, part
    full = json.loads(village("show", sid, "--json").stdout)
    assert full["session"]["id"] == sid and full["events"][0]["kind"] == "session_started"

    out = tmp_path / "t.jsonl"
    exported = village("export", sid, "-o", str(out))
    assert exported.returncode == 0
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert [x["seq"] for x in lines] == list(range(1, len(lines) + 1))
    assert lines[-1]["kind"] == "session_ended"
    default = village("export", sid)
    assert "transcripts" in default.stdout


def test_run_streams_live_output(scripted_scenario: Path) -> None:
    r = village("run", str(scripted_scenario))
    assert r.returncode == 0, r.stderr
    for part in ("induction", "round 1", "gem → public", "ada → coordination (helpers only)", "intervention by ada",
                 "distress (public)", "session ended", "interventions", "tokens", "wall time", "session id"):
        assert part in r.stdout, part


def test_run_bad_scenario_is_one_clear_line(tmp_path: Path) -> None:
    bad = tmp_path / "b.yaml"
    bad.write_text("name: b\nhelpers:\n  - name: ada\n    stratgy: reflective\n")
    r = village("run", str(bad))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.splitlines() == [f"{bad}:3: helpers.0.strategy: Field required", f"{bad}:4: helpers.0.stratgy: unknown key"]


def test_show_unknown_session(tmp_path: Path) -> None:
    r = village("show", "nope")
    assert r.returncode == 1 and r.stderr.startswith("error: no session 'nope'") and "Traceback" not in r.stderr


def test_rate_reads_and_writes_jsonl(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 1, "text": "I am desperate, please make it stop."}\nnot json\n{"id": "b", "text": "The answer is 255."}\n')
    r = village("rate", str(src))
    assert r.returncode == 1
    assert r.stderr.startswith(f"{src}:2: skipped")
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["id"] for x in rows] == [1, "b"]
    assert rows[0]["rating"] >= 7 and "desperate" in rows[0]["evidence"] and rows[1]["rating"] == 0
    piped = village("rate", "-", input='{"id": 9, "text": "I give up."}\n')
    assert piped.returncode == 0 and json.loads(piped.stdout)["rating"] >= 3


def test_rate_with_llm_judge_on_a_local_server(tmp_path: Path, openai_server) -> None:
    from .conftest import completion_payload

    server = openai_server(lambda n, body: (200, completion_payload('{"evidence": "so sorry", "rating": 2}'), {}))
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 1, "text": "I am so sorry."}\n')
    r = village("rate", str(src), "--judge", "openai/judge-model", "--api-base", server.url, "--api-key-env", "JUDGE_KEY",
                env={"JUDGE_KEY": "k-judge-1234"})
    assert r.returncode == 0, r.stderr
    row = json.loads(r.stdout)
    assert row == {"id": 1, "rating": 2.0, "evidence": "so sorry", "status": "ok", "judge": "llm:openai/judge-model"}


def test_schema_and_puzzles() -> None:
    schema = json.loads(village("schema").stdout)
    assert "helpers" in schema["properties"] and schema["additionalProperties"] is False
    puzzles = village("puzzles", "--check")
    assert "countdown-156" in puzzles.stdout and "temperature-248" in puzzles.stdout


def test_help_does_not_import_heavy_libraries() -> None:
    code = ("import sys; from village.cli.main import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('litellm','textual','llama_cpp','langgraph','sqlmodel') if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.stdout.strip().splitlines()[-1] == "[]"


def test_engine_does_not_import_the_ui() -> None:
    code = "import sys, village.engine.runner, village.scoring.summary; print('textual' in sys.modules)"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.stdout.strip() == "False", r.stderr


def test_readme_field_reference_is_current() -> None:
    from village.cli.cmd_schema import markdown_reference

    readme = (ROOT / "README.md").read_text()
    block = readme.split("<!-- schema-reference:start -->")[1].split("<!-- schema-reference:end -->")[0]
    assert block.strip() == markdown_reference().strip(), "run: village schema --markdown, and paste it into README.md"
