"""`pertask run ... --estimate`: a run's cost before it starts, from earlier runs of the suite (results/estimate.py),
through the CLI on the smoke suite with a scripted model whose calls report fixed usage, priced by a price file."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.conftest import load_samples, run_json

ROOT = Path(__file__).resolve().parents[2]
PRICES = ROOT / "examples" / "scripted-prices.toml"


def _script(tmp: Path) -> Path:
    """The demo's moves, each task's calls with a usage of their own (so tasks cost differently)."""
    script = json.loads((ROOT / "examples" / "scripted-smoke.json").read_text())
    for i, conv in enumerate(script["conversations"]):
        for j, turn in enumerate(conv["turns"]):
            turn["usage"] = {"prompt_tokens": 2000 * (i + 1) + 10 * j, "completion_tokens": 50 * (i + 1)}
    path = tmp / "script.json"
    path.write_text(json.dumps(script))
    return path


def _dollars(line: str) -> list[float]:
    return [float(x.replace(",", "")) for x in re.findall(r"\$([\d,.]+)", line)]


def _estimate(cli, *args) -> list[str]:
    code, out, err = cli("run", "--suite", "smoke", "--prices", PRICES, "--no-preflight", *args)
    assert code == 0, err
    return out.splitlines()


def test_a_pilot_prices_the_full_run_and_the_full_run_lands_in_its_range(cli, tmp_path):
    spec = f"scripted:{_script(tmp_path)}"
    runs = tmp_path / "runs"
    pilot = runs / "pilot"
    run_json(cli, "run", "--suite", "smoke", "--model", spec, "--prices", PRICES, "--no-preflight", "--limit", "3",
             "--out", pilot)
    lines = _estimate(cli, "--model", spec, "--epochs", "2", "--estimate", pilot)
    assert lines[:2] == ["estimate for suite smoke, from 1 earlier run(s)", "scripted:script"]  # named by its file
    assert max(map(len, lines)) <= 80, lines
    assert lines[2].startswith("  10 samples: "), "5 tasks x 2 epochs"
    assert lines[4] == "  from 3 samples of this model on 3 of 5 tasks"
    expected, low, high = _dollars(lines[3])
    full = tmp_path / "full"
    run_json(cli, "run", "--suite", "smoke", "--model", spec, "--prices", PRICES, "--no-preflight", "--epochs", "2",
             "--out", full)
    spent = sum(s["usd"] for s in load_samples(full))
    assert low <= spent <= high and low < expected < high, (low, expected, high, spent)
    # With every task seen, the estimate is the run's own dollars (the same calls at the same price).
    row = _estimate(cli, "--model", spec, "--epochs", "2", "--estimate", full)[3]
    assert abs(_dollars(row)[0] - spent) < 0.005, (row, spent)


def test_a_model_that_has_not_run_is_estimated_from_the_tokens_of_those_that_have(cli, tmp_path, monkeypatch):
    spec = f"scripted:{_script(tmp_path)}"
    monkeypatch.chdir(tmp_path)  # earlier runs are found under ./runs by the suite's name
    assert "no earlier run of it" in _estimate(cli, "--model", spec, "--estimate")[0]
    run_json(cli, "run", "--suite", "smoke", "--model", spec, "--prices", PRICES, "--no-preflight", "--limit", "2",
             "--out", "runs/pilot")
    lines = _estimate(cli, "--model", f"{spec}#label=twin", "--model", "zai:glm-5.2", "--estimate")
    assert any("samples of other models" in ln and "on 2 of 5 tasks" in ln for ln in lines), lines
    glm = lines[lines.index("zai:glm-5.2") + 2]
    assert len(_dollars(glm)) == 3, "priced at GLM-5.2's own list price, with a range"
