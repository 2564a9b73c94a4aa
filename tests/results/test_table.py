"""The terminal's per-model table at the widths people have: every model keeps its label, nothing runs past
the edge, and the full specs are in a legend."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from results.report import render_table
from results.table import labels
from tests.conftest import ROOT, run_json

LONG = "vllm:/root/.cache/pertask/models/tiny-moe#preset=generic,replicas=2"


@pytest.fixture(scope="module")
def summary(tmp_path_factory):
    from harness.cli import main

    out = tmp_path_factory.mktemp("table") / "run"
    assert main(["run", "--suite", "smoke", "--model", "oracle", "--model", "null", "--model",
                 f"scripted:{ROOT / 'examples' / 'scripted-smoke.json'}#label=scripted-smoke-at-a-length-of-40-chars",
             "--prices",
                 str(ROOT / "examples" / "scripted-prices.toml"), "--out", str(out)]) == 0
    from results.report import load_summary

    s = load_summary([out])
    s["models"].append({**s["models"][2], "model": LONG})  # a long spec, as a launched vLLM's
    return s


def _render(summary, width: int) -> str:
    buf = io.StringIO()
    render_table(summary, Console(width=width, file=buf, color_system=None))
    return buf.getvalue()


@pytest.mark.parametrize("width", [80, 100, 120, 200])
def test_every_model_keeps_its_label_at_every_width(summary, width):
    text = _render(summary, width)
    lab = labels([m["model"] for m in summary["models"]])
    rows = [line.strip().lstrip("│┃ ") for line in text.splitlines()]
    for spec, label in lab.items():
        assert sum(1 for r in rows if r.startswith(label + " ")) >= 1, (width, label, text)
        assert any(r == f"{label.split()[0]} = {spec}" for r in rows), "the legend gives the full spec"
    table = text.split("infra errors")[0]
    assert max(len(line) for line in table.splitlines()) <= width, text


def test_narrow_terminals_get_two_tables_with_every_figure(summary):
    text = _render(summary, 80)
    assert "per model, accuracy and dollars" in text and "per model, tokens and time" in text
    oracle = next(line for line in text.splitlines() if line.strip().startswith("A oracle") and "%" in line)
    assert "100% [100%, 100%]" in oracle and "$0.0000" in oracle


def test_short_specs_are_shown_as_they_are():
    assert labels(["oracle", "zai:glm-5.2"]) == {"oracle": "oracle", "zai:glm-5.2": "zai:glm-5.2"}
    assert labels(["oracle", LONG]) == {"oracle": "A oracle", LONG: "B tiny-moe"}


def test_the_cli_report_prints_the_legend(cli, tmp_path):
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", "smoke", "--task", "fix-median", "--model", "oracle", "--model",
             f"scripted:{ROOT / 'examples' / 'scripted-smoke.json'}#label=scripted-smoke-at-a-length-of-40-chars",
             "--prices", ROOT / "examples" / "scripted-prices.toml",
             "--out", out)
    code, text, _ = cli("report", out)
    assert code == 0 and "B scripted-s" in text and "B = scripted-smoke-at-a-length-of-40-chars" in text
