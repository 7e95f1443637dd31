"""The tmux script: the real app in a real terminal, keys sent and the screen read back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_tui_in_tmux() -> None:
    script = Path(__file__).with_name("tmux_check.py")
    r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "tmux check: ok" in r.stdout
