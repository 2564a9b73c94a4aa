"""Failures are charged to whoever caused them: time spent waiting on a server is not the agent's, a
server that never answers is infra (not scored, re-run on resume, and the run exits non-zero), and a
400 that refuses the run's set-up stops the run with one line instead of scoring every sample 0."""

from __future__ import annotations

import json

from tests.conftest import SUBMIT, bash, copy_suite, load_samples

SLOW_TURNS = [{"tool_calls": [bash("ls")], "delay_s": 1.5}, dict(SUBMIT, delay_s=1.5)]


def run(cli, write_script, tmp_path, turns, *flags, spec_opts="", out="run", timeout_s=1):
    suite = tmp_path / f"suite-{out}"
    if not suite.exists():
        copy_suite(suite, ("fix-median",), timeout_s=timeout_s)
    script = write_script({"model": "m", "default": turns}, name=f"{out}.json")
    # No preflight: the script's faults are for the sample, not for the check request before it.
    code, stdout, err = cli("run", "--suite", suite, "--model", f"scripted:{script}{spec_opts}", "--out",
                            tmp_path / out, "--no-preflight", *flags)
    return code, err, tmp_path / out


def test_a_slow_server_is_not_the_agents_time(cli, write_script, tmp_path):
    # Two calls of 1.5 s each against a wall-time limit of 1 s: the agent itself spent milliseconds.
    code, err, out = run(cli, write_script, tmp_path, SLOW_TURNS)
    assert code == 0, err
    (s,) = load_samples(out)
    assert s["error"] == "none" and s["score"] is not None and s["turns"] == 2, s["error_detail"]
    assert s["wall_s"] > 3, "the sample did wait on the server"


def test_waiting_out_a_rate_limit_is_not_the_agents_time(cli, write_script, tmp_path):
    turns = [{"tool_calls": [bash("ls")], "fault": "http_429", "retry_after_s": 1.5, "fault_times": 1}, SUBMIT]
    code, err, out = run(cli, write_script, tmp_path, turns)
    assert code == 0, err
    (s,) = load_samples(out)
    assert s["error"] == "none" and s["score"] is not None, s["error_detail"]


def test_the_agents_own_commands_still_hit_the_limit(cli, write_script, tmp_path):
    code, err, out = run(cli, write_script, tmp_path, [{"tool_calls": [bash("sleep 3")]}, SUBMIT])
    assert code == 0, err
    (s,) = load_samples(out)
    assert s["error"] == "limit" and "wall-time" in s["error_detail"]


def test_a_hanging_server_is_infra_never_scored_and_rerun_on_resume(cli, write_script, tmp_path):
    hang = [{"tool_calls": [bash("ls")], "fault": "hang", "fault_times": 99}, SUBMIT]
    code, err, out = run(cli, write_script, tmp_path, hang, spec_opts="#timeout=0.5,label=m")
    assert code == 1, err
    assert "1 of 1 samples ended in infra errors" in err and "run the same command again" in err
    (s,) = load_samples(out)
    assert s["error"] == "infra" and s["score"] is None and s["passed"] is None
    # The server is back (a fresh script, the same model by its label): the sample runs again and is scored.
    script = write_script({"model": "m", "default": [{"tool_calls": [bash("ls")]}, SUBMIT]}, name="back.json")
    code, _, err = cli("run", "--suite", tmp_path / "suite-run", "--model", f"scripted:{script}#label=m",
                       "--out", out, "--no-preflight")
    assert code == 0, err
    (s,) = load_samples(out)
    assert s["error"] == "none" and s["score"] is not None


def test_a_setup_refusal_stops_the_run_with_one_line(cli, write_script, tmp_path):
    refusal = ('"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set')
    turns = [{"tool_calls": [bash("ls")], "fault": "http_400", "fault_times": 99, "error_message": refusal}]
    suite = copy_suite(tmp_path / "suite", ("fix-median", "budget-reconcile", "add-slugify"))
    script = write_script({"model": "m", "default": turns})
    code, _, err = cli("run", "--suite", suite, "--model", f"scripted:{script}", "--model", "oracle",
                       "--concurrency", "1", "--out", tmp_path / "run", "--no-preflight")
    assert code == 2
    line = [x for x in err.splitlines() if x.startswith("pertask: error:")]
    assert len(line) == 1 and "enable-auto-tool-choice" in line[0] and "nothing was scored" in line[0]
    scored = [s for s in load_samples(tmp_path / "run") if s["model"].startswith("scripted")] \
        if (tmp_path / "run" / "samples.jsonl").exists() else []
    assert scored == [], "no sample of the refused model is recorded"
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert "enable-auto-tool-choice" in manifest["sessions"][-1]["stopped"]


def test_the_preflight_stops_a_refused_setup_before_any_sample(cli, write_script, tmp_path):
    refusal = ('"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set')
    script = write_script({"model": "m", "default": [{"fault": "http_400", "fault_times": 99, "error_message": refusal}]})
    code, _, err = cli("run", "--suite", "smoke", "--model", f"scripted:{script}", "--model", "oracle",
                       "--out", tmp_path / "run")
    line = [x for x in err.splitlines() if x.startswith("pertask: error:")]
    assert code == 2 and len(line) == 1 and line[0].startswith("pertask: error: preflight: scripted:")
    assert "enable-auto-tool-choice" in line[0] and not (tmp_path / "run" / "samples.jsonl").exists()


def test_a_context_overflow_is_the_models_own(cli, write_script, tmp_path):
    turns = [{"tool_calls": [bash("ls")], "fault": "http_400", "fault_times": 99}]
    code, err, out = run(cli, write_script, tmp_path, turns, timeout_s=600)
    assert code == 0, err
    (s,) = load_samples(out)
    assert s["error"] == "model" and "context length" in s["error_detail"] and s["score"] is not None
