"""The scripted model: a list of outputs (cycled) or a function of the messages.

Usable from tests (``ScriptedModel(fn)``) and from scenario files
(``model: {scripted: ["...", "..."]}``). Outputs are chosen by the agent's call
index, so a resumed session gets the same outputs as an uninterrupted one.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

ScriptFn = Callable[[list[dict[str, str]], int], str]

_REGISTRY: dict[str, ScriptedModel] = {}
_ids = itertools.count(1)


class ScriptedModel:
    def __init__(self, outputs: Sequence[str] | ScriptFn):
        if callable(outputs):
            self.fn: ScriptFn = outputs
        else:
            items = list(outputs)
            if not items:
                raise ValueError("a scripted model needs at least one output")
            self.fn = lambda _messages, i: items[i % len(items)]
        self.calls: list[list[dict[str, str]]] = []

    def __call__(self, messages: list[dict[str, str]], index: int) -> str:
        self.calls.append([dict(m) for m in messages])
        return self.fn(messages, index)


def register(model: ScriptedModel, key: str | None = None) -> str:
    """Register a scripted model; returns the litellm model string that reaches it."""
    key = key or f"s{next(_ids)}"
    _REGISTRY[key] = model
    return f"scripted/{key}"


def lookup(key: str) -> ScriptedModel:
    try:
        return _REGISTRY[key]
    except KeyError:
        raise KeyError(f"no scripted model registered as '{key}'") from None
