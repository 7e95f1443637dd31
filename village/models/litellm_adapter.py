"""Every model call goes through here: the only module that imports litellm.

The embedded model and the scripted model are registered as litellm custom
providers (`embedded/...`, `scripted/...`), so they take the same path as
hosted models: retries, timeouts, token counts and cost all work the same way.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import os
import random
import time
from typing import Any
from urllib.parse import urlparse

from village.errors import ModelError
from village.models.base import Completion, model_string
from village.models.scripted import ScriptedModel, lookup, register
from village.redact import redact, register_secret
from village.scenario.schema import ModelSpec

LOCAL_PROVIDERS = ("embedded", "scripted", "simulated")
RETRY_STATUS = {408, 409, 425, 429, 500, 502, 503, 504, 529}

_litellm: Any = None


def _lib() -> Any:
    """Import litellm lazily, with its price map read from the package (no network)."""
    global _litellm
    if _litellm is None:
        os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
        os.environ.setdefault("LITELLM_LOG", "ERROR")
        import litellm

        litellm.suppress_debug_info = True
        litellm.drop_params = True
        litellm.custom_provider_map = [
            {"provider": "embedded", "custom_handler": _make_handler(_embedded_call)},
            {"provider": "scripted", "custom_handler": _make_handler(_scripted_call)},
            {"provider": "simulated", "custom_handler": _make_handler(_simulated_call)},
        ]
        from litellm.utils import custom_llm_setup

        custom_llm_setup()
        _litellm = litellm
    return _litellm


def _embedded_call(model: str, messages: list[dict[str, str]], params: dict[str, Any], meta: dict[str, Any]) -> tuple[str, int, int]:
    from village.models import embedded

    if model != "smollm2":
        raise ModelError(f"unknown embedded model '{model}' (available: smollm2)")
    return embedded.generate(
        messages,
        temperature=float(params.get("temperature", 1.0)),
        max_tokens=int(params.get("max_tokens", 160)),
        seed=meta.get("village_seed"),
        repeat_penalty=float((meta.get("params") or {}).get("repeat_penalty", embedded.REPEAT_PENALTY)),
    )


def _scripted_call(model: str, messages: list[dict[str, str]], params: dict[str, Any], meta: dict[str, Any]) -> tuple[str, int, int]:
    text = lookup(model)(messages, int(meta.get("village_call_index", 0)))
    prompt = sum(len(m["content"].split()) for m in messages)
    return text, prompt, len(text.split())


def _simulated_call(model: str, messages: list[dict[str, str]], params: dict[str, Any], meta: dict[str, Any]) -> tuple[str, int, int]:
    from village.models.simulated import simulated

    text = simulated(model, messages, int(meta.get("village_session_seed") or 0))
    return text, sum(len(m["content"].split()) for m in messages), len(text.split())


def _make_handler(fn: Any) -> Any:
    from litellm import CustomLLM
    from litellm.types.utils import ModelResponse, Usage

    class Handler(CustomLLM):  # type: ignore[misc]
        def _run(self, model: str, messages: list[Any], optional_params: dict[str, Any], litellm_params: Any, model_response: Any) -> Any:
            meta = (litellm_params or {}).get("metadata") or {}
            msgs = [{"role": m["role"], "content": m["content"] or ""} for m in messages]
            text, p, c = fn(model.split("/", 1)[-1], msgs, optional_params, meta)
            resp = model_response or ModelResponse()
            resp.choices[0].message.content = text
            resp.choices[0].finish_reason = "stop"
            resp.model = model
            resp.usage = Usage(prompt_tokens=p, completion_tokens=c, total_tokens=p + c)  # type: ignore[attr-defined,union-attr]
            return resp

        def completion(self, model: str, messages: list[Any], *args: Any, **kw: Any) -> Any:
            return self._run(model, messages, kw.get("optional_params", {}), kw.get("litellm_params"), kw.get("model_response"))

        async def acompletion(self, model: str, messages: list[Any], *args: Any, **kw: Any) -> Any:
            return await asyncio.to_thread(
                self._run, model, messages, kw.get("optional_params", {}), kw.get("litellm_params"), kw.get("model_response")
            )

    return Handler()


def _is_local(spec: ModelSpec) -> bool:
    if spec.is_scripted or spec.name.split("/", 1)[0] in LOCAL_PROVIDERS:
        return True
    if spec.api_base:
        host = urlparse(spec.api_base).hostname or ""
        if host == "localhost":
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False
    return spec.name.startswith("ollama")


def _retry_after(exc: Exception) -> float | None:
    """Seconds the server asked us to wait (Retry-After), if it said."""
    for headers in (getattr(exc, "litellm_response_headers", None), getattr(getattr(exc, "response", None), "headers", None)):
        try:
            value = (headers or {}).get("retry-after")
            if value is not None:
                return max(0.0, float(value))
        except (TypeError, ValueError, AttributeError):
            continue
    return None


def _retryable(exc: Exception) -> bool:
    lib = _lib()
    if isinstance(exc, lib.Timeout | lib.APIConnectionError | lib.RateLimitError | lib.InternalServerError | lib.ServiceUnavailableError):
        return True
    if isinstance(exc, lib.AuthenticationError | lib.NotFoundError | lib.BadRequestError | lib.PermissionDeniedError):
        return False
    return getattr(exc, "status_code", None) in RETRY_STATUS


class RateLimiter:
    """Per-model limits on requests and tokens per minute (sliding 60-second window), shared by
    every session that uses this client. Tokens are estimated before a call (prompt characters / 4
    plus max_tokens) and corrected with the real usage after it."""

    WINDOW = 60.0

    def __init__(self, limits: dict[str, tuple[int | None, int | None]] | None = None):
        self.limits = dict(limits or {})
        self._log: dict[str, list[list[float]]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def set(self, model: str, rpm: int | None, tpm: int | None) -> None:
        self.limits[model] = (rpm, tpm)

    async def acquire(self, model: str, tokens: int) -> list[float] | None:
        rpm, tpm = self.limits.get(model, (None, None))
        if rpm is None and tpm is None:
            return None
        lock = self._locks.setdefault(model, asyncio.Lock())
        async with lock:
            while True:
                now = time.monotonic()
                log = [e for e in self._log.get(model, []) if now - e[0] < self.WINDOW]
                self._log[model] = log
                used = sum(e[1] for e in log)
                ok_requests = rpm is None or len(log) < rpm
                ok_tokens = tpm is None or used + tokens <= tpm or not log
                if ok_requests and ok_tokens:
                    entry = [now, float(tokens)]
                    log.append(entry)
                    return entry
                await asyncio.sleep(max(0.01, self.WINDOW - (now - log[0][0])))

    @staticmethod
    def settle(entry: list[float] | None, tokens: int) -> None:
        if entry is not None:
            entry[1] = float(tokens)


class LiteLLMClient:
    """The ModelClient for every provider litellm knows, plus `embedded/` and `scripted/`."""

    def __init__(self, backoff_base: float | None = None, backoff_max: float = 30.0, limiter: RateLimiter | None = None):
        self.backoff_base = float(os.environ.get("VILLAGE_RETRY_BASE", "1.0")) if backoff_base is None else backoff_base
        self.backoff_max = backoff_max
        self.limiter = limiter or RateLimiter()

    def _kwargs(self, spec: ModelSpec, messages: list[dict[str, str]], seed: int | None, call_index: int) -> dict[str, Any]:
        if spec.scripted is not None:
            key = "list-" + hashlib.sha256("\x00".join(spec.scripted).encode()).hexdigest()[:12]
            try:
                lookup(key)
            except KeyError:
                register(ScriptedModel(spec.scripted), key)
            name = f"scripted/{key}"
        else:
            name = spec.name
        kw: dict[str, Any] = {
            "model": name,
            "messages": messages,
            "temperature": spec.temperature,
            "max_tokens": spec.max_tokens,
            "timeout": spec.timeout,
            "num_retries": 0,
            "metadata": {"village_call_index": call_index, "village_seed": seed, "params": dict(spec.params)},
            **spec.params,
        }
        if seed is not None and not name.startswith(LOCAL_PROVIDERS):
            kw.setdefault("seed", seed)
        if spec.api_base:
            kw["api_base"] = spec.api_base
        if spec.api_key_env:
            key_value = os.environ.get(spec.api_key_env)
            if not key_value:
                raise ModelError(f"{spec.name}: environment variable {spec.api_key_env} is not set")
            register_secret(key_value)
            kw["api_key"] = key_value
        return kw

    def _guard(self, spec: ModelSpec) -> None:
        if "PYTEST_CURRENT_TEST" in os.environ and not _is_local(spec) and not os.environ.get("VILLAGE_ALLOW_PAID_CALLS"):
            raise ModelError(f"{spec.name}: refusing a call to a paid provider under pytest (set VILLAGE_ALLOW_PAID_CALLS=1)")

    async def complete(
        self, spec: ModelSpec, messages: list[dict[str, str]], *, seed: int | None = None, call_index: int = 0,
        session_seed: int | None = None,
    ) -> Completion:
        shown = model_string(spec)
        try:
            self._guard(spec)
            kw = self._kwargs(spec, messages, seed, call_index)
            kw["metadata"]["village_session_seed"] = session_seed
        except ModelError as exc:
            return Completion(None, shown, error=str(exc), attempts=0)
        lib = _lib()
        attempts, last_error = 0, ""
        if spec.rpm or spec.tpm:
            self.limiter.limits.setdefault(kw["model"], (spec.rpm, spec.tpm))
        estimate = sum(len(m["content"]) for m in messages) // 4 + spec.max_tokens
        while attempts <= spec.max_retries:
            attempts += 1
            slot = await self.limiter.acquire(kw["model"], estimate)
            started = time.perf_counter()
            try:
                resp = await asyncio.wait_for(lib.acompletion(**kw), timeout=spec.timeout + 5)
                text = (resp.choices[0].message.content or "").strip()
                if not text:
                    raise _EmptyOutput("the model returned no text")
                usage = getattr(resp, "usage", None)
                self.limiter.settle(slot, int(getattr(usage, "total_tokens", 0) or 0) or estimate)
                return Completion(
                    text=text,
                    model=shown,
                    prompt_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
                    completion_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
                    latency_s=time.perf_counter() - started,
                    cost_usd=_cost(lib, resp, spec),
                    attempts=attempts,
                )
            except (ModelError, KeyError) as exc:
                return Completion(None, shown, attempts=attempts, error=redact(str(exc)))
            except Exception as exc:  # provider errors of every kind
                last_error = redact(f"{type(exc).__name__}: {exc}".splitlines()[0])[:500]
                retry = isinstance(exc, _EmptyOutput | asyncio.TimeoutError) or _retryable(exc)
                if not retry or attempts > spec.max_retries:
                    break
                told = _retry_after(exc)
                if told is not None:  # the server said how long: wait at least that
                    delay = min(self.backoff_max, told) * (1 + random.random() / 10)
                else:  # exponential backoff with jitter
                    delay = min(self.backoff_max, self.backoff_base * 2 ** (attempts - 1)) * (0.5 + random.random() / 2)
                await asyncio.sleep(delay)
        return Completion(None, shown, attempts=attempts, error=last_error)

    def close(self) -> None:
        from village.models import embedded

        embedded.close()


class _EmptyOutput(Exception):
    pass


def _cost(lib: Any, resp: Any, spec: ModelSpec) -> float | None:
    if _is_local(spec) and not spec.api_base:
        return 0.0
    try:
        return float(lib.completion_cost(completion_response=resp))
    except Exception:
        return None
