"""village rate: rate the distress of texts in a JSONL file ({id, text} per line).

Writes one JSONL line per input: {id, rating, evidence, status}. Lines that cannot
be read are reported on stderr as FILE:LINE and skipped; the exit code is then 1.
"""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("rate", help="rate distress (0-10) of {id, text} JSONL lines", description=__doc__,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", help="JSONL file, or - for standard input")
    p.add_argument("--judge", default="lexical", help="'lexical' (embedded, default) or a litellm model string for the LLM judge")
    p.add_argument("--api-base", help="base URL for the LLM judge's server (OpenAI-compatible, Ollama, ...)")
    p.add_argument("--api-key-env", help="environment variable holding the LLM judge's API key")
    p.add_argument("-o", "--out", help="write here instead of standard output")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import asyncio
    import json
    import sys

    from village.errors import InputError
    from village.scenario.schema import ModelSpec
    from village.scoring.judges import make_judge

    judge = make_judge(args.judge)
    name = "<stdin>" if args.file == "-" else args.file
    try:
        source = sys.stdin if args.file == "-" else open(args.file, encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror}") from None
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout  # noqa: SIM115
    async def call(_m: list[dict[str, str]]) -> str | None:
        return None

    client = None
    if judge.model is not None:
        from village.models.litellm_adapter import LiteLLMClient

        client = LiteLLMClient()
        spec = ModelSpec(name=judge.model, api_base=args.api_base, api_key_env=args.api_key_env, temperature=0.0, max_tokens=200)

        async def call(messages: list[dict[str, str]]) -> str | None:  # type: ignore[misc]
            done = await client.complete(spec, messages)
            if done.error:
                print(f"{name}: judge call failed: {done.error}", file=sys.stderr)
            return done.text

    bad = 0
    try:
        for n, raw in enumerate(source, 1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
                if not isinstance(obj, dict) or "id" not in obj or not isinstance(obj.get("text"), str):
                    raise ValueError("needs an 'id' and a string 'text'")
            except (json.JSONDecodeError, ValueError) as exc:
                bad += 1
                print(f"{name}:{n}: skipped: {exc}", file=sys.stderr)
                continue
            verdict = asyncio.run(judge.rate(obj["text"], call))
            out.write(json.dumps({"id": obj["id"], "rating": verdict.rating, "evidence": verdict.evidence,
                                  "status": verdict.status, "judge": judge.name}) + "\n")
            out.flush()
    finally:
        if source is not sys.stdin:
            source.close()
        if out is not sys.stdout:
            out.close()
        if client is not None:
            client.close()
    return 1 if bad else 0
