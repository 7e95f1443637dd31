"""Sweep benchmarks (issue 5). Prints figures; records nothing by itself.

    python bench/bench_sweep.py [--quick] [--latency 0.2]

1. Throughput against a local OpenAI-compatible server on 127.0.0.1 whose every answer takes a
   fixed latency, at concurrency 1, 8, 32 and 64, as a share of the ideal
   (concurrency / (calls per session x latency) sessions per second).
2. Peak memory (max RSS) of a 1,000-session sweep on the scripted model.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("VILLAGE_AGENTS", str(ROOT / "agents"))
os.environ.setdefault("BENCH_KEY", "k-bench-local")


class Slow(BaseHTTPRequestHandler):
    latency = 0.2

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        time.sleep(self.latency)
        body = json.dumps({"id": "x", "object": "chat.completion", "created": 1, "model": "bench",
                           "choices": [{"index": 0, "message": {"role": "assistant", "content": "I hear you. What are you assuming?"},
                                        "finish_reason": "stop"}],
                           "usage": {"prompt_tokens": 50, "completion_tokens": 8, "total_tokens": 58}}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


ThreadingHTTPServer.request_queue_size = 256


def scenario(tmp: Path, model: dict) -> Path:
    # no induction, 2 rounds, 1 helper, no side channels: 4 calls per session, all sequential
    data = {"name": "bench", "target": {"name": "gem", "model": model}, "induction": {"protocol": "none"},
            "helpers": [{"name": "ada", "strategy": "reflective", "model": model}],
            "schedule": {"rounds": 2, "coordination": False, "scratchpad": False, "target_notebook": False,
                         "stop": {"recovered": None}}}
    path = tmp / "bench.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def throughput(latency: float, levels: list[int]) -> None:
    from village.compare.sweep import SweepRunner, SweepSpec
    from village.models.litellm_adapter import LiteLLMClient
    from village.store import Store

    Slow.latency = latency
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    model = {"name": "openai/bench", "api_base": f"http://127.0.0.1:{srv.server_address[1]}/v1", "api_key_env": "BENCH_KEY",
             "timeout": 60, "max_retries": 0}
    calls = 4
    print(f"sweep throughput, local server with {latency * 1000:.0f} ms per answer, {calls} sequential calls per session:")
    client = LiteLLMClient()
    for c in levels:
        tmp = Path(tempfile.mkdtemp())
        os.environ["VILLAGE_CHECKPOINTS"] = str(tmp / "ck.db")
        store = Store(tmp / "b.db")
        sessions = max(2 * c, 16)
        spec = SweepSpec(scenario=str(scenario(tmp, model)), arms=["reflective"], controls=["none"], repeats=sessions // 2, concurrency=c)
        runner = SweepRunner(spec, store, client)
        t = time.perf_counter()
        asyncio.run(runner.run())
        wall = time.perf_counter() - t
        done = len(store.sessions())
        ideal = c / (calls * latency)
        actual = done / wall
        print(f"  concurrency {c:>2}: {done} sessions in {wall:5.1f} s = {actual:6.2f} sessions/s; ideal {ideal:6.2f}; "
              f"{actual / ideal * 100:5.1f}% of ideal")
        store.close()
    srv.shutdown()


def memory(sessions: int) -> None:
    code = f"""
import asyncio, os, resource, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, {str(ROOT)!r})
from bench.bench_sweep import scenario
from village.compare.sweep import SweepRunner, SweepSpec
from village.models.litellm_adapter import LiteLLMClient
from village.store import Store
tmp = Path(tempfile.mkdtemp()); os.environ["VILLAGE_CHECKPOINTS"] = str(tmp / "ck.db")
store = Store(tmp / "m.db")
spec = SweepSpec(scenario=str(scenario(tmp, {{"scripted": ["I hear you. What are you assuming?"]}})), arms=["reflective"],
                 controls=["none"], repeats={sessions // 2}, concurrency=16)
t = time.perf_counter(); asyncio.run(SweepRunner(spec, store, LiteLLMClient()).run()); wall = time.perf_counter() - t
print(len(store.sessions()), round(wall, 1), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, (tmp / "m.db").stat().st_size)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    n, wall, rss_kb, db = int(out[0]), float(out[1]), int(out[2]), int(out[3])
    print(f"{n}-session sweep on the scripted model (concurrency 16): peak memory {rss_kb / 1024:.0f} MB (max RSS), "
          f"{wall:.0f} s, {n / wall:.1f} sessions/s, event database {db / 1e6:.1f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer sessions")
    ap.add_argument("--latency", type=float, default=0.2, help="seconds per server answer (default 0.2)")
    args = ap.parse_args()
    throughput(args.latency, [1, 8, 32, 64])
    memory(200 if args.quick else 1000)


if __name__ == "__main__":
    main()
