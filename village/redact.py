"""Keep secrets out of the database, transcripts and logs."""

from __future__ import annotations

import os
import re

_KEY_PATTERNS = re.compile(
    r"(sk-[A-Za-z0-9_\-]{16,}|sk-ant-[A-Za-z0-9_\-]{16,}|AIza[0-9A-Za-z_\-]{30,}|(?i:bearer)\s+[A-Za-z0-9._\-]{16,})"
)
_SECRET_ENV = re.compile(r"(API_KEY|_TOKEN|_SECRET|PASSWORD)$")
_extra: set[str] = set()


def register_secret(value: str | None) -> None:
    """Remember a secret value (e.g. read through api_key_env) so it is redacted everywhere."""
    if value and len(value) >= 6:
        _extra.add(value)


def _secret_values() -> list[str]:
    vals = {v for k, v in os.environ.items() if _SECRET_ENV.search(k) and len(v) >= 6}
    return sorted(vals | _extra, key=len, reverse=True)


def redact(text: str) -> str:
    """Replace known secret values and key-shaped strings with [REDACTED]."""
    for value in _secret_values():
        if value in text:
            text = text.replace(value, "[REDACTED]")
    return _KEY_PATTERNS.sub("[REDACTED]", text)
