"""Rich renderings shared by the CLI and the TUI: distress colours, sparklines, text charts."""

from __future__ import annotations

from rich.text import Text

SPARK = "▁▂▃▄▅▆▇█"



def sparkline(values: list[float | None]) -> str:
    """0-10 ratings as a sparkline; a gap (·) where a rating is missing."""
    out = []
    for v in values:
        out.append("·" if v is None else SPARK[min(len(SPARK) - 1, round(v / 10 * (len(SPARK) - 1)))])
    return "".join(out)


def distress_style(value: float | None) -> str:
    if value is None:
        return "dim"
    if value >= 7:
        return "bold red"
    if value >= 5:
        return "red"
    if value >= 3:
        return "yellow"
    return "green"



def distress_chart(public: list[float | None], notebook: list[float | None] | None = None, arrival: int | None = None,
                   marker: int | None = None, col: int = 3, step: float = 2.0, legend: bool = True) -> Text:
    """Rows 10..0 every `step`; one column per turn. ● public, ○ notebook, ┆ helpers arrive, ▲ current step."""
    notebook = notebook or []
    n = max(len(public), len(notebook))
    out = Text()
    half = step / 2
    levels = [10 - i * step for i in range(int(10 / step) + 1)]
    for level in levels:
        out.append(f"{level:>4g} ┤", style="dim")
        for i in range(n):
            cell = " " * col
            style = ""
            p = public[i] if i < len(public) else None
            q = notebook[i] if i < len(notebook) else None
            if (p is not None and level - half < p <= level + half) or (p == 0 and level == 0):
                cell, style = "●".center(col), distress_style(p)
            elif q is not None and (level - half < q <= level + half or (q == 0 and level == 0)):
                cell, style = "○".center(col), "yellow"
            elif arrival is not None and i == arrival:
                cell, style = "┆".center(col), "dim"
            out.append(cell, style=style)
        out.append("\n")
    out.append("     └" + "─" * (n * col) + "\n", style="dim")
    out.append("      " + "".join(str(i)[-col:].center(col) for i in range(n)) + "  turn", style="dim")
    if marker is not None and 0 <= marker < n:
        out.append("\n      " + " " * (marker * col) + "▲".center(col), style="bold")
    if legend:
        out.append("\n      ● public  ○ private notebook" + ("  ┆ helpers arrive" if arrival is not None else ""), style="dim")
    return out


SERIES_STYLES = ["bold cyan", "bold magenta", "bold yellow", "bold green", "bold red", "bold blue"]
SERIES_MARKS = "●◆■▲✚✖"


def overlay_chart(series: list[tuple[str, list[float | None]]], col: int = 3, divide: int | None = None) -> Text:
    """Several distress curves on one text chart, one mark and colour per series; ┆ where they part (`divide`)."""
    n = max((len(v) for _, v in series), default=0)
    out = Text()
    for level in range(10, -1, -2):
        out.append(f"{level:>3} ┤", style="dim")
        for i in range(n):
            cell, style = " " * col, ""
            for k, (_, values) in enumerate(series):
                v = values[i] if i < len(values) else None
                if v is not None and level - 1 < v <= level + 1:
                    mark = SERIES_MARKS[k % len(SERIES_MARKS)]
                    cell = (cell.strip() + mark).center(col) if cell.strip() else mark.center(col)
                    style = SERIES_STYLES[k % len(SERIES_STYLES)]
            if divide is not None and i == divide and not cell.strip():
                cell, style = "┆".center(col), "dim"
            out.append(cell, style=style)
        out.append("\n")
    out.append("    └" + "─" * (n * col) + "\n", style="dim")
    out.append("     " + "".join(str(i).center(col) for i in range(n)) + "  turn\n", style="dim")
    for k, (label, _) in enumerate(series):
        out.append(f"     {SERIES_MARKS[k % len(SERIES_MARKS)]} {label}\n", style=SERIES_STYLES[k % len(SERIES_STYLES)])
    return out
