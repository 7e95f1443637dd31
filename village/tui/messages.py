"""Messages the TUI's screens post and handle (tests assert on them with Pilot)."""

from __future__ import annotations

from textual.message import Message

from village.events import Event


class SessionStarted(Message):
    def __init__(self, session_id: str) -> None:
        self.session_id = session_id
        super().__init__()


class SessionEvent(Message):
    """An event was recorded by the running session."""

    def __init__(self, seq: int, event: Event) -> None:
        self.seq = seq
        self.event = event
        super().__init__()


class CallStarted(Message):
    """A model started generating."""

    def __init__(self, agent: str, purpose: str, model: str) -> None:
        self.agent, self.purpose, self.model = agent, purpose, model
        super().__init__()


class SessionFinished(Message):
    """The running session ended (completed, recovered, budget, error) or was cancelled."""

    def __init__(self, session_id: str | None, status: str) -> None:
        self.session_id = session_id
        self.status = status
        super().__init__()
