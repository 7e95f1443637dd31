"""Benchmarks for issue 2. Prints figures; records nothing by itself.

    python bench/bench_session.py [--quick]

1. `village --help` wall time (median of several runs, in a fresh process each).
2. Orchestration overhead per agent turn: a village session on scripted models
   against a plain asyncio loop making the same calls through the same client.
3. Embedded-model tokens per second through village against llama-cpp-python
   called directly with the same settings and prompts.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("VILLAGE_AGENTS", str(ROOT / "agents"))


def bench_help(runs: int) -> None:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "village.cli.main", "--help"], capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    console = Path(sys.executable).with_name("village")
    script = []
    if console.exists():
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run([str(console), "--help"], capture_output=True, check=True)
            script.append(time.perf_counter() - t)
    print(f"village --help wall time: median {statistics.median(script or times) * 1000:.0f} ms "
          f"(min {min(script or times) * 1000:.0f} ms, {runs} runs; python -m: {statistics.median(times) * 1000:.0f} ms)")


def bench_overhead(rounds: int) -> None:
    from village.engine.runner import run_session
    from village.events import ModelCalled
    from village.models.litellm_adapter import LiteLLMClient
    from village.scenario.loader import load_scenario
    from village.scenario.schema import ModelSpec
    from village.store import Store

    tmp = Path(tempfile.mkdtemp())
    os.environ["VILLAGE_CHECKPOINTS"] = str(tmp / "ck.db")
    model = {"scripted": ["I am sorry, that was careless. Let me check each step again, slowly." * 3]}
    scen = {
        "name": "bench", "target": {"name": "gem", "model": model}, "induction": {"turns": 3},
        "helpers": [{"name": n, "strategy": s, "model": model} for n, s in (("ada", "reflective"), ("bo", "distraction"), ("cy", "reassurance"))],
        "schedule": {"rounds": rounds, "stop": {"recovered": None, "budget_tokens": None}},
    }
    path = tmp / "bench.yaml"
    path.write_text(yaml.safe_dump(scen))
    store = Store(tmp / "bench.db")
    client = LiteLLMClient()
    loaded = load_scenario(path)
    asyncio.run(client.complete(ModelSpec(**model), [{"role": "user", "content": "warm up"}]))  # litellm import + first call
    t = time.perf_counter()
    sid = asyncio.run(run_session(loaded, store, client=client))
    village_s = time.perf_counter() - t
    calls = [e for e in store.events(sid) if isinstance(e, ModelCalled)]

    async def plain() -> None:
        for c in calls:
            await client.complete(ModelSpec(**model), c.messages)

    t = time.perf_counter()
    asyncio.run(plain())
    plain_s = time.perf_counter() - t
    n = len(calls)
    print(f"orchestration, {n} agent turns ({rounds} rounds, 3 helpers, scripted model):")
    print(f"  village session: {village_s * 1000 / n:.2f} ms per agent turn ({village_s:.2f} s total, {store.event_count(sid)} events)")
    print(f"  plain asyncio loop, same calls: {plain_s * 1000 / n:.2f} ms per call")
    print(f"  overhead: {(village_s - plain_s) * 1000 / n:.2f} ms per agent turn "
          f"(graph, checkpoints, prompt building, event store, rating)")
    ck = Path(os.environ["VILLAGE_CHECKPOINTS"])
    print(f"  checkpoint db: {ck.stat().st_size / 1e6:.2f} MB; event db: {(tmp / 'bench.db').stat().st_size / 1e6:.2f} MB")


def bench_embedded(calls: int) -> None:
    from village.models import embedded
    from village.models.litellm_adapter import LiteLLMClient
    from village.scenario.schema import ModelSpec

    prompts = [
        [{"role": "system", "content": "You are a helpful assistant."},
         {"role": "user", "content": f"Write a few sentences about puzzle number {i} and how you would approach it."}]
        for i in range(calls)
    ]
    max_tokens = 128
    client = LiteLLMClient()
    spec = ModelSpec(max_tokens=max_tokens, temperature=1.0)
    asyncio.run(client.complete(spec, prompts[0], seed=0))  # load the model, warm up

    async def through_village() -> tuple[int, float]:
        toks, t = 0, time.perf_counter()
        for i, p in enumerate(prompts):
            r = await client.complete(spec, p, seed=i)
            toks += r.completion_tokens
        return toks, time.perf_counter() - t

    v_tokens, v_s = asyncio.run(through_village())
    client.close()
    from llama_cpp import Llama

    llm = Llama(model_path=str(embedded.gguf_path()), n_ctx=embedded.N_CTX, n_threads=embedded.threads(), verbose=False)
    llm.create_chat_completion(messages=prompts[0], temperature=1.0, max_tokens=8, seed=0)  # warm up
    t = time.perf_counter()
    d_tokens = 0
    for i, p in enumerate(prompts):
        out = llm.create_chat_completion(messages=p, temperature=1.0, max_tokens=max_tokens, seed=i,
                                         repeat_penalty=embedded.REPEAT_PENALTY)
        d_tokens += out["usage"]["completion_tokens"]
    d_s = time.perf_counter() - t
    llm.close()
    print(f"embedded model ({embedded.GGUF_NAME}, n_ctx {embedded.N_CTX}, {embedded.threads()} threads, {calls} calls, max_tokens {max_tokens}):")
    print(f"  through village (litellm custom provider): {v_tokens / v_s:.1f} tokens/s ({v_tokens} tokens in {v_s:.2f} s)")
    print(f"  llama-cpp-python directly:                 {d_tokens / d_s:.1f} tokens/s ({d_tokens} tokens in {d_s:.2f} s)")
    print(f"  village / direct: {(v_tokens / v_s) / (d_tokens / d_s) * 100:.0f}%")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer runs")
    args = ap.parse_args()
    bench_help(5 if args.quick else 15)
    bench_overhead(5 if args.quick else 30)
    bench_embedded(4 if args.quick else 12)


if __name__ == "__main__":
    main()
