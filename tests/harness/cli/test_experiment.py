"""`pertask run --config FILE`: models with their settings, suite, prices and node from one file; the
file is in the manifest and each setting reaches the request body; a bad file is one line."""

from __future__ import annotations

import json

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
