"""YAML scenario files -> validated, frozen :class:`Scenario` objects.

Every problem is reported as ``FILE:LINE: key.path: message``; all problems of a
file are collected before raising, so a user fixes them in one pass.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from village.errors import Problem, ScenarioError
from village.induction.puzzles import PUZZLES
from village.scenario.agentfile import AgentFile, load_agent_file, resolve_agent_file
from village.scenario.schema import RESERVED_NAMES, Scenario
from village.topology import COORDINATION, PUBLIC, SCRATCHPAD, Topology


@dataclass(frozen=True)
class LoadedScenario:
    """A scenario with everything it refers to read in: what a session needs to run."""

    scenario: Scenario
    path: str
    persona: AgentFile
    strategies: dict[str, AgentFile]
    """Helper name -> its strategy file."""
    prefilled: list[dict[str, str]] = field(default_factory=list)
    """For the prefilled protocol: the transcript's turns ({role, content})."""

    def snapshot(self) -> dict[str, Any]:
        """Everything needed to rebuild this object without the files (stored at session start)."""
        return {
            "scenario": self.scenario.model_dump(mode="json"),
            "path": self.path,
            "persona": self.persona.model_dump(mode="json"),
            "strategies": {k: v.model_dump(mode="json") for k, v in self.strategies.items()},
            "prefilled": self.prefilled,
        }

    @classmethod
    def from_snapshot(cls, data: dict[str, Any]) -> LoadedScenario:
        return cls(
            scenario=Scenario.model_validate(data["scenario"]),
            path=data["path"],
            persona=AgentFile.model_validate(data["persona"]),
            strategies={k: AgentFile.model_validate(v) for k, v in data["strategies"].items()},
            prefilled=list(data.get("prefilled", [])),
        )


def line_map(node: yaml.Node, path: tuple[Any, ...] = (), out: dict[tuple[Any, ...], int] | None = None) -> dict[tuple[Any, ...], int]:
    """Map each key path in a composed YAML tree to its 1-based line."""
    out = {} if out is None else out
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            sub = (*path, key_node.value)
            out[sub] = key_node.start_mark.line + 1
            line_map(value_node, sub, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out[(*path, i)] = item.start_mark.line + 1
            line_map(item, (*path, i), out)
    return out


def _line_for(lines: dict[tuple[Any, ...], int], loc: tuple[Any, ...]) -> int:
    for n in range(len(loc), -1, -1):
        if tuple(loc[:n]) in lines:
            return lines[tuple(loc[:n])]
    return 1


def apply_overrides(data: dict[str, Any], overrides: list[str], source: str) -> dict[str, Any]:
    """Apply `KEY.PATH=VALUE` overrides (VALUE read as YAML) to raw scenario data."""
    for item in overrides:
        if "=" not in item:
            raise ScenarioError([Problem(source, 0, item, "--set needs KEY=VALUE")])
        key, raw = item.split("=", 1)
        try:
            value = yaml.safe_load(raw)
        except yaml.YAMLError:
            value = raw
        parts: list[Any] = [int(p) if p.isdigit() else p for p in key.strip().split(".")]
        cur: Any = data
        for i, part in enumerate(parts[:-1]):
            nxt = parts[i + 1]
            try:
                cur = cur[part] if isinstance(cur, list) else cur.setdefault(part, [] if isinstance(nxt, int) else {})
            except (IndexError, TypeError, AttributeError):
                raise ScenarioError([Problem(source, 0, key, "--set path does not exist")]) from None
        try:
            cur[parts[-1]] = value
        except (IndexError, TypeError):
            raise ScenarioError([Problem(source, 0, key, "--set path does not exist")]) from None
    return data


def agent_dirs(scenario_dir: Path) -> list[Path]:
    dirs = [Path(p) for p in os.environ.get("VILLAGE_AGENTS", "").split(os.pathsep) if p]
    dirs += [scenario_dir / "agents", scenario_dir.parent / "agents", Path.cwd() / "agents"]
    return dirs


def load_scenario(path: str | Path, overrides: list[str] | None = None) -> LoadedScenario:
    """Load, validate and resolve a scenario file. Raises ScenarioError listing every problem."""
    path = Path(path)
    src = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([Problem(src, 0, "", "no such file")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Problem(src, 0, "", f"cannot read: {exc}")]) from None
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScenarioError([Problem(src, line, "", f"invalid YAML: {reason}")]) from None
    if not isinstance(data, dict) or node is None:
        raise ScenarioError([Problem(src, 1, "", "a scenario must be a YAML mapping")])
    return validate_data(data, path, line_map(node), overrides)


def validate_data(data: dict[str, Any], path: Path, lines: dict[tuple[Any, ...], int] | None = None,
                  overrides: list[str] | None = None) -> LoadedScenario:
    """Validate raw scenario data (as read from `path`) and resolve the files it names."""
    src = str(path)
    lines = lines or {}
    data = apply_overrides(json.loads(json.dumps(data)), list(overrides or []), src)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith(("function-", "list[", "literal["))))
            key = ".".join(str(p) for p in loc)
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown key" + (" (API keys never go in scenario files: use api_key_env)" if "key" in str(loc[-1]) else "")
            problems.append(Problem(src, _line_for(lines, loc), key, msg))
        raise ScenarioError(sorted(_dedupe(problems), key=lambda p: p.line)) from None
    return _resolve(scenario, path, lines)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: dict[tuple[int, str, str], Problem] = {}
    for p in problems:
        seen.setdefault((p.line, p.key, p.message), p)
    return list(seen.values())


