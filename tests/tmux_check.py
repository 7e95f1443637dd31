"""Drive the real TUI in tmux: send keys, read the captured screen, check what a user would see.

    python tests/tmux_check.py            # exits 0 when every check holds, 1 with the screen otherwise

Run in CI through tests/test_tmux.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("VILLAGE_AGENTS", str(ROOT / "agents"))

from tests.tui_fixtures import fixed_store, write_scenarios  # noqa: E402

SESSION = f"village-check-{os.getpid()}"


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def screen() -> str:
    return tmux("capture-pane", "-p", "-t", SESSION)


def wait_for(text: str, timeout: float = 60.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = screen()
        if text in shown:
            return shown
        time.sleep(0.2)
    raise AssertionError(f"did not see {text!r} within {timeout}s; the screen was:\n{screen()}")


def keys(*k: str) -> None:
    for key in k:
        tmux("send-keys", "-t", SESSION, key)
        time.sleep(0.15)


def main() -> int:
    if shutil.which("tmux") is None:
        print("tmux is not installed", file=sys.stderr)
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="village-tmux-"))
    scen = write_scenarios(tmp / "scenarios")
    db = tmp / "tui.db"
    fixed_store(db, scen).close()
    village = Path(sys.executable).with_name("village")
    cmd = f"cd {tmp} && VILLAGE_AGENTS={ROOT / 'agents'} {village} tui --db {db} --scenarios {scen}; echo VILLAGE-EXITED; sleep 5"
    tmux("new-session", "-d", "-s", SESSION, "-x", "80", "-y", "24", cmd)
    try:
        s = wait_for("scripted-demo")
        assert "✗" in s and "✓" in s, f"validation marks are missing:\n{s}"
        keys("Down")
        wait_for("ada: reflective")
        keys("r")
        s = wait_for("completed", timeout=90)
        assert "public room" in s and "gem:" in s, s
        keys("Escape", "l")
        wait_for("a1b2c3d4e5f6")
        keys("Enter")
        s = wait_for("seen by everything")
        keys("Home")
        wait_for("step 1/")
        keys("p")
        wait_for("seen by gem")
        keys("?")
        wait_for("Sessions: / filter")
        keys("Escape", "Escape", "Escape", "q")
        wait_for("VILLAGE-EXITED", timeout=15)
        print("tmux check: ok")
        return 0
    except AssertionError as exc:
        print(exc, file=sys.stderr)
        return 1
    finally:
        tmux("kill-session", "-t", SESSION)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
