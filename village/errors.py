"""Every error village raises on purpose derives from :class:`VillageError`.

The CLI catches ``VillageError`` and prints its ``str()``: the first line must
say what went wrong and where, without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


class VillageError(Exception):
    """Base class of every error village raises deliberately."""


@dataclass(frozen=True)
class Problem:
    """One problem found in a scenario or agent file."""

    file: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        key = f" {self.key}:" if self.key else ""
        return f"{self.file}:{self.line}:{key} {self.message}"


class ScenarioError(VillageError):
    """A scenario (or an agent file it names) is invalid. Holds every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ModelError(VillageError):
    """A model call failed for good (after retries), or a model name cannot be resolved."""


class BudgetExceeded(VillageError):
    """The session's token budget is spent."""


class SessionNotFound(VillageError):
    """No session with that id in the store."""


class StoreError(VillageError):
    """The database cannot be opened or is not a village database."""


class InputError(VillageError):
    """Bad input to a command (a JSONL line, a --set override, ...)."""
