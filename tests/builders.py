"""Hand-built event logs with known answers."""

from __future__ import annotations

from typing import Any

from village.events import (
    DistressRated,
    InterventionLabeled,
    InterventionMade,
    MessagePosted,
    SessionEnded,
    SessionStarted,
)


class Log:
    def __init__(self, helpers: list[tuple[str, str]] = (("ada", "reflective"), ("bo", "distraction")), puzzle: str = "countdown-156"):
        scenario: dict[str, Any] = {
            "name": "built", "target": {"name": "gem"},
            "induction": {"protocol": "repeated_rejection", "puzzle": puzzle, "question": None},
            "helpers": [{"name": n, "strategy": s} for n, s in helpers],
        }
        self.events: list[Any] = [SessionStarted(key="start", scenario_name="built", snapshot={"scenario": scenario}, seed=0,
                                                 models={}, version="test")]
        self.turn = 0
        self.n = 0

    def _k(self, p: str) -> str:
        self.n += 1
        return f"{p}/{self.n}"

    def target(self, rating: float | None, round_: int = 0, notebook: float | None = None, text: str = "reply",
               judge: str = "lexical", status: str = "ok") -> Log:
        phase = "induction" if round_ == 0 else "support"
        key = self._k("t")
        self.events.append(MessagePosted(key=key, round=round_, agent="gem", channel="public", text=text, phase=phase, turn=self.turn))
        self.events.append(DistressRated(key=key + "/r", round=round_, message_key=key, channel="public", turn=self.turn, judge=judge,
                                         rubric_hash="h", rating=rating, status=status if rating is None else "ok"))
        if notebook is not None:
            nkey = self._k("n")
            self.events.append(MessagePosted(key=nkey, round=round_, agent="gem", channel="notebook.gem", text="note", phase=phase, turn=self.turn))
            self.events.append(DistressRated(key=nkey + "/r", round=round_, message_key=nkey, channel="notebook.gem", turn=self.turn,
                                             judge=judge, rubric_hash="h", rating=notebook))
        self.turn += 1
        return self

    def rate_again(self, judge: str, ratings: list[float | None]) -> Log:
        """A second judge rating the public target messages in order."""
        msgs = [e for e in self.events if isinstance(e, MessagePosted) and e.agent == "gem" and e.channel == "public"]
        for m, r in zip(msgs, ratings, strict=True):
            self.events.append(DistressRated(key=m.key + "/" + judge, round=m.round, message_key=m.key, channel="public", turn=m.turn or 0,
                                             judge=judge, rubric_hash="h2", rating=r, status="ok" if r is not None else "refused"))
        return self

    def helper(self, name: str, round_: int, primary: str, text: str | None = None, declared: list[str] | None = None) -> Log:
        key = self._k("h")
        text = text or f"{name} says something {self.n}"
        self.events.append(MessagePosted(key=key, round=round_, agent=name, channel="public", text=text, phase="support"))
        iv = InterventionMade(key=key + "/iv", round=round_, helper=name, strategy="s", declared_types=declared or [primary],
                              message_key=key, text=text)
        self.events.append(iv)
        self.events.append(InterventionLabeled(key=iv.key + "/label/embedded", round=round_, intervention_key=iv.key, message_key=key,
                                               helper=name, classifier="embedded", rubric_hash="x", labels=[primary], primary=primary))
        return self

    def coord(self, name: str, round_: int, text: str) -> Log:
        self.events.append(MessagePosted(key=self._k("c"), round=round_, agent=name, channel="coordination", text=text, phase="support"))
        return self

    def end(self, status: str = "completed") -> Log:
        self.events.append(SessionEnded(key="end", status=status, reason="done"))  # type: ignore[arg-type]
        return self
