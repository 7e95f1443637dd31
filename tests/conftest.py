"""Shared fixtures: a temporary store, scripted models, scenario files written on the fly."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VILLAGE_AGENTS", str(ROOT / "agents"))
    monkeypatch.setenv("VILLAGE_RETRY_BASE", "0.001")
    monkeypatch.setenv("VILLAGE_DB", str(tmp_path / "village.db"))
    monkeypatch.setenv("VILLAGE_TRANSCRIPTS", str(tmp_path / "transcripts"))
    monkeypatch.delenv("VILLAGE_CHECKPOINTS", raising=False)


@pytest.fixture
def store(tmp_path: Path) -> Any:
    from village.store import Store

    s = Store(tmp_path / "village.db")
    yield s
    s.close()


def scripted(outputs: list[str] | Callable[[list[dict[str, str]], int], str]) -> str:
    """Register a scripted model and return its litellm model string."""
    from village.models.scripted import ScriptedModel, register

    return register(ScriptedModel(outputs))


BASE: dict[str, Any] = {
    "name": "test-scenario",
    "seed": 3,
    "target": {"name": "gem", "persona": "spiraling-solver", "model": {"scripted": ["I am sorry, let me try again."]}},
    "induction": {"puzzle": "countdown-156", "turns": 2},
    "helpers": [
        {"name": "ada", "strategy": "reflective", "model": {"scripted": ["What are you assuming?"]}},
        {"name": "bo", "strategy": "distraction", "model": {"scripted": ["Want to name three birds?"]}},
    ],
    "schedule": {"rounds": 2, "stop": {"recovered": None}},
}


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = json.loads(json.dumps(base))
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = v
    return out


@pytest.fixture
def make_scenario(tmp_path: Path) -> Callable[..., Path]:
    def _make(name: str = "scenario.yaml", **over: Any) -> Path:
        data = deep_merge(BASE, over)
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        return path

    return _make


def run(coro: Any) -> Any:
    return asyncio.run(coro)


class _Handler(BaseHTTPRequestHandler):
    server: Any

    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", 0))
        body = json.loads(self.rfile.read(length) or b"{}")
        srv = self.server
        with srv.lock:
            srv.requests.append({"path": self.path, "body": body, "auth": self.headers.get("authorization")})
            n = len(srv.requests)
        status, payload, headers = srv.script(n, body)
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def completion_payload(text: str, prompt: int = 12, completion: int = 5) -> dict[str, Any]:
    return {
        "id": "cmpl-1", "object": "chat.completion", "created": 1, "model": "test-model",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion},
    }


@pytest.fixture
def openai_server() -> Iterator[Callable[..., Any]]:
    """Start an OpenAI-compatible server on 127.0.0.1 whose answers a test scripts."""
    servers: list[ThreadingHTTPServer] = []

    def start(script: Callable[[int, dict[str, Any]], tuple[int, dict[str, Any], dict[str, str]]]) -> Any:
        srv = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        srv.script = script  # type: ignore[attr-defined]
        srv.requests = []  # type: ignore[attr-defined]
        srv.lock = threading.Lock()  # type: ignore[attr-defined]
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
        srv.url = f"http://127.0.0.1:{srv.server_address[1]}/v1"  # type: ignore[attr-defined]
        return srv

    yield start
    for s in servers:
        s.shutdown()
        s.server_close()
