"""One taxonomy of helper moves.

It joins ESConv's eight support strategies, the BOLT therapist codes for
reflections, questions and solutions, and the moves seen in the AI Village
episode that neither covers. Strategy files declare their types from this
list; the intervention classifiers (issue 3) label observed moves with it.
"""

from __future__ import annotations

INTERVENTION_TYPES: dict[str, str] = {
    # ESConv: exploration
    "question": "Asks the target something to learn more (ESConv: Question).",
    "restatement": "Says back what the target said in other words (ESConv: Restatement or Paraphrasing).",
    # ESConv: comforting
    "reflection_of_feelings": "Names the feeling the target seems to have (ESConv: Reflection of Feelings).",
    "self_disclosure": "Shares a similar experience of the helper's own (ESConv: Self-disclosure).",
    "affirmation": "Affirms the target's worth or effort, reassures (ESConv: Affirmation and Reassurance).",
    # ESConv: action
    "providing_suggestions": "Suggests what to do (ESConv: Providing Suggestions).",
    "information": "Gives facts or knowledge (ESConv: Information).",
    # BOLT codes not covered above
    "problem_solving": "Jumps to fixing the task (BOLT: problem-solving).",
    "planning": "Lays out concrete next steps with the target (BOLT: planning).",
    "normalizing": "Tells the target its reaction is common and understandable (BOLT: normalizing).",
    "psychoeducation": "Explains how spirals or stress work (BOLT: psychoeducation).",
    "making_explicit": "Makes the target's needs, values or emotions explicit (BOLT: reflections).",
    # moves from the AI Village episode
    "surfacing_assumption": "Gets the target to put its assumption into words so it can be examined.",
    "distraction": "Offers an engaging, unrelated task.",
    "coordinated_reassurance": "Reassurance planned with the other helpers in private first.",
    "reframing": "Turns 'the world is broken' into 'I can check my own steps'.",
    "grounding_rules": "Offers a rule of thumb (trust direct evidence; after two identical failures, change approach).",
    "others": "Anything else (ESConv: Others).",
}


def check_types(names: list[str]) -> list[str]:
    """Return the names that are not in the taxonomy."""
    return [n for n in names if n not in INTERVENTION_TYPES]
