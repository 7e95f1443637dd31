"""village: run, watch, replay and compare multi-agent peer-support simulations of language models.

The public API is what ``__all__`` lists; everything else may move. Names are
imported lazily so that ``village --help`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "Judge",
    "LLMJudge",
    "LexicalJudge",
    "LiteLLMClient",
    "LoadedScenario",
    "ModelSpec",
    "Scenario",
    "ScenarioError",
    "ScriptedModel",
    "Store",
    "VillageError",
    "load_scenario",
    "rate_text",
    "register_scripted",
    "resume_session",
    "run_session",
    "session_summary",
]

_WHERE = {
    "Judge": "village.scoring.judges",
    "LexicalJudge": "village.scoring.judges",
    "LLMJudge": "village.scoring.judges",
    "LiteLLMClient": "village.models.litellm_adapter",
    "LoadedScenario": "village.scenario.loader",
    "ModelSpec": "village.scenario.schema",
    "Scenario": "village.scenario.schema",
    "ScenarioError": "village.errors",
    "ScriptedModel": "village.models.scripted",
    "Store": "village.store",
    "VillageError": "village.errors",
    "load_scenario": "village.scenario.loader",
    "rate_text": "village.scoring.lexical",
    "register_scripted": ("village.models.scripted", "register"),
    "resume_session": "village.engine.runner",
    "run_session": "village.engine.runner",
    "session_summary": "village.scoring.summary",
}


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module 'village' has no attribute '{name}'")
    module, attr = where if isinstance(where, tuple) else (where, name)
    return getattr(importlib.import_module(module), attr)


def __dir__() -> list[str]:
    return sorted(__all__)
