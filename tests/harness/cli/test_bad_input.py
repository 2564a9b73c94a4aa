"""Bad input gets one line naming the file and field, exit code 2, and loses nothing already recorded;
two runs on one run directory cannot both write to it."""

from __future__ import annotations

import shutil
import subprocess
import time

import pytest

from tasks.loader import SUITES_ROOT
from tests.conftest import PERTASK, ROOT, SUBMIT, bash, load_samples, subprocess_env


@pytest.fixture
def done_run(cli, tmp_path):
    """A run directory holding one finished sample."""
    out = tmp_path / "run"
    code, _, err = cli("run", "--suite", "smoke", "--task", "fix-median", "--model", "oracle", "--out", out)
    assert code == 0, err
    return out


def one_line_error(err: str) -> str:
    lines = [x for x in err.strip().splitlines() if x.strip() and not x.startswith("warning:")]
    assert len(lines) == 1 and lines[0].startswith("pertask: error:"), err
    assert "Traceback" not in err
    return lines[0]


PRICE_FILES = {
    "negative": ('[[price]]\nprovider = "openai"\nmodel = "x"\ninput = -1.0\noutput = 2.0\n', "field 'input'"),
    "wrong-type": ('[[price]]\nprovider = "openai"\nmodel = "x"\ninput = "cheap"\noutput = 2.0\n', "field 'input'"),
    "unknown-key": ('[[price]]\nprovider = "openai"\nmodel = "x"\ninput = 1.0\noutput = 2.0\ncahced_input = 0.1\n',
                    "field 'cahced_input': unknown key"),
    "unknown-table": ('[prices]\nopenai = 1\n', "unknown table(s) prices"),
    "discount-above-one": ('[[price]]\nprovider = "openai"\nmodel = "x"\ninput = 1.0\noutput = 2.0\n'
                           'batch_discount = 1.5\n', "field 'batch_discount'"),
    "not-toml": ("[[price]\n", "p.toml"),
}


@pytest.mark.parametrize("case", list(PRICE_FILES))
def test_a_bad_price_file_is_one_line_and_loses_nothing(case, cli, tmp_path, done_run):
    text, expected = PRICE_FILES[case]
    prices = tmp_path / "p.toml"
    prices.write_text(text)
    before = (done_run / "samples.jsonl").read_bytes()
    for args in (["run", "--suite", "smoke", "--model", "oracle", "--out", done_run, "--prices", prices],
                 ["report", done_run, "--prices", prices, "--project-on", "openai:x"],
                 ["reprice", done_run, "--prices", prices], ["prices", "--prices", prices]):
        code, _, err = cli(*args)
        assert code == 2, (args, err)
        line = one_line_error(err)
        assert str(prices) in line and expected in line, line
    assert (done_run / "samples.jsonl").read_bytes() == before


def test_out_naming_a_file(cli, tmp_path):
    f = tmp_path / "a-file"
    f.write_text("x")
    code, _, err = cli("run", "--suite", "smoke", "--model", "null", "--out", f)
    assert code == 2 and "is a file, not a run directory" in one_line_error(err)
    assert f.read_text() == "x"


def test_a_corrupt_manifest_is_one_line_and_the_samples_are_kept(cli, done_run):
    before = (done_run / "samples.jsonl").read_bytes()
    (done_run / "manifest.json").write_text('{"schema": 1, "suite": 5}')
    for args in (["run", "--suite", "smoke", "--model", "oracle", "--out", done_run], ["report", done_run],
                 ["reprice", done_run]):
        code, _, err = cli(*args)
        assert code == 2, (args, err)
        assert "manifest.json: unreadable manifest" in one_line_error(err)
    assert (done_run / "samples.jsonl").read_bytes() == before


def test_another_folder_named_like_the_suite_is_another_suite(cli, tmp_path, done_run):
    other = tmp_path / "elsewhere" / "smoke"
    shutil.copytree(SUITES_ROOT / "smoke" / "fix-median", other / "fix-median")
    (other / "fix-median" / "instruction.md").write_text("Something else entirely.\n")
    code, _, err = cli("run", "--suite", other, "--model", "oracle", "--out", done_run)
    assert code == 2 and "holds a run of suite 'smoke'" in one_line_error(err)
    assert len(load_samples(done_run)) == 1


def test_negative_usage_from_a_server_is_malformed_not_negative_dollars(cli, write_script, tmp_path):
    bad = {"prompt_tokens": 100, "completion_tokens": -50}
    script = write_script({"model": "m", "default": [dict(SUBMIT, usage=bad)]})
    prices = tmp_path / "p.toml"
    prices.write_text('[[price]]\nprovider = "scripted"\nmodel = "m"\ninput = 1.0\noutput = 2.0\n')
    code, _, err = cli("run", "--suite", "smoke", "--task", "fix-median", "--model", f"scripted:{script}",
                       "--prices", prices, "--out", tmp_path / "run", "--no-preflight")  # the sample's own answer
    assert code == 1, err
    (s,) = load_samples(tmp_path / "run")
    assert s["error"] == "infra" and "inconsistent usage" in s["error_detail"] and s["score"] is None
    assert s["usd"] is None or s["usd"] >= 0


def test_two_runs_on_one_out_directory(tmp_path, write_script):
    # The first run is slow (one call of 3 s); the second starts while it works and must not touch the directory.
    script = write_script({"model": "m", "default": [{"tool_calls": [bash("ls")], "delay_s": 3}, SUBMIT]})
    out = tmp_path / "run"
    cmd = [*PERTASK, "run", "--suite", "smoke", "--task", "fix-median", "--model", f"scripted:{script}", "--out", str(out)]
    first = subprocess.Popen(cmd, cwd=ROOT, env=subprocess_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             text=True)
    try:
        deadline = time.time() + 60
        while not (out / "run.lock").exists() and time.time() < deadline:
            time.sleep(0.05)
        second = subprocess.run(cmd, cwd=ROOT, env=subprocess_env(), capture_output=True, text=True, timeout=120)
        assert second.returncode == 2
        line = one_line_error(second.stderr)
        assert "is in use by pertask PID" in line and str(first.pid) in line
    finally:
        first.wait(120)
    assert first.returncode == 0, first.stderr.read()
    assert len((out / "samples.jsonl").read_text().splitlines()) == 1, "recorded once"
