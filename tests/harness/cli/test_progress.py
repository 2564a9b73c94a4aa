"""The live bars of a run in a terminal (harness/cli/progress.py) read at 80, 100, 120 and 200 columns: no count, dollar
figure or ETA is cut. (Piped, one line a sample: tests/harness/cli/test_rundirs.py.)"""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from harness.cli.progress import RunProgress

MODELS = {"oracle": 500, "scripted:scripted-smoke": 500, "openai:gpt-5.5#reasoning_effort=high": 500}


@pytest.mark.parametrize("width", [80, 100, 120, 200])
def test_the_bars_fit_the_terminal_with_every_figure_whole(width):
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=width, emoji=False, markup=False)
    with RunProgress(MODELS, [], console):
        pass
    screen = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", buf.getvalue()).replace("\r", "\n")
    lines = [line for line in screen.splitlines() if line.strip()][-4:]  # the last frame: the run and its 3 models
    assert max(len(line) for line in lines) <= width, screen
    assert "0/1500" in lines[0] and all("/500" in line and "$0.0000" in line and "ETA -:--:--" in line
                                        for line in lines[1:]), lines
    names = [line.split()[0] for line in lines[1:]]
    # A name that does not fit is cut at its end, and says so; no name is altered otherwise.
    assert all(n in MODELS or (n.endswith("…") and any(m.startswith(n[:-1]) for m in MODELS)) for n in names), names
