"""The help screen: what village's TUI does and its keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# village

**Scenarios** (home): `↑/↓` choose a scenario, `enter` or `r` start it (fill in seed or models first to
override them), `l` stored sessions, `f5` reload the folder.

**Live**: the public room on the left; the helpers' coordination channel, the shared scratchpad, the
target's private notebook and the intervention log (declared types in cyan, observed types in yellow)
on the right; the distress curve and tokens, cost and time at the bottom. `c` cancels the session
cleanly (it is kept, marked cancelled, and can be resumed); `o` opens its replay.

**Sessions**: `/` filter by scenario, strategy, status or date; `enter` replay; `space` mark;
`c` compare the marked sessions; `R` resume a cancelled or interrupted session.

**Replay**: `→`/`n` step, `←`/`b` back, `pgup`/`pgdn` ten steps, `home`/`end`, `t` jump to a target
turn, click the timeline to scrub. `p` switches perspective: everything, only what the target could
read, or only what one helper could read; the *prompt* tab then shows the exact messages that agent
was last sent. The ▲ under the chart marks the current step.

**Everywhere**: `?` this help, `ctrl+t` light/dark theme, `ctrl+p` command palette, `escape` back, `q` quit.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(HELP)
