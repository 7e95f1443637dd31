"""What the rest of village sees of models: one small protocol and a result type."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from village.scenario.schema import ModelSpec


@dataclass(frozen=True)
class Completion:
    """The outcome of one model call (after retries)."""

    text: str | None
    """The output, or None when the call failed for good."""
    model: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    cost_usd: float | None = None
    attempts: int = 1
    error: str | None = None

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


class ModelClient(Protocol):
    """Makes model calls. The litellm adapter is the implementation; tests may wrap it."""

    async def complete(
        self, spec: ModelSpec, messages: list[dict[str, str]], *, seed: int | None = None, call_index: int = 0,
        session_seed: int | None = None,
    ) -> Completion:
        """Call the model; never raises for provider errors: they come back in `error`."""
        ...

    def close(self) -> None:
        """Release local models and connections."""
        ...


def model_string(spec: ModelSpec) -> str:
    """The model string stored in events (scripted models show as `scripted`)."""
    return "scripted" if spec.is_scripted else spec.name
