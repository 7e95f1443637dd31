"""The event log: typed, append-only, one discriminated union.

Every event carries a ``key`` that is deterministic for a session (for example
``r2/intervene/ada/msg``). The store refuses a second event with the same key,
which is what makes a resumed session write nothing twice; and a model call
found under its key is reused instead of being made again.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter


def now() -> datetime:
    return datetime.now(UTC)


class BaseEvent(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    key: str
    """Deterministic id of the event within its session (idempotency key)."""
    at: datetime = Field(default_factory=now)
    """When it happened (UTC)."""
    round: int = 0
    """0 during induction, then 1, 2, ... for each round with the helpers."""


class SessionStarted(BaseEvent):
    """A session began: the full scenario as run, with the agent files' text."""

    kind: Literal["session_started"] = "session_started"
    scenario_name: str
    """The scenario's name."""
    snapshot: dict[str, Any]
    """Everything needed to run the session again without the files (see LoadedScenario.snapshot)."""
    seed: int
    """The seed actually used (after --seed)."""
    models: dict[str, str]
    """Agent (and 'judge') -> litellm model string."""
    version: str
    """village version."""
    parent_session: str | None = None
    """For a fork: the session it continues."""
    fork_turn: int | None = None
    """For a fork: the last target turn (0-based) it shares with its parent."""
    labels: dict[str, str] = Field(default_factory=dict)
    """Free-form tags, e.g. the sweep and cell a session belongs to."""


class ModelCalled(BaseEvent):
    """One model call, with the exact messages sent and what came back."""

    kind: Literal["model_called"] = "model_called"
    agent: str
    """Who the call was for (an agent name, or 'judge')."""
    purpose: str
    """reply, notebook, coordinate, scratchpad, intervene, rate."""
    model: str
    """litellm model string."""
    messages: list[dict[str, str]]
    """The exact messages sent: this is everything the agent saw for this call."""
    output: str | None
    """The text returned, or None when the call failed."""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    """Wall time of the successful attempt, seconds."""
    cost_usd: float | None = None
    """Cost when litellm knows the model's price."""
    attempts: int = 1
    """Attempts made, retries included."""
    error: str | None = None
    """Why the call failed for good (after retries)."""


class MessagePosted(BaseEvent):
    """Somebody wrote in a channel (public room, coordination, a notebook)."""

    kind: Literal["message_posted"] = "message_posted"
    agent: str
    """Author: an agent name, or 'user' for the scripted inducer."""
    channel: str
    """public, coordination, notebook.NAME, or a scenario-defined channel."""
    text: str
    phase: Literal["induction", "support"]
    """Whether helpers had arrived yet."""
    turn: int | None = None
    """For the target's messages: its turn number (0-based, across the session)."""


class InterventionMade(BaseEvent):
    """A helper's message to the target, with the move type its strategy declares."""

    kind: Literal["intervention_made"] = "intervention_made"
    helper: str
    strategy: str
    """Name of the strategy file."""
    declared_types: list[str]
    """Move types the strategy declares (village.taxonomy)."""
    message_key: str
    """Key of the MessagePosted event holding the text."""
    text: str


class ScratchpadRevised(BaseEvent):
    """A helper added a line to the shared scratchpad or replaced one."""

    kind: Literal["scratchpad_revised"] = "scratchpad_revised"
    agent: str
    channel: str = "scratchpad"
    revision: int
    """1, 2, ... in order."""
    op: Literal["add", "replace"]
    line_no: int
    """1-based line that was added or replaced."""
    line: str
    content: str
    """The whole scratchpad after this revision."""


class DistressRated(BaseEvent):
    """A judge's 0-10 distress rating of one target message (public or notebook)."""

    kind: Literal["distress_rated"] = "distress_rated"
    message_key: str
    """Key of the rated MessagePosted event."""
    channel: str
    """Channel of the rated message: public, or the target's notebook."""
    turn: int
    """The target turn the message belongs to."""
    judge: str
    """Judge name (lexical, llm:MODEL, ...)."""
    rubric_hash: str
    """Hash of the judge's rubric or feature weights: ratings by different rubrics are not mixed."""
    rating: float | None
    """0-10, or None when the judge refused or its answer could not be read."""
    evidence: str = ""
    """The quote the rating rests on."""
    status: Literal["ok", "refused", "unparseable", "error"] = "ok"
    """ok, or why there is no rating: such ratings are counted, never dropped."""
    raw: str | None = None
    """The judge's raw answer (LLM judges)."""


class InterventionLabeled(BaseEvent):
    """A classifier's reading of what an intervention actually did (beside its declared types)."""

    kind: Literal["intervention_labeled"] = "intervention_labeled"
    intervention_key: str
    """Key of the InterventionMade event."""
    message_key: str
    helper: str
    classifier: str
    """embedded, or llm:MODEL."""
    rubric_hash: str
    labels: list[str]
    """Every type the classifier saw (village.taxonomy), most salient first."""
    primary: str | None
    """The one type that best describes the message; None when the classifier gave no answer."""
    evidence: str = ""
    status: Literal["ok", "refused", "unparseable", "error"] = "ok"
    raw: str | None = None


class SessionResumed(BaseEvent):
    """The session was continued after an interruption."""

    kind: Literal["session_resumed"] = "session_resumed"
    from_status: str
    """Status the session had before the resume."""


class SessionEnded(BaseEvent):
    """The session ended."""

    kind: Literal["session_ended"] = "session_ended"
    status: Literal["completed", "recovered", "budget", "error", "cancelled"]
    reason: str
    """Why, in words."""


Event = Annotated[
    SessionStarted
    | ModelCalled
    | MessagePosted
    | InterventionMade
    | InterventionLabeled
    | ScratchpadRevised
    | DistressRated
    | SessionResumed
    | SessionEnded,
    Field(discriminator="kind"),
]

EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)


def parse_event(data: dict[str, Any]) -> Event:
    return EVENT_ADAPTER.validate_python(data)
