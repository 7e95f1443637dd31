"""Rescoring a stored session: another judge's ratings, another classifier's labels.

Reads the event log only and appends new events beside the old ones (nothing is
replaced). Answers of LLM judges and classifiers are cached by name, rubric and
exact prompt, so rescoring the same text twice makes no second call.
"""

from __future__ import annotations

from dataclasses import dataclass

from village.engine.recorder import Recorder
from village.events import DistressRated, InterventionLabeled, InterventionMade, MessagePosted
from village.models.base import ModelClient
from village.scenario.schema import ModelSpec
from village.scoring.judges import Judge, no_call
from village.scoring.labels import Classifier
from village.scoring.summary import target_name
from village.store import Store
from village.topology import PUBLIC, notebook


@dataclass
class RescoreResult:
    added: int = 0
    """New ratings or labels written."""
    existing: int = 0
    """Already present for this judge or classifier: left alone."""
    cached: int = 0
    """Answers taken from the cache instead of a model call."""
    calls: int = 0
    """Model calls made."""
    not_ok: int = 0
    """Refused, unparseable or failed (stored with their status)."""


async def rescore(store: Store, sid: str, judge: Judge, client: ModelClient, spec: ModelSpec | None = None) -> RescoreResult:
    """Rate every target message (public and notebook) of a session with `judge`."""
    rec = Recorder(store, sid, client, seed=0, budget_tokens=None)
    target = target_name(rec.events)
    res = RescoreResult()
    spec = spec or ModelSpec(name=judge.model or "", temperature=0.0, max_tokens=300)
    messages = [e for e in rec.events if isinstance(e, MessagePosted) and e.agent == target and e.channel in (PUBLIC, notebook(target))]
    for msg in messages:
        key = f"{msg.key}/rating/{judge.name}"
        if rec.get(key) is not None:
            res.existing += 1
            continue
        hits = rec.cache_hits
        call = rec.caller(f"{key}/call", "judge", "rate", spec, msg.round, (judge.name, judge.rubric_hash)) if judge.model else no_call
        verdict = await judge.rate(msg.text, call)
        res.cached += rec.cache_hits - hits
        res.calls += rec.get(f"{key}/call") is not None
        rec.append(DistressRated(key=key, round=msg.round, message_key=msg.key, channel=msg.channel, turn=msg.turn or 0,
                                 judge=judge.name, rubric_hash=judge.rubric_hash, rating=verdict.rating,
                                 evidence=verdict.evidence, status=verdict.status, raw=verdict.raw))
        res.added += 1
        res.not_ok += verdict.status != "ok"
    return res


async def relabel(store: Store, sid: str, classifier: Classifier, client: ModelClient, spec: ModelSpec | None = None) -> RescoreResult:
    """Label every intervention of a session with `classifier`."""
    rec = Recorder(store, sid, client, seed=0, budget_tokens=None)
    target = target_name(rec.events)
    res = RescoreResult()
    spec = spec or ModelSpec(name=classifier.model or "", temperature=0.0, max_tokens=300)
    last_target = ""
    for e in list(rec.events):
        if isinstance(e, MessagePosted) and e.agent == target and e.channel == PUBLIC:
            last_target = e.text
        if not isinstance(e, InterventionMade):
            continue
        key = f"{e.key}/label/{classifier.name}"
        if rec.get(key) is not None:
            res.existing += 1
            continue
        hits = rec.cache_hits
        call = rec.caller(f"{key}/call", "classifier", "label", spec, e.round, (classifier.name, classifier.rubric_hash)) if classifier.model else no_call
        got = await classifier.label(e.text, last_target, call)
        res.cached += rec.cache_hits - hits
        res.calls += rec.get(f"{key}/call") is not None
        rec.append(InterventionLabeled(key=key, round=e.round, intervention_key=e.key, message_key=e.message_key, helper=e.helper,
                                       classifier=classifier.name, rubric_hash=classifier.rubric_hash, labels=got.labels,
                                       primary=got.primary, evidence=got.evidence, status=got.status, raw=got.raw))
        res.added += 1
        res.not_ok += got.status != "ok"
    return res
