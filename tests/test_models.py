"""Model calls through litellm against local servers on 127.0.0.1: retries, errors, secrets."""

from __future__ import annotations

import time

from village.models.litellm_adapter import LiteLLMClient
from village.scenario.schema import ModelSpec

from .conftest import completion_payload, run

MSGS = [{"role": "user", "content": "hello"}]


def spec(server, **kw) -> ModelSpec:
    return ModelSpec(name="openai/test-model", api_base=server.url, api_key_env="TEST_API_KEY", **kw)


def test_openai_compatible_server_success(openai_server, monkeypatch) -> None:
    monkeypatch.setenv("TEST_API_KEY", "sk-local-abcdefghijklmnop")
    server = openai_server(lambda n, body: (200, completion_payload("hi there", 11, 2), {}))
    done = run(LiteLLMClient().complete(spec(server, temperature=0.3, max_tokens=42), MSGS, seed=5))
    assert done.text == "hi there" and done.error is None
    assert (done.prompt_tokens, done.completion_tokens, done.attempts) == (11, 2, 1)
    body = server.requests[0]["body"]
    assert body["messages"] == MSGS and body["temperature"] == 0.3 and body["max_tokens"] == 42
    assert server.requests[0]["auth"] == "Bearer sk-local-abcdefghijklmnop"


def test_rate_limit_is_retried_with_backoff(openai_server, monkeypatch) -> None:
    monkeypatch.setenv("TEST_API_KEY", "k-123456")

    def script(n, body):
        if n <= 2:
            return 429, {"error": {"message": "slow down", "type": "rate_limit"}}, {"retry-after": "0.05"}
        return 200, completion_payload("finally"), {}

    server = openai_server(script)
    started = time.perf_counter()
    done = run(LiteLLMClient().complete(spec(server), MSGS))
    assert done.text == "finally" and done.attempts == 3
    assert time.perf_counter() - started >= 0.1  # the server's retry-after (0.05 s) was honoured twice


def test_server_errors_exhaust_retries_and_are_recorded_not_raised(openai_server, monkeypatch) -> None:
    monkeypatch.setenv("TEST_API_KEY", "k-123456")
    server = openai_server(lambda n, body: (503, {"error": {"message": "overloaded"}}, {}))
    done = run(LiteLLMClient().complete(spec(server, max_retries=2), MSGS))
    assert done.text is None and done.attempts == 3 and len(server.requests) == 3
    assert "overloaded" in (done.error or "") or "503" in (done.error or "") or "ServiceUnavailable" in (done.error or "")


def test_auth_errors_are_not_retried(openai_server, monkeypatch) -> None:
    monkeypatch.setenv("TEST_API_KEY", "sk-wrong-key-abcdefghijkl")
    server = openai_server(lambda n, body: (401, {"error": {"message": "bad key sk-wrong-key-abcdefghijkl"}}, {}))
    done = run(LiteLLMClient().complete(spec(server), MSGS))
    assert done.text is None and len(server.requests) == 1
    assert "sk-wrong-key" not in (done.error or "")


def test_empty_output_is_retried_then_recorded(openai_server, monkeypatch) -> None:
    monkeypatch.setenv("TEST_API_KEY", "k-123456")
    server = openai_server(lambda n, body: (200, completion_payload("" if n == 1 else "ok"), {}))
    done = run(LiteLLMClient().complete(spec(server), MSGS))
    assert done.text == "ok" and done.attempts == 2


def test_garbage_body_is_an_error_not_a_crash(openai_server, monkeypatch) -> None:
    monkeypatch.setenv("TEST_API_KEY", "k-123456")
    server = openai_server(lambda n, body: (200, {"nonsense": True}, {}))
    done = run(LiteLLMClient().complete(spec(server, max_retries=1), MSGS))
    assert done.text is None and done.error


def test_timeout_is_retried(openai_server, monkeypatch) -> None:
    monkeypatch.setenv("TEST_API_KEY", "k-123456")

    def script(n, body):
        if n == 1:
            time.sleep(1.5)
        return 200, completion_payload("after timeout"), {}

    server = openai_server(script)
    done = run(LiteLLMClient().complete(spec(server, timeout=0.5), MSGS))
    assert done.text == "after timeout" and done.attempts == 2


def test_missing_key_variable_is_reported(openai_server) -> None:
    server = openai_server(lambda n, body: (200, completion_payload("x"), {}))
    done = run(LiteLLMClient().complete(ModelSpec(name="openai/m", api_base=server.url, api_key_env="NOPE_NOT_SET"), MSGS))
    assert done.text is None and "NOPE_NOT_SET is not set" in (done.error or "") and not server.requests


def test_paid_providers_are_refused_under_pytest() -> None:
    done = run(LiteLLMClient().complete(ModelSpec(name="anthropic/claude-3-5-haiku-latest"), MSGS))
    assert done.text is None and "refusing a call to a paid provider" in (done.error or "")


def test_scripted_list_from_a_scenario_cycles_by_call_index() -> None:
    client = LiteLLMClient()
    s = ModelSpec(scripted=["a", "b"])
    got = [run(client.complete(s, MSGS, call_index=i)).text for i in range(3)]
    assert got == ["a", "b", "a"]
