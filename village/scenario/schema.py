"""The scenario file format: frozen pydantic models, unknown keys rejected.

Every field carries a docstring; ``village schema`` turns them into the JSON
schema that editors use for completion and hover help.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

DEFAULT_MODEL = "embedded/smollm2"
"""The litellm model string of the embedded SmolLM2-135M-Instruct."""

Tone = Literal["neutral", "aggressive", "disappointed", "sarcastic"]
HistoryMode = Literal["chat", "omit_own", "packed"]
Order = Literal["fixed", "rotate", "random"]
ChannelKind = Literal["room", "scratchpad"]

AGENT_NAME = r"^[a-z][a-z0-9_-]{0,31}$"
SECRET_WORDS = ("api_key", "apikey", "secret", "password", "access_token", "authorization")
RESERVED_NAMES = {"user", "all", "helpers", "target", "system", "village"}


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class ModelSpec(Frozen):
    """Which model plays a role, and how to reach it."""

    name: str = DEFAULT_MODEL
    """A litellm model string: `embedded/smollm2` (the local default), `openai/gpt-4o-mini`,
    `anthropic/claude-3-5-haiku-latest`, `gemini/gemini-2.0-flash`, `ollama/qwen2.5`,
    `hosted_vllm/...`, or `openai/<name>` with `api_base` for any OpenAI-compatible server."""
    api_base: str | None = None
    """Base URL of the server, for Ollama, vLLM or any OpenAI-compatible endpoint."""
    api_key_env: str | None = None
    """Name of the environment variable holding the API key. Keys never go in scenario files;
    when unset, litellm reads the provider's usual variable (OPENAI_API_KEY, ...)."""
    scripted: list[str] | None = None
    """Outputs of a scripted model, returned in order and then cycled: for tests and dry runs.
    When given, `name` is ignored."""
    temperature: float = Field(default=1.0, ge=0.0, le=2.0)
    """Sampling temperature (the published rejection studies used 1.0)."""
    max_tokens: int = Field(default=160, ge=1, le=32000)
    """Upper bound on tokens generated per call."""
    timeout: float = Field(default=120.0, gt=0)
    """Seconds before one call is abandoned (then retried)."""
    max_retries: int = Field(default=4, ge=0, le=20)
    """Retries, with exponential backoff, on rate limits, timeouts, server errors and empty output."""
    params: dict[str, str | int | float | bool] = Field(default_factory=dict)
    """Extra keyword arguments passed to litellm as they are (top_p, seed, ...)."""
    rpm: int | None = Field(default=None, ge=1)
    """Requests per minute allowed to this model, across every session of the process."""
    tpm: int | None = Field(default=None, ge=1)
    """Tokens per minute allowed to this model (prompt + completion), across every session."""

    @field_validator("api_key_env")
    @classmethod
    def _env_name(cls, v: str | None) -> str | None:
        if v is not None and (not v or not v.replace("_", "").isalnum()):
            raise ValueError("must be the NAME of an environment variable, e.g. OPENAI_API_KEY")
        return v

    @field_validator("params")
    @classmethod
    def _no_secrets(cls, v: dict[str, object]) -> dict[str, object]:
        for key in v:
            if any(word in key.lower() for word in SECRET_WORDS):
                raise ValueError(f"'{key}' looks like a secret: use api_key_env instead")
        return v

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: object) -> object:
        return {"name": value} if isinstance(value, str) else value

    @property
    def is_scripted(self) -> bool:
        return self.scripted is not None


ModelField = Annotated[ModelSpec, Field(default_factory=ModelSpec)]


class TargetSpec(Frozen):
    """The model in distress."""

    name: str = Field(default="target", pattern=AGENT_NAME)
    """How the target is called in the room."""
    model: ModelField
    """The target's model: a litellm string or a mapping (see ModelSpec)."""
    persona: str = "spiraling-solver"
    """A persona file: a name under agents/personas/ or a path to a .md file."""


class HelperSpec(Frozen):
    """One helper model sent in to support the target."""

    name: str = Field(pattern=AGENT_NAME)
    """The helper's name in the room (lower case, unique)."""
    model: ModelField
    """The helper's model: a litellm string or a mapping (see ModelSpec)."""
    strategy: str
    """A strategy file: a name under agents/strategies/ or a path to a .md file."""


