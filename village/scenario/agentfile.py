"""Persona and strategy files: Markdown with a YAML front matter.

    ---
    name: reflective
    kind: strategy
    description: Gets the target to say its assumption out loud.
    intervention_types: [surfacing_assumption, restatement]
    ---
    The prompt, in plain words, as the model will read it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field, ValidationError

from village.errors import Problem, ScenarioError
from village.scenario.schema import Frozen
from village.taxonomy import check_types


class AgentFile(Frozen):
    """The front matter of a persona or strategy file, plus its prompt."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    """The name scenarios use to refer to this file."""
    kind: Literal["persona", "strategy"]
    """`persona` for a target, `strategy` for a helper."""
    description: str = Field(min_length=1)
    """One sentence shown in listings and the TUI."""
    intervention_types: list[str] = Field(default_factory=list)
    """For strategies: the move types it declares (see village.taxonomy)."""
    prompt: str = ""
    """The body of the file: the system prompt, in the file author's words."""
    path: str = ""
    """Where it was loaded from (filled by the loader)."""


def load_agent_file(path: Path) -> AgentFile:
    """Read and validate one agent file; raises ScenarioError naming file and line."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        raise ScenarioError([Problem(str(path), 1, "", "missing the '---' YAML front matter")])
    try:
        _, head, body = text.split("---", 2)
    except ValueError:
        raise ScenarioError([Problem(str(path), 1, "", "front matter is not closed by '---'")]) from None
    try:
        meta = yaml.safe_load(head) or {}
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 1
        raise ScenarioError([Problem(str(path), line, "", f"invalid YAML: {exc}")]) from None
    if not isinstance(meta, dict):
        raise ScenarioError([Problem(str(path), 2, "", "front matter must be a mapping")])
    lines = {k: i + 2 for i, raw in enumerate(head.strip("\n").splitlines()) for k in [raw.split(":")[0].strip()]}
    for forbidden in ("prompt", "path"):
        if forbidden in meta:
            raise ScenarioError([Problem(str(path), lines.get(forbidden, 2), forbidden, "is not a front-matter key")])
    try:
        agent = AgentFile(**meta, prompt=body.strip(), path=str(path))
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            key = ".".join(str(p) for p in err["loc"])
            top = str(err["loc"][0]) if err["loc"] else ""
            problems.append(Problem(str(path), lines.get(top, 2), key, err["msg"]))
        raise ScenarioError(problems) from None
    problems = [
        Problem(str(path), lines.get("intervention_types", 2), "intervention_types", f"unknown type '{t}'")
        for t in check_types(agent.intervention_types)
    ]
    if not agent.prompt:
        problems.append(Problem(str(path), head.count("\n") + 2, "", "the prompt (the text after the front matter) is empty"))
    if problems:
        raise ScenarioError(problems)
    return agent


def resolve_agent_file(ref: str, kind: str, scenario_dir: Path, agent_dirs: list[Path]) -> Path | None:
    """Find `ref`: a path (relative to the scenario's folder) or a name under `agents/<kind>s/`."""
    if ref.endswith(".md") or "/" in ref:
        for p in (Path(ref), scenario_dir / ref, Path.cwd() / ref):
            if p.is_file():
                return p
        return None
    sub = "personas" if kind == "persona" else "strategies"
    for base in agent_dirs:
        p = base / sub / f"{ref}.md"
        if p.is_file():
            return p
    return None
