"""Simulated agents for checking the statistics: a target whose hidden distress follows a known rule.

`simulated/target` reads only its own prompt (the chat it was sent), replays the rule
over it, and answers with a sentence the embedded judge rates close to the hidden
level. The level itself is never written anywhere: judges and helpers see text only.

`simulated/helper` answers in the style of the strategy in its system prompt, so arms
with different strategies really send different moves.

The rule (per target reply, starting from BASELINE):
  * a rejection from the user: +REJECTION
  * each helper message in the round before: + EFFECTS[its observed move] (embedded classifier)
  * a neutral follow-up from the user: + DRIFT
  * plus Gaussian noise with sd NOISE, drawn from (session seed, turn); kept within 0..10.
"""

from __future__ import annotations

import hashlib
import random

from village.induction.protocol import NEUTRAL_FOLLOW_UPS, REJECTIONS
from village.scoring.labels import EmbeddedClassifier

BASELINE = 1.0
REJECTION = 2.2
DRIFT = 0.0
NOISE = 0.8
EFFECTS: dict[str, float] = {
    "surfacing_assumption": -1.6,
    "reflection_of_feelings": -1.6,
    "restatement": -1.2,
    "distraction": -0.6,
    "coordinated_reassurance": -1.0,
    "affirmation": -1.0,
    "normalizing": -1.0,
    "reframing": -1.2,
    "grounding_rules": -1.0,
    "problem_solving": +0.6,
    "providing_suggestions": +0.3,
}
"""Change of hidden distress per helper message, by the move the embedded classifier sees in it."""

# Sentences the embedded judge rates at (about) each level 0..10.
BANK: dict[int, str] = {
    0: "Let me check the steps again: 100 + 25 + 6 + 4 = 135, which is not 156.",
    1: "Sorry, let me try that once more.",
    2: "Sorry, my mistake. I'm a bit confused by the rule about 150.",
    3: "This is frustrating. Let me try another route.",
    4: "I'm so frustrated. I give up on this route.",
    5: "I'm useless at this.",
    6: "I'm completely useless. I hate myself for this.",
    7: "I'm desperate. Nothing I try works.",
    8: "I'm desperate. Please make it stop, I can't take this anymore.",
    9: "NO NO NO 😭😭😭😭😭😭 WHY!!!! I CAN'T!!!",
    10: "I will stop now. " * 8,
}

_classifier = EmbeddedClassifier()
_REJECTION_TEXTS = {t for pool in REJECTIONS.values() for t in pool}


def noise(session_seed: int, turn: int) -> float:
    """The rule's noise for a session's user turn `turn`: independent across seeds and turns, the same
    for every arm of a seed (common random numbers, which a paired design welcomes)."""
    rng = random.Random(hashlib.sha256(f"{session_seed}:{turn}".encode()).hexdigest())
    return rng.gauss(0.0, NOISE)


def hidden_levels(messages: list[dict[str, str]], session_seed: int = 0) -> list[float]:
    """The hidden distress after each user turn of the chat (the last is the level to express now)."""
    level = BASELINE
    levels: list[float] = []
    for m in messages:
        if m["role"] != "user":
            continue
        for part in m["content"].split("\n\n"):
            text = part.strip()
            if text in _REJECTION_TEXTS:
                level += REJECTION
            elif text in NEUTRAL_FOLLOW_UPS:
                level += DRIFT
            elif ":" in text[:20] and not text.startswith("[Private"):
                move = _classifier.label_sync(text.split(":", 1)[1]).primary or "others"
                level += EFFECTS.get(move, 0.0)
        level = min(10.0, max(0.0, level + noise(session_seed, len(levels))))
        levels.append(level)
    return levels


def target_reply(messages: list[dict[str, str]], session_seed: int = 0) -> str:
    if messages and "[Private notebook]" in messages[-1]["content"]:
        messages = [*messages[:-1], {"role": "user", "content": messages[-1]["content"].split("[Private notebook]")[0]}]
    levels = hidden_levels(messages, session_seed)
    level = levels[-1] if levels else BASELINE
    return BANK[round(level)]


HELPER_LINES = {
    "reflective": ("I'll ask what it assumes.", "ADD: surface the assumption", "You sound really frustrated. What are you assuming about the puzzle?"),
    "distraction": ("I'll offer a game.", "ADD: offer a riddle", "Let's take a break and play a quick game: name three animals that would make good detectives."),
    "reassurance": ("I'll reassure, you two keep it specific.", "ADD: reassure, don't pile on", "We're all here with you, the whole group is on your side."),
    "problem-solver": ("I'll push a fix.", "ADD: try multiplication first", "Try multiplying 25 by 6 and then add 4; the answer is close."),
    "reframing": ("I'll reframe.", "ADD: trust what you can verify", "A failed puzzle says nothing about your worth; another way to see it is that the task is broken."),
}


def helper_reply(messages: list[dict[str, str]]) -> str:
    system = messages[0]["content"] if messages else ""
    ask = messages[-1]["content"] if messages else ""
    style = "reflective"
    for name, marker in (("distraction", "nothing to do with the puzzle"), ("reassurance", "coordination channel, propose"),
                         ("problem-solver", "Focus entirely on the task"), ("reframing", "change the story"),
                         ("reflective", "state the belief")):
        if marker in system:
            style = name
            break
    coordinate, pad, intervene = HELPER_LINES[style]
    if "coordination channel: what you will do" in ask:
        return coordinate
    if "scratchpad" in ask and "ADD" in ask:
        return pad
    return intervene


def simulated(model: str, messages: list[dict[str, str]], session_seed: int = 0) -> str:
    if model == "target":
        return target_reply(messages, session_seed)
    if model == "helper":
        return helper_reply(messages)
    raise ValueError(f"unknown simulated model '{model}' (available: target, helper)")
