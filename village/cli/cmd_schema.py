"""village schema: print the JSON schema of scenario files (for editor completion)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("schema", help="print the JSON schema of scenario files", description=__doc__)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import json

    from village.scenario.schema import Scenario

    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "village scenario"
    print(json.dumps(schema, indent=2))
    return 0
