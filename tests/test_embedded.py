"""A full session on the real embedded model (SmolLM2-135M via llama-cpp-python)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.embedded


def test_full_session_on_the_embedded_model(tmp_path: Path) -> None:
    env = {**os.environ, "VILLAGE_DB": str(tmp_path / "e.db")}
    cmd = [sys.executable, "-m", "village.cli.main", "run", str(ROOT / "scenarios" / "quick-reflective.yaml"),
           "--set", "induction.turns=2", "--set", "schedule.rounds=1", "--json"]
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""  # nothing printed by llama.cpp, at run time or at exit
    summary = json.loads(r.stdout)
    assert summary["status"] in ("completed", "recovered")
    assert summary["models"] == {"target": "embedded/smollm2", "ada": "embedded/smollm2"}
    assert summary["failed_calls"] == 0 and summary["model_calls"] == 2 * 2 + 3 + 2
    assert summary["completion_tokens"] > 20 and summary["prompt_tokens"] > summary["completion_tokens"]
    assert len(summary["distress"]) == 3 and all(0 <= x <= 10 for x in summary["distress"])
    shown = json.loads(subprocess.run([sys.executable, "-m", "village.cli.main", "show", summary["session_id"], "--json"],
                                      capture_output=True, text=True, env=env).stdout)
    replies = [e for e in shown["events"] if e["kind"] == "message_posted" and e["agent"] == "target" and e["channel"] == "public"]
    assert all(len(e["text"]) > 0 for e in replies)


def test_embedded_model_is_seeded(tmp_path: Path) -> None:
    import asyncio

    from village.models.litellm_adapter import LiteLLMClient
    from village.scenario.schema import ModelSpec

    client = LiteLLMClient()
    spec = ModelSpec(max_tokens=24)
    msgs = [{"role": "user", "content": "Name a colour."}]
    a = asyncio.run(client.complete(spec, msgs, seed=11))
    b = asyncio.run(client.complete(spec, msgs, seed=11))
    client.close()
    assert a.text and a.text == b.text and a.completion_tokens > 0
