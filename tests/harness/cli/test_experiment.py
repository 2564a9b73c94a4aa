"""`pertask run --config FILE`: models with their settings, suite, prices and node from one file; the
file is in the manifest and each setting reaches the request body; a bad file is one line."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import FAKE_KEY as KEY
from tests.conftest import SUBMIT, load_samples


def test_an_experiment_file_runs_and_is_recorded(cli, tmp_path, fake, monkeypatch):
    server = fake({"model": "gpt-5.5", "emulate": "openai", "default": [SUBMIT]})
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    (tmp_path / "p.toml").write_text('[[price]]\nprovider = "openai"\nmodel = "gpt-5.5"\ninput = 1.0\noutput = 1.0\n')
    cfg = tmp_path / "exp.toml"
    cfg.write_text(f'suite = "smoke"\ntask = ["fix-median"]\nprices = "p.toml"\nout = "run"\n'
                   f'[node]\ngpu_type = "H200"\ngpus = 8\ngpu_hour_usd = 3.59\n'
                   f'[[model]]\nspec = "openai:gpt-5.5@{server.url}"\nreasoning_effort = "high"\nlabel = "gpt-high"\n'
                   f'[[model]]\nspec = "oracle"\n')
    code, _, err = cli("run", "--config", cfg)
    assert code == 0, err
    samples = {s["model"]: s for s in load_samples(tmp_path / "run")}
    assert set(samples) == {"gpt-high", "oracle"} and samples["gpt-high"]["price"]["input"] == 1.0
    assert [r["request"]["reasoning"] for r in server.requests] == [{"effort": "high"}] * 2  # preflight + sample
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert manifest["experiment"]["content"]["node"]["gpus"] == 8 and manifest["node"]["gpu_type"] == "H200"
    assert manifest["models"][0]["settings"] == {"reasoning_effort": "high"}


def test_a_bad_experiment_file_is_one_line(cli, tmp_path):
    cfg = tmp_path / "exp.toml"
    for text, needle in [('suite = "smoke"\nepochs = "three"\n', "'epochs' must be int"),
                         ('suite = "smoke"\nmodles = []\n', "unknown key(s) modles"),
                         ('suite = "smoke"\n[[model]]\nspec = "oracle"\neffort = "x"\n', "[[model]] #1: unknown key(s) effort"),
                         ('suite = "smoke"\n[[model]]\nreasoning_effort = "x"\n', "'spec' is required"),
                         ('suite = "smoke"\n', "needs --suite and at least one --model")]:
        cfg.write_text(text)
        code, _, err = cli("run", "--config", cfg)
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert code == 2 and len(lines) == 1 and needle in lines[0], (text, err)


def test_every_run_flag_is_a_key_and_paths_are_the_file_s(cli, tmp_path, monkeypatch):
    """The shipped example, copied elsewhere and run from a third folder: its suite, prices, output folder and scripted
    model's file resolve beside it; --print shows the command it makes (a flag given wins), and the run records it."""
    import argparse
    import shutil

    from harness.cli.parser import make_parser
    from harness.run.experiment import apply, run_keys
    from tests.conftest import ROOT

    ap = make_parser()
    run = ap.run_parser
    keys = run_keys(run)
    assert {"node", "project_on", "bill_from", "batch_pricing", "agent", "judge", "sandbox", "executor", "max_turns",
            "skip_broken"} <= set(keys)
    # Each flag, given in a file as its type, reaches the run as the flag would (a path: beside the file).
    for key, action in keys.items():
        if isinstance(action, argparse._StoreTrueAction):
            text, want = "true", True
        elif action.choices:
            text, want = f'"{list(action.choices)[0]}"', list(action.choices)[0]
        elif action.type in (int, float):
            text, want = "2", action.type(2)
        elif isinstance(action, argparse._AppendAction):
            text, want = '["x"]', ["x"]
        else:
            text, want = '"x"', tmp_path / "x" if action.type is Path else "x"
        cfg = tmp_path / f"{key}.toml"
        cfg.write_text(f"{key.replace('_', '-')} = {text}\n")
        a = ap.parse_args(["run"])
        a.argv = ["run"]
        apply(a, run, cfg)
        assert getattr(a, key) == want, (key, getattr(a, key), want)
    here = tmp_path / "exp"
    here.mkdir()
    for name in ("experiment.toml", "scripted-prices.toml", "scripted-smoke.json"):
        shutil.copy(ROOT / "examples" / name, here / name)
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, printed, err = cli("run", "--config", here / "experiment.toml", "--epochs", "1", "--print")
    assert code == 0, err
    assert f"scripted:{here / 'scripted-smoke.json'}#label=scripted-demo" in printed and "--epochs 1" in printed
    assert f"--prices {here / 'scripted-prices.toml'}" in printed and "--project-on zai:glm-5.2" in printed
    code, _, err = cli("run", "--config", here / "experiment.toml", "--epochs", "1")
    assert code == 0, err
    out = tmp_path / "runs" / "experiment-demo"  # "../runs/experiment-demo", from the file's folder
    assert {s["model"] for s in load_samples(out)} == {"oracle", "scripted-demo"} and not list(elsewhere.iterdir())
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["experiment"]["path"] == str(here / "experiment.toml") and manifest["epochs"] == 1
    # A vLLM model's folder is the file's too; a served name before its address is a name, never a path.
    from harness.run.experiment import model_spec

    (here / "weights").mkdir()
    assert model_spec("f", {"spec": "vllm:./weights", "preset": "qwen3"}, here) == \
        f"vllm:{(here / 'weights').resolve()}#preset=qwen3"
    attach = "vllm:weights@http://127.0.0.1:8000/v1"
    assert model_spec("f", {"spec": attach}, here) == attach
