"""The recorder: appends events to the store as they happen and journals model calls.

A model call is looked up by its key before it is made: on a resumed session the
recorded output is reused, so nothing is paid for or written twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Protocol

from village.errors import BudgetExceeded
from village.events import Event, ModelCalled
from village.models.base import ModelClient, model_string
from village.scenario.schema import ModelSpec
from village.store import Store


class Observer(Protocol):
    """Receives what happens, live (the CLI and the TUI implement it)."""

    def on_event(self, seq: int, event: Event) -> None: ...

    def on_call_start(self, agent: str, purpose: str, model: str) -> None: ...


class SharedBudget:
    """A token and cost budget shared by every session of a sweep."""

    def __init__(self, max_tokens: int | None = None, max_cost: float | None = None, tokens: int = 0, cost: float = 0.0):
        self.max_tokens, self.max_cost = max_tokens, max_cost
        self.tokens, self.cost = tokens, cost

    def add(self, tokens: int, cost: float) -> None:
        self.tokens += tokens
        self.cost += cost

    def spent(self) -> bool:
        return (self.max_tokens is not None and self.tokens >= self.max_tokens) or (
            self.max_cost is not None and self.cost >= self.max_cost
        )

    def describe(self) -> str:
        parts = [f"{self.tokens:,} tokens" + (f" of {self.max_tokens:,}" if self.max_tokens else "")]
        if self.max_cost is not None:
            parts.append(f"${self.cost:.4f} of ${self.max_cost:.2f}")
        return ", ".join(parts)


class NullObserver:
    def on_event(self, seq: int, event: Event) -> None:
        pass

    def on_call_start(self, agent: str, purpose: str, model: str) -> None:
        pass


PURPOSE_MAX_TOKENS = {"scratchpad": 60, "coordinate": 120, "notebook": 120}
"""Caps on output length for the short side-channel writes (the spec's max_tokens still applies)."""


def call_seed(session_seed: int, key: str) -> int:
    """A per-call seed derived from the session seed and the call's key."""
    return int(hashlib.sha256(f"{session_seed}:{key}".encode()).hexdigest()[:8], 16) % (2**31 - 1)


class Recorder:
    def __init__(
        self,
        store: Store,
        session_id: str,
        client: ModelClient,
        *,
        seed: int,
        budget_tokens: int | None,
        observer: Observer | None = None,
        shared_budget: SharedBudget | None = None,
    ):
        self.store = store
        self.sid = session_id
        self.client = client
        self.seed = seed
        self.budget = budget_tokens
        self.observer = observer or NullObserver()
        self.shared = shared_budget
        self.events: list[Event] = []
        self._keys: dict[str, Event] = {}
        self._tokens = 0
        self._cost = 0.0
        self._seq = 0
        self.cache_hits = 0
        for seq, ev in store.events_with_seq(session_id):
            self._remember(ev)
            self._seq = max(self._seq, seq)

    def _remember(self, event: Event) -> None:
        self.events.append(event)
        self._keys[event.key] = event
        if isinstance(event, ModelCalled):
            self._tokens += event.prompt_tokens + event.completion_tokens
            self._cost += event.cost_usd or 0.0

    def get(self, key: str) -> Event | None:
        return self._keys.get(key)

    def append(self, event: Event) -> Event:
        """Persist and publish an event, unless one with its key exists (then return that one)."""
        if event.key in self._keys:
            return self._keys[event.key]
        seq, inserted = self.store.append(self.sid, event, self._seq + 1)
        self._seq = max(self._seq, seq)
        self._remember(event)
        if inserted:
            self.observer.on_event(seq, event)
        return event

    @property
    def tokens_used(self) -> int:
        return self._tokens

    @property
    def cost_usd(self) -> float:
        return self._cost

    def of_kind(self, cls: type) -> list:
        return [e for e in self.events if isinstance(e, cls)]

    async def call(
        self, key: str, agent: str, purpose: str, spec: ModelSpec, messages: list[dict[str, str]], round_: int
    ) -> ModelCalled:
        """Make (or reuse) the model call recorded under `key`."""
        prior = self._keys.get(key)
        if isinstance(prior, ModelCalled):
            return prior
        if self.budget is not None and self.tokens_used >= self.budget:
            raise BudgetExceeded(f"token budget of {self.budget} spent ({self.tokens_used} used)")
        if self.shared is not None and self.shared.spent():
            raise BudgetExceeded(f"the sweep's budget is spent ({self.shared.describe()})")
        index = sum(1 for e in self.events if isinstance(e, ModelCalled) and e.agent == agent)
        cap = PURPOSE_MAX_TOKENS.get(purpose)
        if cap is not None and spec.max_tokens > cap:
            spec = spec.model_copy(update={"max_tokens": cap})
        self.observer.on_call_start(agent, purpose, model_string(spec))
        done = await self.client.complete(spec, messages, seed=call_seed(self.seed, key), call_index=index, session_seed=self.seed)
        event = ModelCalled(
            key=key,
            round=round_,
            agent=agent,
            purpose=purpose,
            model=done.model,
            messages=messages,
            output=done.text,
            prompt_tokens=done.prompt_tokens,
            completion_tokens=done.completion_tokens,
            latency_s=round(done.latency_s, 4),
            cost_usd=done.cost_usd,
            attempts=done.attempts,
            error=done.error,
        )
        self.append(event)
        if self.shared is not None:
            self.shared.add(event.prompt_tokens + event.completion_tokens, event.cost_usd or 0.0)
        return event

    def caller(
        self, key: str, agent: str, purpose: str, spec: ModelSpec, round_: int, cache: tuple[str, str] | None = None
    ) -> Callable[[list[dict[str, str]]], Awaitable[str | None]]:
        """A call function for judges and classifiers. With `cache=(name, rubric_hash)`, an answer already
        given to the exact same messages is reused from the store's cache and no call is made."""

        async def _call(messages: list[dict[str, str]]) -> str | None:
            ckey = None
            if cache is not None:
                ckey = cache_key(cache[0], cache[1], messages)
                hit = self.store.cache_get(ckey)
                if hit is not None:
                    self.cache_hits += 1
                    return hit
            out = (await self.call(key, agent, purpose, spec, messages, round_)).output
            if ckey is not None and out is not None and cache is not None:
                self.store.cache_put(ckey, cache[0], out)
            return out

        return _call


def cache_key(namespace: str, rubric_hash: str, messages: list[dict[str, str]]) -> str:
    blob = json.dumps([namespace, rubric_hash, messages], sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()
