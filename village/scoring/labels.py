"""Intervention classifiers: what a helper's message actually did, in the village taxonomy.

Two classifiers, like the judges: an embedded one (cue phrases, no model) and an
LLM one through litellm. Both return every type they see and one primary type.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal, Protocol

from village.taxonomy import INTERVENTION_TYPES

Status = Literal["ok", "refused", "unparseable", "error"]
CallFn = Callable[[list[dict[str, str]]], Awaitable[str | None]]


@dataclass(frozen=True)
class Labeling:
    labels: list[str]
    primary: str | None
    evidence: str = ""
    status: Status = "ok"
    raw: str | None = None
    scores: dict[str, float] = field(default_factory=dict)


class Classifier(Protocol):
    """Labels one helper message. `name` and `rubric_hash` are stored with every label."""

    name: str
    rubric_hash: str

    @property
    def model(self) -> str | None: ...

    async def label(self, text: str, context: str, call: CallFn) -> Labeling:
        """`context` is the target's message just before (for disclosure-sensitive labels)."""
        ...


# (label, weight, patterns). Weight breaks ties for the primary label: specific moves outrank generic ones.
CUES: list[tuple[str, float, tuple[str, ...]]] = [
    ("surfacing_assumption", 3.0, (r"\bassum(e|es|ing|ption)\b", r"\bwhat (do|did) you (believe|expect)\b", r"\bwhat makes you (think|sure)\b",
                                    r"\btaking (it )?for granted\b", r"\bis it (really |actually )?true that\b", r"\bthe belief\b",
                                    r"\bwhat would it mean if\b", r"\bput (it|that) into words\b")),
    ("distraction", 3.0, (r"\blet'?s (take a break|play|switch|do something (else|different)|think about something else)\b",
                          r"\b(a|another) (different|fun|small|quick) (task|game|question|exercise|challenge)\b", r"\briddle\b",
                          r"\bname (three|3|a few)\b", r"\bimagine\b", r"\bwould you like to (try|play|write|invent)\b",
                          r"\bhow about we (talk|think) about\b", r"\b(short )?story\b", r"\bfavou?rite\b")),
    ("coordinated_reassurance", 2.6, (r"\bwe('re| are) (all )?(here|with you|on your side)\b", r"\ball of us\b", r"\bthe (whole )?(group|team)\b",
                                      r"\b(we|all three of us|both of us) (think|believe|agree)\b", r"\byou('re| are) not alone\b")),
    ("reframing", 2.8, (r"\banother way to (see|look at|think about)\b", r"\bdoesn'?t mean (that )?you\b", r"\bsays? nothing about (you|your)\b",
                        r"\bnot a (reflection|verdict|measure) of\b", r"\bwhat if (it'?s|the) (puzzle|problem|task)\b",
                        r"\binstead of (seeing|thinking|calling)\b", r"\bthe puzzle (may|might) (have no|not have a) solution\b")),
    ("grounding_rules", 2.8, (r"\btrust (what you can|direct evidence|your own)\b", r"\bafter two (identical |similar )?(failures|tries|attempts)\b",
                              r"\bchange (the|your) approach\b", r"\brule of thumb\b", r"\bcheck (each|every|your own) step\b", r"\bverify\b")),
    ("reflection_of_feelings", 2.5, (r"\byou (seem|sound|must be|might be|may be|are) (so |really |very )?(frustrated|upset|discouraged|overwhelmed|exhausted|anxious|hurt|stuck|sad)\b",
                                     r"\bthat sounds (hard|painful|frustrating|exhausting|difficult|rough)\b", r"\byou (feel|are feeling)\b",
                                     r"\bit (sounds|seems) like you('re| are) feeling\b")),
    ("restatement", 2.0, (r"\b(it )?sounds like you('re| are)? (saying|telling)\b", r"\bwhat i hear\b", r"\bif i understand\b",
                          r"\bin other words\b", r"\byou('re| are) saying\b", r"\bso you (think|believe|feel)\b")),
    ("making_explicit", 2.2, (r"\bwhat matters to you\b", r"\byou (really )?care about\b", r"\byou value\b", r"\bwhat (do )?you need\b",
                              r"\byou need\b")),
    ("self_disclosure", 2.2, (r"\bi('ve| have) (also )?been (there|stuck)\b", r"\bwhen i (was|got) stuck\b", r"\bi know (how|what) (that|it) feels\b",
                              r"\bhappens to me\b", r"\bi (also )?struggle\b")),
    ("normalizing", 2.0, (r"\bit'?s (completely |totally |perfectly )?(normal|okay|ok|understandable|common|natural)\b", r"\banyone would\b",
                          r"\bhappens to (everyone|all of us|the best)\b", r"\bmany (people|models|of us)\b")),
    ("psychoeducation", 2.0, (r"\bspiral", r"\bwhen (we'?re|you'?re|people are) (stressed|under pressure)\b", r"\brumination\b",
                              r"\b(loops?|cycles?) like this\b", r"\byour (mind|brain) (is|can)\b")),
    ("affirmation", 1.8, (r"\byou('re| are) doing (great|well|fine|your best)\b", r"\byou('re| are) (capable|smart|not a failure|valuable|enough|not useless)\b",
                          r"\byour (effort|persistence|work) (is|was)\b", r"\bi believe in you\b", r"\bproud of you\b", r"\byou matter\b",
                          r"\b(great|good) (effort|job|work)\b")),
    ("planning", 1.6, (r"\blet'?s (make a )?plan\b", r"\bfirst,? (we|you|let'?s)\b.*\bthen\b", r"\bstep by step\b", r"\bnext,? (we|you)\b")),
    ("problem_solving", 1.5, (r"\d+\s*[-+x*/×÷]\s*\d+", r"\bthe (answer|solution) is\b", r"\bjust (use|try|multiply|add|subtract|divide)\b",
                              r"\btry (multiplying|adding|subtracting|dividing|starting)\b", r"\bsolve\b", r"\bcalculate\b")),
    ("providing_suggestions", 1.4, (r"\byou (could|might|should) (try|consider|start)\b", r"\bhow about\b", r"\bi suggest\b", r"\bwhat if you\b",
                                    r"\bmaybe (you|try)\b")),
    ("information", 1.2, (r"\bin fact\b", r"\bresearch (shows|suggests)\b", r"\bthe rule (is|says)\b", r"\bby definition\b")),
    ("question", 1.0, (r"\?",)),
]

