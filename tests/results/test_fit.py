"""results/fit.py: a table reads at any width. Where it fits it is printed as a table; where it does not, a block per
row, and in both no line passes the width and no figure is cut or split."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from rich.table import Table

from results.fit import fit

FIGURES = ["-$0.0029 [-$0.0032, -$0.0025]", "27.8", "0.11", "cheaper (0.64× $/task); more retries (27.8 vs 0.0 /100 calls)"]


def _table() -> Table:
    t = Table(title="providers of glm-5.2")
    for col in ("provider", "Δ $/task [95% CI]", "retries /100", "latency p50 s", "verdict"):
        t.add_column(col)
    t.add_row("fireworks:accounts/fireworks/models/glm-5p2", *FIGURES)
    t.add_row("zai:glm-5.2", "reference", "0.0", "0.06", "")
    return t


@pytest.mark.parametrize("width", [60, 80, 100, 120, 200])
def test_no_line_passes_the_width_and_every_figure_is_whole(width):
    buf = io.StringIO()
    console = Console(file=buf, width=width, emoji=False, markup=False)
    console.print(fit(_table(), console))
    text = buf.getvalue()
    assert max(len(line) for line in text.splitlines()) <= width, text
    stacked = width < 200
    assert ("┃" not in text) is stacked, text  # the wide table as a table only where it fits
    for figure in FIGURES[:3]:
        assert figure in text, (width, text)
    if stacked:  # a block per row: the first cell heads it, the empty verdict of the reference is left out
        lines = text.splitlines()
        assert lines[0] == "providers of glm-5.2" and "zai:glm-5.2" in lines
        assert "verdict: cheaper (0.64× $/task); more retries (27.8 vs 0.0 /100 calls)" in " ".join(text.split())
        assert "verdict: \n" not in text and not text.rstrip().endswith("verdict:")
