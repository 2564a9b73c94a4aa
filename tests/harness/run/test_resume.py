"""kill -9 mid-run, then the same command: nothing finished is lost, re-run or paid twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from tests.conftest import PERTASK, ROOT, SUBMIT, bash, copy_suite, load_samples, subprocess_env

TASK_MATCH = {"add-slugify": "slugify(text", "budget-reconcile": "budget-versus-actuals",
              "csv-totals": "ledger totals", "fix-median": "wrong medians", "meeting-actions": "launch-planning"}


def start_server(script_path, log_path):
    proc = subprocess.Popen([sys.executable, "-m", "providers.scripted", str(script_path), "--log", str(log_path)],
                            stdout=subprocess.PIPE, text=True, cwd=ROOT)
    return proc, proc.stdout.readline().strip()


def test_killed_run_resumes_without_redoing_finished_samples(tmp_path, write_script):
    # Tasks run in id order at concurrency 1; the third one hangs long enough to be killed in.
    usage = {"prompt_tokens": 1000, "completion_tokens": 50}
    convs = [{"match": m, "turns": [{"tool_calls": [bash("ls")], "delay_s": 4.0 if tid == "csv-totals" else 0,
                                     "usage": usage}, dict(SUBMIT, usage=usage)]}
             for tid, m in TASK_MATCH.items()]
    server, url = start_server(write_script({"model": "m", "conversations": convs}), tmp_path / "requests.jsonl")
    out = tmp_path / "run"
    prices = tmp_path / "p.toml"
    prices.write_text('[[price]]\nprovider = "openai-compatible"\nmodel = "m"\ninput = 1.0\noutput = 2.0\n')
    cmd = [*PERTASK, "run", "--suite", "smoke", "--model", f"openai-compatible:m@{url}", "--concurrency", "1",
           "--prices", str(prices), "--out", str(out)]
    try:
        first = subprocess.Popen(cmd, cwd=ROOT, env=subprocess_env(), start_new_session=True,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline and not (out / "samples.jsonl").exists() or \
                len((out / "samples.jsonl").read_text().splitlines()) < 2:
            time.sleep(0.05)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
        before = load_samples(out)
        assert [s["task_id"] for s in before] == ["add-slugify", "budget-reconcile"]
        # A kill can also land mid-write: a torn last line must be tolerated.
        with open(out / "samples.jsonl", "a") as fh:
            fh.write('{"schema": 1, "sample_id": "openai-compatible:m@')
        requests_before = Counter(json.loads(x)["conversation"] for x in (tmp_path / "requests.jsonl").open())

        second = subprocess.run(cmd, cwd=ROOT, env=subprocess_env(), capture_output=True, text=True, timeout=120)
        assert second.returncode == 0, second.stderr
        assert "5 samples, 2 already done" in second.stderr
    finally:
        server.kill()

    lines = (out / "samples.jsonl").read_text().splitlines()
    torn = [x for x in lines if not x.endswith("}")]
    assert len(torn) == 1, "the torn line stays, on its own line, and is skipped"
    after = [json.loads(x) for x in lines if x not in torn]
    ids = [s["sample_id"] for s in after]
    assert len(ids) == len(set(ids)) == 5, "every sample recorded exactly once"
    assert {s["task_id"]: s for s in after}["add-slugify"] == before[0], "finished record kept as it was"
    requests = Counter(json.loads(x)["conversation"] for x in (tmp_path / "requests.jsonl").open())
    names = list(TASK_MATCH)
    for i, tid in enumerate(names):
        resumed = requests[i] - requests_before.get(i, 0)
        assert resumed == (0 if tid in ("add-slugify", "budget-reconcile") else 2), tid
    # Dollars: each sample paid for once: 2 calls x (1000 in x $1 + 50 out x $2) / 1e6.
    assert sum(s["usd"] for s in after) == pytest.approx(5 * 2 * (1000 * 1.0 + 50 * 2.0) / 1e6)
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest["sessions"]) == 1, "the killed session never wrote its end; the resumed one did"
    assert manifest["sessions"][0]["skipped_done"] == 2
    report = subprocess.run([*PERTASK, "report", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert "1 unreadable line" in report.stdout


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_kill_saves_finished_samples_and_cleans_up(tmp_path, write_script, sig):
    slow = write_script({"model": "slow", "default": [{"tool_calls": [bash("sleep 30")]}, SUBMIT]})
    out = tmp_path / "run"
    cmd = [*PERTASK, "run", "--suite", "smoke", "--model", "oracle", "--model", f"scripted:{slow}",
           "--concurrency", "2", "--out", str(out)]
    # A terminal's Ctrl-C: SIGINT with its default handling (a background shell job would ignore it); or a `kill`.
    proc = subprocess.Popen(cmd, cwd=ROOT, env=subprocess_env(), stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 60
    while time.time() < deadline and not (out / "samples.jsonl").exists():
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "run the same command again to resume" in stderr and "Traceback" not in stderr
    done = load_samples(out)
    assert done and all(s["model"] == "oracle" for s in done), "only finished samples are recorded"
    assert not (out / "workspaces").exists()


def slow_grading_suite(tmp_path, seconds: float):
    """fix-median with one more hidden test that keeps grading busy until a moment `seconds` from now (a
    time, not a flag, so the resumed run grades quickly without the task's files, and its digest, changing)."""
    suite = copy_suite(tmp_path / "suite", ("fix-median",))
    (suite / "fix-median" / "grader" / "test_zz_slow.py").write_text(
        f"import time\n\n\ndef test_slow():\n    time.sleep(max(0.0, {time.time() + seconds} - time.time()))\n")
    return suite


def test_kill_during_grading_regrades_without_calling_the_model(tmp_path, write_script):
    usage = {"prompt_tokens": 1000, "completion_tokens": 50}
    server, url = start_server(write_script({"model": "m", "default": [
        {"tool_calls": [bash("ls")], "usage": usage}, dict(SUBMIT, usage=usage)]}), tmp_path / "requests.jsonl")
    out, prices = tmp_path / "run", tmp_path / "p.toml"
    prices.write_text('[[price]]\nprovider = "openai-compatible"\nmodel = "m"\ninput = 1.0\noutput = 2.0\n')
    cmd = [*PERTASK, "run", "--suite", str(slow_grading_suite(tmp_path, 8)), "--model", f"openai-compatible:m@{url}",
           "--prices", str(prices), "--out", str(out)]
    try:
        # The first run without a preflight (its calls are counted); the resume needs no model call at all,
        # so it makes no preflight either.
        first = subprocess.Popen([*cmd, "--no-preflight"], cwd=ROOT, env=subprocess_env(), start_new_session=True,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline and not list(out.glob("agent/*/sample.json")):
            time.sleep(0.05)
        time.sleep(1.0)  # grading has started: the slow hidden test is running
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
        assert not (out / "samples.jsonl").exists(), "killed before the record was written"
        calls_before = len((tmp_path / "requests.jsonl").read_text().splitlines())
        assert calls_before == 2
        second = subprocess.run(cmd, cwd=ROOT, env=subprocess_env(), capture_output=True, text=True, timeout=120)
        assert second.returncode == 0, second.stderr
    finally:
        server.kill()
    assert len((tmp_path / "requests.jsonl").read_text().splitlines()) == calls_before, "no model call made again"
    (s,) = load_samples(out)
    assert s["turns"] == 2 and s["score"] is not None and s["usd"] == pytest.approx(2 * 1.1e-3)
    assert "test_zz_slow::test_slow" in {c["name"].split(".")[-1] for c in s["grader"]["checks"]}
    assert "regraded_at" in json.loads((out / s["transcript"]).read_text())
    assert not (out / "agent").exists() or not any((out / "agent").iterdir()), "the saved phase is gone once recorded"
    report = json.loads(subprocess.run([*PERTASK, "report", str(out), "--json"], cwd=ROOT, capture_output=True,
                                       text=True).stdout)
    (m,) = report["models"]
    assert m["usd_spent_calls"] == pytest.approx(s["usd"]) and m["usd_unrecorded"] == 0, "the killed session's calls"


def test_spend_of_a_killed_agent_is_in_the_report(tmp_path, write_script):
    usage = {"prompt_tokens": 1000, "completion_tokens": 50}
    server, url = start_server(write_script({"model": "m", "default": [
        {"tool_calls": [bash("ls")], "usage": usage}, dict(SUBMIT, usage=usage, delay_s=3)]}), tmp_path / "req.jsonl")
    out, prices = tmp_path / "run", tmp_path / "p.toml"
    prices.write_text('[[price]]\nprovider = "openai-compatible"\nmodel = "m"\ninput = 1.0\noutput = 2.0\n')
    # No preflight: the calls counted are the sample's alone.
    cmd = [*PERTASK, "run", "--suite", "smoke", "--task", "fix-median", "--model", f"openai-compatible:m@{url}",
           "--prices", str(prices), "--out", str(out), "--no-preflight"]
    try:
        first = subprocess.Popen(cmd, cwd=ROOT, env=subprocess_env(), start_new_session=True,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline and not (out / "calls.jsonl").exists():
            time.sleep(0.05)
        os.killpg(first.pid, signal.SIGKILL)  # one call paid, the second in flight
        first.wait()
        second = subprocess.run(cmd, cwd=ROOT, env=subprocess_env(), capture_output=True, text=True, timeout=120)
        assert second.returncode == 0, second.stderr
    finally:
        server.kill()
    one_call = 1000 * 1.0 / 1e6 + 50 * 2.0 / 1e6
    report = subprocess.run([*PERTASK, "report", str(out), "--json"], cwd=ROOT, capture_output=True, text=True)
    (m,) = json.loads(report.stdout)["models"]
    assert m["usd_spent_calls"] == pytest.approx(3 * one_call) and m["usd_unrecorded"] == pytest.approx(one_call)
    table = subprocess.run([*PERTASK, "report", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert "went to samples not recorded" in " ".join((table.stdout + table.stderr).split())  # wrapped at its width


def test_resume_on_another_port_skips_what_is_done(tmp_path, write_script):
    script = write_script({"model": "m", "default": [{"tool_calls": [bash("ls")]}, SUBMIT]})
    out = tmp_path / "run"
    for i in range(2):  # the same server script on a fresh port each time
        server, url = start_server(script, tmp_path / f"req{i}.jsonl")
        try:
            proc = subprocess.run([*PERTASK, "run", "--suite", "smoke", "--task", "fix-median", "--task", "add-slugify",
                                   "--model", f"openai-compatible:m@{url}", "--out", str(out)], cwd=ROOT,
                                  env=subprocess_env(), capture_output=True, text=True, timeout=120)
            assert proc.returncode == 0, proc.stderr
        finally:
            server.kill()
    assert "2 samples, 2 already done" in proc.stderr
    assert not (tmp_path / "req1.jsonl").exists() or not (tmp_path / "req1.jsonl").read_text().strip()
    assert {s["model"] for s in load_samples(out)} == {"openai-compatible:m"}
