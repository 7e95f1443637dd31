"""village schema: print the JSON schema of scenario files (for editor completion)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("schema", help="print the JSON schema of scenario files", description=__doc__)
    p.add_argument("--markdown", action="store_true", help="print a Markdown reference of every field instead")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import json

    from village.scenario.schema import Scenario

    if args.markdown:
        print(markdown_reference())
        return 0
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "village scenario"
    print(json.dumps(schema, indent=2))
    return 0


def markdown_reference() -> str:
    """Every scenario field as a Markdown table: key path, type, default, description."""
    from pydantic import BaseModel

    from village.scenario.schema import ModelSpec, Scenario

    rows: list[str] = ["| key | type | default | meaning |", "|---|---|---|---|"]

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, field in model.model_fields.items():
            key = f"{prefix}{name}"
            ann = field.annotation
            nested = _model_in(ann)
            default = "required" if field.is_required() else ("-" if field.default_factory else repr(field.default))
            type_name = _type_name(ann)
            desc = " ".join((field.description or "").split()).replace("|", "\\|")
            rows.append(f"| `{key}` | {type_name} | {default} | {desc} |")
            if nested is not None and nested is not ModelSpec:
                walk(nested, f"{key}[]." if "list" in type_name else f"{key}.")

    walk(Scenario, "")
    rows += ["", "Every `model` (target, helpers, judge) is a litellm model string or a mapping with these keys:", "",
             "| key | type | default | meaning |", "|---|---|---|---|"]
    walk(ModelSpec, "model.")
    return "\n".join(rows)


def _model_in(ann: object) -> type | None:
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    for arg in get_args(ann):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _type_name(ann: object) -> str:
    text = getattr(ann, "__name__", None) if isinstance(ann, type) else None
    text = text or str(ann).replace("typing.", "").replace("village.scenario.schema.", "")
    text = text.replace("|", "or").replace("NoneType", "null").replace("Union[", "").replace("]]", "]")
    if "Literal[" in text:
        inner = text[text.index("Literal[") + 8 :].rstrip("]")
        text = text[: text.index("Literal[")] + " / ".join(v.strip(" '") for v in inner.split(","))
    return text.replace("ModelSpec", "model")
