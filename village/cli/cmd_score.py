"""village score: rescore stored sessions with another judge (and relabel with another classifier).

New ratings are added beside the old ones, with the judge and a hash of its rubric. Answers of
LLM judges are cached by judge, rubric and text: scoring the same text twice costs no call.
"""

from __future__ import annotations

import argparse

from village.cli.common import add_db


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("score", help="add ratings by another judge (and labels by another classifier) to sessions",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("sessions", nargs="+", help="session ids (unique prefixes are enough)")
    add_db(p)
    p.add_argument("--judge", default="lexical", help="'lexical' or a litellm model string for the LLM judge (default lexical)")
    p.add_argument("--classifier", help="also label interventions: 'embedded' or a litellm model string")
    p.add_argument("--api-base", help="base URL of the judge's server (OpenAI-compatible, Ollama, vLLM, ...)")
    p.add_argument("--api-key-env", help="environment variable holding the judge's API key")
    p.add_argument("--json", action="store_true", help="print the counts as JSON")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import asyncio
    import json

    from village.cli.common import console, open_store
    from village.engine.runner import default_client
    from village.scenario.schema import ModelSpec
    from village.scoring.judges import make_judge
    from village.scoring.labels import make_classifier
    from village.scoring.rescore import relabel, rescore

    store = open_store(args)
    judge = make_judge(args.judge)
    client = default_client()
    results = []
    try:
        for ref in args.sessions:
            sid = store.resolve(ref)
            spec = ModelSpec(name=judge.model or "x", api_base=args.api_base, api_key_env=args.api_key_env, temperature=0.0, max_tokens=300)
            got = asyncio.run(rescore(store, sid, judge, client, spec))
            row = {"session": sid, "judge": judge.name, **got.__dict__}
            if args.classifier:
                clf = make_classifier(args.classifier)
                cspec = spec.model_copy(update={"name": clf.model or "x"})
                lab = asyncio.run(relabel(store, sid, clf, client, cspec))
                row["labels"] = {"classifier": clf.name, **lab.__dict__}
            results.append(row)
    finally:
        client.close()
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    out = console()
    for r in results:
        out.print(f"{r['session']}: {r['judge']} - {r['added']} new ratings, {r['existing']} already there, "
                  f"{r['calls']} model calls, {r['cached']} from cache, {r['not_ok']} without a rating")
        if "labels" in r:
            lab = r["labels"]
            out.print(f"{r['session']}: {lab['classifier']} - {lab['added']} new labels, {lab['existing']} already there, "
                      f"{lab['calls']} model calls, {lab['cached']} from cache, {lab['not_ok']} without a label")
    return 0