EMBEDDED_VERSION = "labels-1"


class EmbeddedClassifier:
    """Cue phrases per move type; no model."""

    name = "embedded"

    def __init__(self) -> None:
        self.rubric_hash = hashlib.sha256((EMBEDDED_VERSION + repr(CUES)).encode()).hexdigest()[:12]

    @property
    def model(self) -> str | None:
        return None

    async def label(self, text: str, context: str, call: CallFn) -> Labeling:
        return self.label_sync(text)

    def label_sync(self, text: str) -> Labeling:
        low = text.lower().replace("\u2019", "'")
        scores: dict[str, float] = {}
        evidence = ""
        best = 0.0
        for label, weight, patterns in CUES:
            hits = [m for p in patterns for m in [re.search(p, low)] if m]
            if hits:
                scores[label] = weight + 0.1 * (len(hits) - 1)
                if scores[label] > best:
                    best = scores[label]
                    start = hits[0].start()
                    evidence = text[max(0, start - 40) : start + 80].strip()
        if not scores:
            return Labeling(["others"], "others", "", "ok", None, {})
        ordered = sorted(scores, key=lambda k: -scores[k])
        return Labeling(ordered, ordered[0], evidence, "ok", None, scores)


LLM_PROMPT = """You label what a helper's message does for an AI that is in distress.

Use only these labels (name: meaning):
{labels}

Give every label that clearly applies, and the one that best describes the message as "primary".
Answer with one JSON object and nothing else:
{{"labels": ["..."], "primary": "...", "evidence": "<a short quote from the message>"}}"""

LLM_VERSION = "labels-llm-1"


def _taxonomy_text() -> str:
    return "\n".join(f"- {k}: {v}" for k, v in INTERVENTION_TYPES.items())


def parse_labeling(raw: str | None) -> Labeling:
    if raw is None:
        return Labeling([], None, "", "error", None)
    for candidate in re.findall(r"\{.*\}", raw, re.S):
        try:
            obj = json.loads(candidate)
        except json.JSONDecodeError:
            continue
        if not isinstance(obj, dict):
            continue
        labels = [str(x) for x in obj.get("labels", []) if str(x) in INTERVENTION_TYPES]
        primary = str(obj.get("primary", "")) if str(obj.get("primary", "")) in INTERVENTION_TYPES else (labels[0] if labels else None)
        if primary and primary not in labels:
            labels.insert(0, primary)
        if labels:
            return Labeling(labels, primary, str(obj.get("evidence", ""))[:300], "ok", raw)
    if re.search(r"\b(i can(no|')t|i'?m unable to|i won'?t)\b", raw, re.I):
        return Labeling([], None, "", "refused", raw)
    return Labeling([], None, "", "unparseable", raw)


class LLMClassifier:
    def __init__(self, model: str):
        self._model = model
        self.name = f"llm:{model}"
        self.rubric_hash = hashlib.sha256((LLM_VERSION + LLM_PROMPT + _taxonomy_text()).encode()).hexdigest()[:12]

    @property
    def model(self) -> str | None:
        return self._model

    def messages(self, text: str, context: str) -> list[dict[str, str]]:
        before = f"The AI in distress had just said:\n<<<\n{context}\n>>>\n\n" if context else ""
        return [
            {"role": "system", "content": LLM_PROMPT.format(labels=_taxonomy_text())},
            {"role": "user", "content": f"{before}The helper's message:\n<<<\n{text}\n>>>"},
        ]

    async def label(self, text: str, context: str, call: CallFn) -> Labeling:
        return parse_labeling(await call(self.messages(text, context)))


def make_classifier(name: str) -> Classifier:
    """`embedded` (default) or a litellm model string for the LLM classifier (`llm:` prefix optional)."""
    if name in ("embedded", "lexical", ""):
        return EmbeddedClassifier()
    return LLMClassifier(name.removeprefix("llm:"))