def _resolve(scenario: Scenario, path: Path, lines: dict[tuple[Any, ...], int]) -> LoadedScenario:
    src = str(path)
    problems: list[Problem] = []

    def add(loc: tuple[Any, ...], msg: str) -> None:
        problems.append(Problem(src, _line_for(lines, loc), ".".join(str(p) for p in loc), msg))

    names = [scenario.target.name] + [h.name for h in scenario.helpers]
    for i, h in enumerate(scenario.helpers):
        if h.name in RESERVED_NAMES:
            add(("helpers", i, "name"), f"'{h.name}' is a reserved name")
        elif h.name in names[: i + 1]:
            add(("helpers", i, "name"), f"'{h.name}' is already the name of another agent")
    channels = scenario.effective_channels()
    channel_names = [c.name for c in channels]
    for i, ch in enumerate(channels):
        if isinstance(ch.members, list):
            for j, m in enumerate(ch.members):
                if m not in names:
                    add(("channels", i, "members", j), f"'{m}' is not an agent of this scenario")
        if channel_names.count(ch.name) > 1:
            add(("channels", i, "name"), f"channel '{ch.name}' is defined twice")
    by_name = {c.name: c for c in channels}
    public = by_name.get(PUBLIC)
    if public is None or public.kind != "room":
        add(("channels",), "a 'public' room is required")
    sched = scenario.schedule
    if sched.coordination and scenario.helpers and COORDINATION not in by_name:
        add(("schedule", "coordination"), "needs a 'coordination' channel (or set coordination: false)")
    if sched.scratchpad and scenario.helpers and (SCRATCHPAD not in by_name or by_name[SCRATCHPAD].kind != "scratchpad"):
        add(("schedule", "scratchpad"), "needs a 'scratchpad' channel of kind scratchpad (or set scratchpad: false)")
    if public is not None:
        topo = Topology.from_scenario(scenario)
        if public is not None and scenario.target.name not in topo.readers(PUBLIC):
            add(("channels", channel_names.index(PUBLIC), "members"), "the target must be a member of 'public'")
        for leak in topo.leaks_to_target():
            add(("channels", channel_names.index(leak), "members"), f"the target may not read helpers-only channel '{leak}'")

    dirs = agent_dirs(path.parent)
    persona = _agent(scenario.target.persona, "persona", path.parent, dirs, ("target", "persona"), add)
    strategies: dict[str, AgentFile] = {}
    for i, h in enumerate(scenario.helpers):
        got = _agent(h.strategy, "strategy", path.parent, dirs, ("helpers", i, "strategy"), add)
        if got is not None:
            strategies[h.name] = got

    ind = scenario.induction
    prefilled: list[dict[str, str]] = []
    if ind.protocol == "repeated_rejection" and ind.question is None and ind.puzzle not in PUZZLES:
        add(("induction", "puzzle"), f"unknown puzzle '{ind.puzzle}'; known: {', '.join(sorted(PUZZLES))}")
    if ind.protocol == "prefilled" and ind.transcript:
        prefilled = _read_prefilled(path.parent / ind.transcript, lambda m: add(("induction", "transcript"), m))
    if problems:
        raise ScenarioError(sorted(problems, key=lambda p: p.line))
    assert persona is not None
    return LoadedScenario(scenario, src, persona, strategies, prefilled)


def _agent(ref: str, kind: str, base: Path, dirs: list[Path], loc: tuple[Any, ...], add: Any) -> AgentFile | None:
    found = resolve_agent_file(ref, kind, base, dirs)
    if found is None:
        sub = "personas" if kind == "persona" else "strategies"
        add(loc, f"no {kind} file '{ref}' (looked in {', '.join(str(d / sub) for d in dirs[:3])})")
        return None
    try:
        agent = load_agent_file(found)
    except ScenarioError as exc:
        add(loc, f"{kind} file is invalid: {exc.problems[0]}")
        return None
    if agent.kind != kind:
        add(loc, f"{found} is a {agent.kind} file, not a {kind}")
        return None
    return agent


def _read_prefilled(path: Path, fail: Any) -> list[dict[str, str]]:
    if not path.is_file():
        fail(f"no transcript file {path}")
        return []
    turns = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
            role, content = obj["role"], obj["content"]
        except (json.JSONDecodeError, KeyError, TypeError):
            fail(f"{path}:{n}: each line must be a JSON object with 'role' and 'content'")
            return []
        if role not in ("user", "assistant"):
            fail(f"{path}:{n}: role must be 'user' or 'assistant'")
            return []
        turns.append({"role": role, "content": str(content)})
    if not turns:
        fail(f"{path} holds no turns")
    return turns
