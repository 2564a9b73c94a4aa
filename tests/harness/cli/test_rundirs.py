"""Where runs live and how they are followed: the default run directory is the same for the same command (so
running it again resumes), `--fresh` makes a new one, `pertask runs` lists them with their state, and the
progress lines count per model, with an ETA, starting from what a resume already has."""

from __future__ import annotations

import json
import re
from pathlib import Path

from results.store import RunStore
from tests.conftest import ROOT

SCRIPTED = f"scripted:{ROOT / 'examples' / 'scripted-smoke.json'}"
PRICES = str(ROOT / "examples" / "scripted-prices.toml")


def test_the_same_command_resumes_its_run_and_runs_lists_it(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cmd = ["run", "--suite", "smoke", "--model", "oracle", "--task", "fix-median", "--task", "csv-totals"]
    code, _, err = cli(*cmd)
    assert code == 0, err
    first = re.search(r"run directory: (\S+)", err)[1]
    assert first.startswith("runs/smoke-") and "the same command resumes it" in err
    code, _, err = cli(*cmd)
    assert code == 0 and f"run directory: {first}  (2 samples, 2 already done" in err, err
    code, _, err = cli(*cmd, "--fresh")
    fresh = re.search(r"run directory: (\S+)", err)[1]
    assert code == 0 and fresh != first and "(2 samples, 0 already done" in err
    code, _, err = cli(*cmd[:-2], "--epochs", "2")  # another plan: another directory
    assert re.search(r"run directory: (\S+)", err)[1] not in (first, fresh)

    code, out, _ = cli("runs", "--json")
    rows = {r["run"]: r for r in json.loads(out)}
    assert code == 0 and rows[f"runs/{first.split('/')[-1]}"]["state"] == "complete"
    row = rows[f"runs/{first.split('/')[-1]}"]
    assert (row["suite"], row["models"], row["samples"], row["planned"]) == ("smoke", ["oracle"], 2, 2)
    assert row["command"].startswith("pertask run --suite smoke")
    held = RunStore(tmp_path / first)
    held.lock()  # a run writing to it
    try:
        _, out, _ = cli("runs", "--json")
        assert {r["run"]: r["state"] for r in json.loads(out)}[f"runs/{first.split('/')[-1]}"] == "running"
    finally:
        held.unlock()
    code, out, _ = cli("runs")
    assert code == 0 and "complete" in out and "smoke" in out
    # At 80 columns (piped, $COLUMNS), each run's id stays whole on one line, to copy into `pertask report`.
    import subprocess

    from tests.conftest import PERTASK, subprocess_env

    narrow = subprocess.run([*PERTASK, "runs"], cwd=Path.cwd(), env={**subprocess_env(), "COLUMNS": "80"},
                            capture_output=True, text=True).stdout
    assert max(len(line) for line in narrow.splitlines()) <= 80
    lines = [line.strip("│ ") for line in narrow.splitlines()]
    listed = json.loads(cli("runs", "--json")[1])
    for r in listed:  # the dated --fresh one's id is too long for the table at 80: a block per run then
        assert any(line == r["run"] or line.startswith(f"{r['run']} ") for line in lines), narrow
    # Nor is any other cell folded into pieces: the suite's and the model's names are whole, once a run.
    assert narrow.count("suite: smoke") + narrow.count("│ smoke ") == narrow.count("oracle") == len(listed), narrow


def test_progress_counts_per_model_with_an_eta_from_what_is_already_done(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    out = tmp_path / "run"
    common = ["run", "--suite", "smoke", "--model", "oracle", "--model", SCRIPTED, "--prices", PRICES,
              "--concurrency", "1", "--out", out]
    code, _, err = cli(*common, "--task", "fix-median")
    assert code == 0, err
    code, _, err = cli(*common)
    assert code == 0, err
    lines = []  # one entry a sample: its line, and its folded second line where it has one
    for x in err.splitlines():
        if x.startswith("["):
            lines.append(x)
        elif x.startswith("  ") and lines:
            lines[-1] += x
    assert lines[0].startswith("[3/10] "), "the 2 samples of the first session are counted"
    assert len(lines) == 8 and all("ETA" in x for x in lines[:-1])
    assert max(len(x) for x in lines) <= 2 * 80, err  # piped: the console's 80 columns, folded once where needed
    assert all(len(x) <= 80 for x in err.splitlines() if x.startswith(("[", "  "))), err
    last_oracle = [x for x in lines if x.split()[1] == "oracle"][-1]
    assert "model 5/5" in last_oracle, last_oracle
    assert "oracle: 5/5 done, passed 5 · errors 0 · $0.0000" in err.splitlines(), err


def test_a_model_given_by_path_has_the_same_name_and_run_from_any_folder(cli, tmp_path, monkeypatch):
    """Item: names and run digests do not depend on the working directory. The same script, reached by two relative
    paths from two folders, names one model and one run; files of one name in two folders are refused unless
    labelled."""
    (tmp_path / "a").mkdir()
    script = tmp_path / "a" / "demo.json"
    script.write_text((ROOT / "examples" / "scripted-smoke.json").read_text())
    found = []
    for cwd, spec in ((tmp_path, "scripted:a/demo.json"), (tmp_path / "a", "scripted:./demo.json")):
        monkeypatch.chdir(cwd)
        code, out, err = cli("run", "--suite", "smoke", "--task", "fix-median", "--model", spec, "--prices", PRICES,
                             "--json")
        assert code == 0, err
        run_dir = re.search(r"run directory: (\S+)", err)[1]
        manifest = json.loads((cwd / run_dir / "manifest.json").read_text())
        assert [m["model"] for m in json.loads(out)["models"]] == ["scripted:demo"]
        assert manifest["models"][0]["given"] == spec  # the spec as given stays in the manifest
        found.append(run_dir)
    assert found[0] == found[1], "one command from two folders: one run's name"
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "demo.json").write_text(script.read_text())
    monkeypatch.chdir(tmp_path)
    code, _, err = cli("run", "--suite", "smoke", "--model", "scripted:a/demo.json", "--model", "scripted:b/demo.json",
                       "--prices", PRICES)
    assert code == 2 and "both named scripted:demo" in err and "#label=NAME" in err, err
    code, out, err = cli("run", "--suite", "smoke", "--task", "fix-median", "--model", "scripted:a/demo.json",
                         "--model", "scripted:b/demo.json#label=demo-b", "--prices", PRICES, "--json")
    assert code == 0 and [m["model"] for m in json.loads(out)["models"]] == ["scripted:demo", "demo-b"], err
