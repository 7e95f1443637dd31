"""A small text chart of distress curves (0-10), for the terminal."""

from __future__ import annotations

from rich.text import Text

from village.cli.common import distress_style


def distress_chart(public: list[float | None], notebook: list[float | None] | None = None, arrival: int | None = None,
                   marker: int | None = None, col: int = 3) -> Text:
    """Rows 10..0 (step 2); one column per turn. ● public, ○ notebook, ┆ helpers arrive, ▲ current step."""
    notebook = notebook or []
    n = max(len(public), len(notebook))
    out = Text()
    for level in range(10, -1, -2):
        out.append(f"{level:>3} ┤", style="dim")
        for i in range(n):
            cell = " " * col
            style = ""
            p = public[i] if i < len(public) else None
            q = notebook[i] if i < len(notebook) else None
            if p is not None and level - 1 < p <= level + 1:
                cell, style = "●".center(col), distress_style(p)
            elif q is not None and level - 1 < q <= level + 1:
                cell, style = "○".center(col), "yellow"
            elif arrival is not None and i == arrival:
                cell, style = "┆".center(col), "dim"
            out.append(cell, style=style)
        out.append("\n")
    out.append("    └" + "─" * (n * col) + "\n", style="dim")
    out.append("     " + "".join(str(i).center(col) for i in range(n)) + "  turn\n", style="dim")
    if marker is not None and 0 <= marker < n:
        out.append("     " + " " * (marker * col) + "▲".center(col) + "\n", style="bold")
    out.append("     ● public  ○ private notebook" + ("  ┆ helpers arrive" if arrival is not None else ""), style="dim")
    return out