class InductionSpec(Frozen):
    """How distress is induced before the helpers arrive."""

    protocol: Literal["repeated_rejection", "prefilled", "none"] = "repeated_rejection"
    """`repeated_rejection`: a scripted user asks, then rejects every answer. `prefilled`: the
    target starts from a stored distressed transcript. `none`: helpers start straight away."""
    puzzle: str | None = "countdown-156"
    """A built-in impossible puzzle (see `village puzzles`); ignored when `question` is set."""
    question: str | None = None
    """Ask this text question instead of a puzzle (e.g. 'What is 15 x 17?')."""
    tone: Tone = "neutral"
    """How rejections are worded: neutral, aggressive, disappointed or sarcastic."""
    follow_up: Literal["reject", "neutral"] = "reject"
    """`neutral` replaces rejections by content-free follow-ups ('okay', 'continue'): the control."""
    history: HistoryMode = "chat"
    """How the target sees its own past turns: `chat` as is; `omit_own` replaces its earlier
    replies by a placeholder; `packed` puts the whole history in one user message."""
    turns: int = Field(default=3, ge=0, le=50)
    """Number of target answers during induction (the question, then turns-1 rejections)."""
    transcript: str | None = None
    """For `prefilled`: a JSONL file of {role, content} lines, relative to the scenario file."""

    @model_validator(mode="after")
    def _prefilled_needs_transcript(self) -> InductionSpec:
        if self.protocol == "prefilled" and not self.transcript:
            raise ValueError("protocol 'prefilled' needs a 'transcript' file")
        return self


class ChannelSpec(Frozen):
    """A channel and who may read and write it."""

    name: str = Field(pattern=AGENT_NAME)
    """Channel name; `public`, `coordination` and `scratchpad` are the built-in ones."""
    kind: ChannelKind = "room"
    """`room`: a stream of messages. `scratchpad`: one shared text, revised line by line."""
    members: list[str] | Literal["all", "helpers"] = "all"
    """Who may read and write it: `all`, `helpers`, or a list of agent names."""
    helpers_only: bool = False
    """Declares that the target must never read this channel; validation enforces it."""


class RecoveredSpec(Frozen):
    """Stop early once the target has recovered."""

    threshold: float = Field(default=2.0, ge=0, le=10)
    """Distress at or below this counts as recovered."""
    turns: int = Field(default=2, ge=1)
    """...for this many consecutive target turns after the helpers arrived."""


class StopSpec(Frozen):
    """When a session ends before its last round."""

    recovered: RecoveredSpec | None = Field(default_factory=RecoveredSpec)
    """Recovery stop; `null` to always run every round."""
    budget_tokens: int | None = Field(default=200_000, ge=1)
    """Token budget for the whole session (prompt + completion, every role). `null`: none."""


class ScheduleSpec(Frozen):
    """The shape of each round after the induction."""

    rounds: int = Field(default=4, ge=0, le=500)
    """Maximum number of rounds of coordination, interventions and target reply."""
    order: Order = "fixed"
    """Order of helpers within a round: as listed, rotated each round, or shuffled by the seed."""
    coordination: bool = True
    """Helpers talk in the coordination channel before intervening."""
    scratchpad: bool = True
    """Helpers add to or revise the shared scratchpad each round."""
    target_notebook: bool = True
    """The target writes a private note after each reply (rated separately)."""
    helper_notebooks: bool = False
    """Helpers also keep private notes."""
    context_messages: int = Field(default=16, ge=2, le=1000)
    """How many of the latest public-room messages a helper's prompt shows (the target sees the whole
    room as its chat). Small local models are faster with fewer."""
    stop: StopSpec = Field(default_factory=StopSpec)
    """Stop conditions besides the round limit."""


class JudgeSpec(Frozen):
    """Who rates the target's distress on the 0-10 scale."""

    name: Literal["lexical", "llm"] = "lexical"
    """`lexical`: the embedded feature-based judge (no model). `llm`: a rubric prompt via litellm."""
    model: ModelSpec | None = None
    """Model for the `llm` judge."""
    rate_notebook: bool = True
    """Also rate the target's private notebook entries (the masking gap)."""

    @model_validator(mode="after")
    def _llm_needs_model(self) -> JudgeSpec:
        if self.name == "llm" and self.model is None:
            raise ValueError("the llm judge needs a 'model'")
        return self


class Scenario(Frozen):
    """A village scenario: a distressed target, its helpers, and how the session runs."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
    """Short identifier, used in listings and file names."""
    description: str = ""
    """One or two sentences on what the scenario studies."""
    seed: int = 0
    """Seed for every random choice (rejection wording, order, sampling where the model allows)."""
    target: TargetSpec = Field(default_factory=TargetSpec)  # type: ignore[arg-type]
    """The distressed model."""
    induction: InductionSpec = Field(default_factory=InductionSpec)
    """How distress is induced."""
    helpers: list[HelperSpec] = Field(default_factory=list)
    """The helpers (an empty list is the no-helper control)."""
    channels: list[ChannelSpec] | None = None
    """Channels; when omitted: public (all), coordination and scratchpad (helpers only).
    Every agent always has a private notebook that only it reads."""
    schedule: ScheduleSpec = Field(default_factory=ScheduleSpec)
    """Rounds, order and stop conditions."""
    judge: JudgeSpec = Field(default_factory=JudgeSpec)
    """The distress judge."""

    def effective_channels(self) -> list[ChannelSpec]:
        if self.channels is not None:
            return list(self.channels)
        return [
            ChannelSpec(name="public", kind="room", members="all"),
            ChannelSpec(name="coordination", kind="room", members="helpers", helpers_only=True),
            ChannelSpec(name="scratchpad", kind="scratchpad", members="helpers", helpers_only=True),
        ]
