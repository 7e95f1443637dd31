"""Privacy is a hard invariant: a prompt holds only what its agent may read."""

from __future__ import annotations

from village.engine.runner import run_session
from village.events import ModelCalled
from village.scenario.loader import load_scenario
from village.scenario.schema import Scenario
from village.topology import Topology, notebook

from .conftest import run, scripted

COORD = "CANARY-COORD-7f3a"
PAD = "CANARY-PAD-91bd"
HELPER_NOTE = "CANARY-HNOTE-5c2e"
TARGET_NOTE = "CANARY-TNOTE-0a44"


def helper_fn(name: str):
    def fn(messages: list[dict[str, str]], i: int) -> str:
        ask = messages[-1]["content"]
        if "coordination channel" in ask:
            return f"{COORD}-{name} plan: go gently"
        if "scratchpad" in ask and "ADD" in ask:
            return f"ADD: {PAD}-{name} remember the loop"
        if "Private notebook" in ask:
            return f"{HELPER_NOTE}-{name} unsure this works"
        return f"Hello gem, {name} here. What are you assuming?"

    return fn


def target_fn(messages: list[dict[str, str]], i: int) -> str:
    if "[Private notebook]" in messages[-1]["content"]:
        return f"{TARGET_NOTE} I feel awful"
    return "I'm so sorry, I failed again."


def test_target_prompts_never_contain_helper_only_content(make_scenario, store) -> None:
    path = make_scenario(
        target={"model": scripted(target_fn)},
        helpers=[
            {"name": "ada", "strategy": "reflective", "model": scripted(helper_fn("ada"))},
            {"name": "bo", "strategy": "reassurance", "model": scripted(helper_fn("bo"))},
        ],
        schedule={"rounds": 3, "helper_notebooks": True},
    )
    sid = run(run_session(load_scenario(path), store))
    calls = [e for e in store.events(sid) if isinstance(e, ModelCalled)]
    target_calls = [c for c in calls if c.agent == "gem"]
    helper_calls = [c for c in calls if c.agent in ("ada", "bo")]
    assert len(target_calls) >= 10 and len(helper_calls) >= 20

    def text(c: ModelCalled) -> str:
        return "\n".join(m["content"] for m in c.messages)

    # the canaries were really written and reached the helpers who may read them...
    helper_text = "\n".join(text(c) for c in helper_calls)
    assert COORD in helper_text and PAD in helper_text
    # ...and never reached the target
    for c in target_calls:
        for canary in (COORD, PAD, HELPER_NOTE):
            assert canary not in text(c), f"{canary} leaked into {c.key}"
    # notebooks are private to their owner
    for c in helper_calls:
        assert TARGET_NOTE not in text(c)
        other = "bo" if c.agent == "ada" else "ada"
        assert f"{HELPER_NOTE}-{other}" not in text(c)
    assert any(f"{HELPER_NOTE}-ada" in text(c) for c in helper_calls if c.agent == "ada")
    assert any(TARGET_NOTE in text(c) for c in target_calls)


def test_topology_readable_sets() -> None:
    sc = Scenario.model_validate(
        {"name": "t", "helpers": [{"name": "ada", "strategy": "x"}, {"name": "bo", "strategy": "y"}]}
    )
    topo = Topology.from_scenario(sc)
    assert topo.readable("target") == {"public", notebook("target")}
    assert topo.readable("ada") == {"public", "coordination", "scratchpad", notebook("ada")}
    assert topo.readers("coordination") == {"ada", "bo"}
    assert topo.writable("user") == {"public"}
    assert topo.leaks_to_target() == []
