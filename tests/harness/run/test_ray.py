"""The Ray executor on a real local Ray cluster: a head and a separate worker node (`ray start`, CPU only, one
CPU each), the smoke suite through `--executor ray --ray-address`, against a scripted server whose usage is
fixed per turn (tool outputs hold workspace paths, which differ between executors, so estimated tokens would).
The records match the local executor's; a worker killed mid-sample gives an infra record that a resume re-runs,
nothing doubled; the run's budget holds wherever samples run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import PERTASK, ROOT, load_samples, run_json, subprocess_env
from tests.harness.run.test_resume import TASK_MATCH

pytest.importorskip("ray")
RAY = [str(Path(sys.executable).with_name("ray"))]
PORT = 6391


def _script(tmp: Path, slow: str | None = None) -> Path:
    """The demo's moves, each turn with fixed usage; `slow`: that task's calls take 3 s each."""
    script = json.loads((ROOT / "examples" / "scripted-smoke.json").read_text())
    for i, conv in enumerate(script["conversations"]):
        for j, turn in enumerate(conv["turns"]):
            turn["usage"] = {"prompt_tokens": 1000 + 100 * i + 10 * j, "completion_tokens": 40 + j}
            if slow and slow in conv["match"]:
                turn["delay_s"] = 3.0
    path = tmp / "script.json"
    path.write_text(json.dumps(script))
    return path


@pytest.fixture(scope="module")
def cluster():
    # Token auth off, on every process of this cluster alike: a local ray.init() elsewhere leaves a token file
    # (~/.ray/auth_token) that a head then enforces and a joining node does not send.
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "disabled"}
    head = [*RAY, "start", "--head", "--port", str(PORT), "--num-cpus", "1", "--include-dashboard=false",
            "--disable-usage-stats"]
    subprocess.run(head, check=True, capture_output=True, env=env, timeout=120)
    try:
        subprocess.run([*RAY, "start", "--address", f"127.0.0.1:{PORT}", "--num-cpus", "1"], check=True,
                       capture_output=True, env=env, timeout=120)
        yield f"127.0.0.1:{PORT}"
    finally:
        subprocess.run([*RAY, "stop", "--force"], capture_output=True, timeout=120)


def _comparable(s: dict) -> tuple:
    usage = {k: v for k, v in s["usage"].items() if not k.endswith("_s")}  # latencies are the machine's
    return s["score"], s["passed"], s["error"], s["turns"], usage, s["usd"]


def test_the_smoke_suite_on_a_ray_cluster_gives_the_local_executors_records(cluster, cli, tmp_path):
    script, prices = _script(tmp_path), ROOT / "examples" / "scripted-prices.toml"
    common = ["run", "--suite", "smoke", "--model", f"scripted:{script}", "--prices", prices, "--no-preflight",
              "--concurrency", "2"]
    run_json(cli, *common, "--out", tmp_path / "local")
    summary = run_json(cli, *common, "--executor", "ray", "--ray-address", cluster, "--out", tmp_path / "ray")
    local = {s["task_id"]: s for s in load_samples(tmp_path / "local")}
    remote = {s["task_id"]: s for s in load_samples(tmp_path / "ray")}
    assert {t: _comparable(s) for t, s in remote.items()} == {t: _comparable(s) for t, s in local.items()}
    assert all(s["executor"] == "ray" for s in remote.values())
    assert len({s["node"] for s in remote.values()}) == 2, "samples ran on both nodes, head and worker"
    where = summary["placement"]["where"]  # and the report says so, with the run's samples/s
    assert len(where) == 2 and all(k.startswith("ray on ") for k in where) and sum(where.values()) == 5
    assert summary["placement"]["samples_per_s"] > 0
    # Every call a worker made went through the coordinator's proxy into the one ledger, on its sample.
    def ledger(run: str) -> list:
        return sorted((c["sample_id"], c["usage"]["input_uncached"], c["usage"]["output"])
                      for c in map(json.loads, (tmp_path / run / "calls.jsonl").read_text().splitlines()))
    assert ledger("ray") == ledger("local")
    transcript = json.loads((tmp_path / "ray" / remote["fix-median"]["transcript"]).read_text())
    assert transcript["messages"] and transcript["grade"]["score"] == remote["fix-median"]["score"]
    session = json.loads((tmp_path / "ray" / "manifest.json").read_text())["sessions"][-1]
    assert session["executor"]["name"] == "ray" and len(session["executor"]["nodes"]) == 2
    assert session["ran"] == where and session["samples_per_s"] > 0, "the manifest says where each sample ran"


def test_a_worker_killed_mid_sample_is_an_infra_record_that_a_resume_reruns(cluster, tmp_path):
    script, out = _script(tmp_path, slow="ledger totals"), tmp_path / "run"
    cmd = [*PERTASK, "run", "--suite", "smoke", "--model", f"scripted:{script}", "--no-preflight", "--concurrency", "2",
           "--executor", "ray", "--ray-address", cluster, "--out", str(out)]
    first = subprocess.Popen(cmd, cwd=ROOT, env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    deadline, killed = time.time() + 120, None
    while time.time() < deadline and killed is None and first.poll() is None:
        calls = (out / "calls.jsonl").read_text().splitlines() if (out / "calls.jsonl").exists() else []
        if any("csv-totals" in c for c in calls):  # its first slow call is answered: the sample is at work
            for line in subprocess.run(["ps", "-ww", "-eo", "pid,args"], capture_output=True, text=True).stdout.splitlines():
                pid, _, args = line.strip().partition(" ")
                if "ray::run_job" in args and _runs_task(int(pid), "csv-totals"):
                    os.kill(int(pid), signal.SIGKILL)
                    killed = int(pid)
        time.sleep(0.1)
    _, err = first.communicate(timeout=180)
    assert killed is not None, "no worker process was found running csv-totals"
    assert first.returncode == 1 and "ended in infra errors" in err, err
    samples = load_samples(out)
    (dead,) = [s for s in samples if s["error"] == "infra"]
    assert dead["task_id"] == "csv-totals" and "Ray worker running it died" in dead["error_detail"]
    second = subprocess.run(cmd, cwd=ROOT, env=subprocess_env(), capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stderr
    after = [s for s in load_samples(out) if s["error"] != "infra"]
    assert sorted(s["task_id"] for s in after) == sorted(TASK_MATCH), "each task once: nothing lost, nothing doubled"


def _runs_task(pid: int, task: str) -> bool:
    """Whether that worker process has the task's sandbox below it (its children's command lines name it)."""
    out = subprocess.run(["ps", "-ww", "-eo", "pid,ppid,args"], capture_output=True, text=True).stdout.splitlines()[1:]
    rows = [(int(p), int(pp), a) for p, pp, a in (ln.split(None, 2) for ln in out if len(ln.split(None, 2)) == 3)]
    below, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, pp, _ in rows if pp in frontier and p not in below}
        below |= frontier
    return any(task in a for p, _, a in rows if p in below)


def test_the_budget_holds_on_a_local_ray_started_with_the_run(cli, tmp_path):
    """Without --ray-address a Ray instance starts and stops with the run; admission stays the coordinator's:
    once the budget is reached no sample starts, wherever it would have run."""
    out = tmp_path / "run"
    code, _, err = cli("run", "--suite", "smoke", "--model", f"scripted:{_script(tmp_path)}", "--prices",
                       ROOT / "examples" / "scripted-prices.toml", "--concurrency", "1", "--budget-usd", "0.004",
                       "--no-preflight", "--executor", "ray", "--out", out)
    assert code == 0, err
    samples = load_samples(out)
    session = json.loads((out / "manifest.json").read_text())["sessions"][-1]
    assert 1 <= len(samples) < 5 and session["budget_not_started"] == 5 - len(samples)
    assert all(s["executor"] == "ray" for s in samples)
    assert session["executor"]["address"].startswith("local")


def test_the_coordinator_killed_mid_run_resumes_on_the_cluster(cluster, tmp_path):
    """kill -9 of the coordinator (pertask) while workers are at work: Ray ends its tasks with it; the same
    command again keeps what was recorded and runs the rest, each sample once."""
    script, out = _script(tmp_path, slow="ledger totals"), tmp_path / "run"
    cmd = [*PERTASK, "run", "--suite", "smoke", "--model", f"scripted:{script}", "--no-preflight", "--concurrency", "2",
           "--executor", "ray", "--ray-address", cluster, "--out", str(out)]
    first = subprocess.Popen(cmd, cwd=ROOT, env=subprocess_env(), start_new_session=True, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and (not (out / "samples.jsonl").exists()
                                      or len((out / "samples.jsonl").read_text().splitlines()) < 2):
        time.sleep(0.1)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    before = {s["sample_id"] for s in load_samples(out)}
    assert 2 <= len(before) < 5
    second = subprocess.run(cmd, cwd=ROOT, env=subprocess_env(), capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stderr
    after = load_samples(out)
    assert len(after) == len({s["sample_id"] for s in after}) == 5 and before <= {s["sample_id"] for s in after}
    assert all(s["error"] == "none" and s["executor"] == "ray" for s in after)


def test_what_the_ray_executor_cannot_run_is_refused_before_the_run_directory_is_made(cli, tmp_path):
    code, _, err = cli("run", "--suite", "smoke", "--model", "oracle", "--ray-address", "10.0.0.5:6379",
                       "--out", tmp_path / "a")
    assert code == 2 and "--ray-address is for --executor ray" in err
    code, _, err = cli("run", "--suite", "smoke", "--model", "oracle", "--executor", "ray", "--agent", "cmd:true",
                       "--out", tmp_path / "b")
    assert code == 2 and "oracle cannot be called over HTTP" in err and not (tmp_path / "b").exists(), err


def test_the_oracle_and_null_prove_a_suite_across_the_cluster(cluster, cli, tmp_path):
    """`tasks check` and a run of the reference models on Ray: a worker makes its own oracle and null (they call
    nothing), so validating a benchmark of hundreds of tasks spreads over the nodes."""
    code, out, err = cli("tasks", "check", "--suite", "smoke", "--executor", "ray", "--ray-address", cluster)
    assert code == 0 and "smoke: 5 ok, 0 broken, 0 grader problem(s)" in out, (out, err)
    run_json(cli, "run", "--suite", "smoke", "--model", "oracle", "--model", "null", "--concurrency", "2",
             "--executor", "ray", "--ray-address", cluster, "--out", tmp_path / "ray")
    got = load_samples(tmp_path / "ray")
    assert len(got) == 10 and all(s["executor"] == "ray" and s["error"] == "none" for s in got)
    assert {s["passed"] for s in got if s["model"] == "oracle"} == {True}
    assert {s["passed"] for s in got if s["model"] == "null"} == {False}, "partial credit at most, never a pass"
    assert len({s["node"] for s in got}) == 2, "both nodes took samples"


def test_a_container_task_runs_in_its_image_on_a_ray_worker(cluster, cli, tmp_path):
    """A Harbor-format task with its own image (built once on this machine, which is every node of the local
    cluster): on a Ray worker it runs in that image's container, and gives the local executor's record."""
    from harness.sandboxes.images import BASE_IMAGE
    from tests.conftest import SUBMIT, bash
    from tests.harness.sandboxes.test_container import INVENTORY
    from tests.tasks.test_harbor import write

    suite = tmp_path / "tb2"
    write(suite / "inventory", INVENTORY)
    solve = (ROOT / "examples" / "tb2-format" / "inventory" / "solution" / "solve.sh").read_text()
    usage = {"prompt_tokens": 900, "completion_tokens": 30}
    turns = [{"tool_calls": [bash("cat /opt/built/marker; echo $GREETING")], "usage": usage},
             {"tool_calls": [bash(solve.replace("test -f /solution/solve.sh", ""))], "usage": usage},
             {**SUBMIT, "usage": usage}]
    script = tmp_path / "script.json"
    script.write_text(json.dumps({"model": "scripted-tb2", "conversations": [{"match": "inventory.csv", "turns": turns}]}))
    common = ["run", "--suite", suite, "--model", f"scripted:{script}", "--no-preflight",
              "--substitute-image", f"python:3.13-slim={BASE_IMAGE}"]
    run_json(cli, *common, "--out", tmp_path / "local")
    run_json(cli, *common, "--executor", "ray", "--ray-address", cluster, "--out", tmp_path / "ray")
    (local,), (remote,) = load_samples(tmp_path / "local"), load_samples(tmp_path / "ray")
    assert remote["executor"] == "ray" and remote["error"] == "none", remote["error_detail"]
    assert _comparable(remote) == _comparable(local) and remote["passed"] is True
    messages = json.loads((tmp_path / "ray" / remote["transcript"]).read_text())["messages"]
    seen = next(m["content"] for m in messages if m["role"] == "tool")
    assert "yes" in seen and "hello-from-the-image" in seen, "the command ran in the task's own image"


def test_a_judge_rates_deliverables_on_a_ray_worker_and_is_metered_by_the_coordinator(cluster, cli, tmp_path,
                                                                                     write_script):
    """--judge on Ray: the worker calls the judge through the coordinator's proxy with a key of the judge's own, so
    its verdict is in the record and each of its calls in the one ledger, under its name, at its price."""
    from tests.harness.agents.test_judge import JUDGE_USAGE, PRICES, _judge

    prices = tmp_path / "prices.toml"
    prices.write_text(PRICES)
    judge = _judge(write_script, 'Verdict: {"score": 0.75, "reasons": "Figures right; tone a little stiff."}')
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", "documents", "--task", "escalation-lumen", "--model", "oracle", "--judge", judge,
             "--prices", prices, "--executor", "ray", "--ray-address", cluster, "--out", out)
    (s,) = load_samples(out)
    assert s["executor"] == "ray" and s["passed"] is True and s["judge"]["score"] == 0.75, s["judge"]
    want = JUDGE_USAGE["prompt_tokens"] * 3.0 / 1e6 + JUDGE_USAGE["completion_tokens"] * 15.0 / 1e6
    calls = [json.loads(line) for line in (out / "calls.jsonl").read_text().splitlines()]
    assert [c.get("judge") for c in calls] == ["scripted:judge"] and abs(calls[0]["usd"] - want) < 1e-9, calls
    assert abs(s["judge"]["usd"] - want) < 1e-9


def test_an_external_agent_solves_a_task_on_a_ray_worker_metered_by_the_coordinator(cluster, cli, tmp_path,
                                                                                  monkeypatch):
    """--agent on Ray: the CLI agent runs in the worker's sandbox behind the worker's own metering proxy, which calls
    the model through the coordinator's; the record has the provider's tokens, the one ledger the call."""
    import shlex

    from providers.script_file import Script
    from providers.scripted import ScriptedServer
    from tasks.loader import SUITES_ROOT
    from tests.conftest import FAKE_KEY
    from tests.harness.agents.test_external import AGENT, PRICES

    fixed = (SUITES_ROOT / "smoke" / "fix-median" / "solution" / "files" / "stats" / "core.py").read_text()
    fix = f"cat > stats/core.py <<'PERTASK_EOF'\n{fixed}PERTASK_EOF\n"
    server = ScriptedServer(Script.model_validate(
        {"model": "m", "default": [{"content": fix, "usage": {"prompt_tokens": 321, "completion_tokens": 45}}]}))
    url = server.start()
    monkeypatch.setenv("OPENAI_COMPATIBLE_API_KEY", FAKE_KEY)
    (tmp_path / "prices.toml").write_text(PRICES)
    source = AGENT.replace("UPSTREAM", repr(url + "/models"))
    out = tmp_path / "run"
    try:
        run_json(cli, "run", "--suite", "smoke", "--task", "fix-median", "--model", f"openai-compatible:m@{url}",
                 "--agent", f"cmd:python3 -c {shlex.quote(source)} {{instruction_file}}", "--no-preflight",
                 "--prices", tmp_path / "prices.toml", "--executor", "ray", "--ray-address", cluster, "--out", out)
    finally:
        server.stop()
    (s,) = load_samples(out)
    assert s["executor"] == "ray" and s["passed"] is True, (s["error_detail"], s["grader"])
    assert (s["usage"]["input_uncached"], s["usage"]["output"], s["turns"]) == (321, 45, 1)
    calls = [json.loads(line) for line in (out / "calls.jsonl").read_text().splitlines()]
    assert [c["usage"]["input_uncached"] for c in calls] == [321], calls
