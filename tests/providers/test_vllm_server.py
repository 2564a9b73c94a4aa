"""A real vLLM server's life (the CPU build, the tiny random-weight MoE built locally): a missing model folder, a busy
port, a crash at start-up and a server killed mid-run are each one clear line or an infra record that a resume
re-runs; two launched replicas share the samples. Each test starts its own server, so these are marked `vllm`."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from providers.vllm.models import tiny_moe
from providers.vllm.presets import get_preset
from providers.vllm.process import VLLMServer, free_port
from results.store import RunStore
from tests.conftest import PERTASK, ROOT, load_samples, pertask_proc, run_json, subprocess_env

pytestmark = pytest.mark.vllm

SHORT = ["--max-turns", "3", "--max-tokens", "24"]


@pytest.fixture(scope="module")
def tiny() -> str:
    return str(tiny_moe())


def test_missing_model_folder_is_one_error_line(tmp_path):
    proc = pertask_proc("run", "--suite", "smoke", "--model", "vllm:/no/such/model", "--out", tmp_path / "r")
    assert proc.returncode == 2 and "no model folder at /no/such/model" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_busy_port_is_refused(tmp_path, tiny):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        proc = pertask_proc("run", "--suite", "smoke", "--model", f"vllm:{tiny}#preset=generic,port={port}",
                            "--out", tmp_path / "r", timeout=300)
    assert proc.returncode == 2 and f"port {port}" in proc.stderr and "busy" in proc.stderr


def test_server_crashing_at_start_up_shows_its_log(tmp_path, tiny):
    broken = tmp_path / "broken-model"
    shutil.copytree(tiny, broken)
    cfg = json.loads((broken / "config.json").read_text())
    cfg["num_attention_heads"] = 3  # hidden 128 is not divisible by 3 heads: vLLM refuses the model
    cfg["architectures"] = ["NoSuchForCausalLM"]
    (broken / "config.json").write_text(json.dumps(cfg))
    proc = pertask_proc("run", "--suite", "smoke", "--model", f"vllm:{broken}#preset=generic",
                        "--out", tmp_path / "r", timeout=600)
    assert proc.returncode == 2
    assert "exited with code" in proc.stderr and "last lines of" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) > 2, "the log's last lines are shown"
    assert (tmp_path / "r" / "servers").is_dir()


def test_server_killed_mid_run_gives_infra_errors_and_resume_reruns_only_those(tmp_path, tiny):
    port = free_port()
    out = tmp_path / "run"
    # The first server comes from `pertask serve`, which must print the spec to use and stop vLLM on Ctrl-C.
    serve = subprocess.Popen([*PERTASK, "serve", "--model", tiny, "--preset", "generic", "--port", str(port),
                              "--name", "tiny-moe"], cwd=ROOT, env=subprocess_env(), stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        line = ""
        while "use it with" not in line:
            line = serve.stdout.readline()
            assert line or serve.poll() is None, "pertask serve exited before the server was ready"
        spec = line.split("--model ")[1].split()[0].strip("'")
        assert spec == f"vllm:tiny-moe@http://127.0.0.1:{port}/v1" and "#protocol=text" in line
        # Enough samples left when the server dies that some still need it: the first is graded beside the
        # next agent, and serve may take up to 25 s to stop vLLM, longer than the other four tasks' one
        # epoch took on a fast machine (CI saw all five finish before the server went).
        cmd = [*PERTASK, "run", "--suite", "smoke", "--model", spec, "--protocol", "text", "--concurrency", "2",
               "--epochs", "2", "--max-turns", "24", "--max-tokens", "24", "--out", str(out)]
        run = subprocess.Popen(cmd, cwd=ROOT, env=subprocess_env(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 300
        while time.time() < deadline and not (out / "samples.jsonl").exists():
            time.sleep(0.2)
        serve.send_signal(signal.SIGINT)  # Ctrl-C: the server dies under the running harness
        assert serve.wait(60) == 130 and not listening(port), "Ctrl-C on serve stops vLLM"
        _, err = run.communicate(timeout=600)
        # The samples the dead server could not serve are infra: the run says so in its exit status.
        assert run.returncode == 1 and "ended in infra errors" in err, err
    finally:
        serve.kill()
    before = {s["sample_id"]: s for s in load_samples(out)}
    assert len(before) == 10
    ok = [t for t, s in before.items() if s["error"] != "infra"]
    infra = [t for t, s in before.items() if s["error"] == "infra"]
    assert ok and infra, before
    assert all(before[t]["score"] is None for t in infra), "infra errors are never scored"

    second = _serve(tiny, port, tmp_path / "b.log")
    try:  # the same run, its infra samples re-run shorter: what a resume re-runs is the point, not their length
        resumed = subprocess.run([*cmd[:cmd.index("--max-turns") + 1], "4", *cmd[cmd.index("--max-turns") + 2:]],
                                 cwd=ROOT, env=subprocess_env(), capture_output=True, text=True, timeout=600)
    finally:
        second.stop()
    assert resumed.returncode == 0, resumed.stderr
    assert f"10 samples, {len(ok)} already done" in resumed.stderr
    after = {s["sample_id"]: s for s in load_samples(out)}
    for t in ok:
        assert after[t] == before[t], "finished samples are not re-run"
    assert all(after[t]["error"] != "infra" for t in infra)


def _serve(model: str, port: int, log: Path) -> VLLMServer:
    server = VLLMServer(model, "tiny-moe", get_preset("generic"), log, port=port)
    server.start_process()
    asyncio.run(server.wait_ready(600))
    return server


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_two_launched_replicas_share_the_samples_and_their_counters_add_up(cli, tmp_path, tiny, monkeypatch):
    """vllm:PATH#replicas=2: two real servers, each sample kept on one; the harness's token totals equal the sum
    of both servers' own counters, and each replica's counters are kept beside the sum. The node is said to have
    two GPUs (an nvidia-smi of the test's own on PATH; the CPU build ignores CUDA_VISIBLE_DEVICES): each replica
    is given one, and without --gpus the node cost bills the two the replicas took."""
    smi = tmp_path / "bin" / "nvidia-smi"
    smi.parent.mkdir()
    smi.write_text("#!/bin/sh\necho 'NVIDIA H200, 143771, 570.86'\necho 'NVIDIA H200, 143771, 570.86'\n")
    smi.chmod(0o755)
    monkeypatch.setenv("PATH", f"{smi.parent}:{os.environ['PATH']}")
    out = tmp_path / "run"
    summary = run_json(cli, "run", "--suite", "smoke", "--model", f"vllm:{tiny}#preset=generic,replicas=2",
                       "--task", "fix-median", "--task", "meeting-actions", "--concurrency", "2", *SHORT,
                       "--gpu-hour-usd", "3.59", "--scrape-every", "0.4", "--out", out)
    (srv,) = summary["servers"]
    assert srv["harness_prompt_tokens"] == srv["server_prompt_tokens"] > 0 and srv["prompt_tokens_diff"] == 0
    assert srv["harness_generation_tokens"] == srv["server_generation_tokens"] > 0
    record = json.loads(next((out / "servers").glob("*.json")).read_text())
    assert len(record["replicas"]) == 2 and all((out / r["log"]).stat().st_size > 0 for r in record["replicas"])
    (session,) = record["sessions"]
    assert sorted(len(r["samples"]) for r in session["replicas"]) == [1, 1], "one sample on each replica"
    first, last = session["snapshots"][0], session["snapshots"][-1]
    served = [b["values"]["vllm:prompt_tokens_total"] - a["values"].get("vllm:prompt_tokens_total", 0.0)
              for a, b in zip(first["replicas"], last["replicas"], strict=True)]
    assert all(x > 0 for x in served) and sum(served) == srv["server_prompt_tokens"]
    samples = load_samples(out)
    assert {s["replica"] for s in samples} == {r["base_url"] for r in record["replicas"]}
    # The report's per-replica rows: each replica's own counters, the balancer's requests.
    rows = srv["replicas"]
    assert [r["server_prompt_tokens"] for r in rows] == served and all(r["samples"] == 1 for r in rows)
    assert sum(r["requests"] for r in rows) == sum(s["usage"]["calls"] for s in samples) + 1, "and the preflight"
    assert [r["gpus"] for r in record["replicas"]] == ["0", "1"], "one GPU group each"
    cost = session["cost"]
    assert (cost["gpus"], cost["gpus_serving"], cost["gpus_from"]) == (2, 2, "the servers' GPU groups")
    assert cost["node_cost_usd"] == pytest.approx(2 * 3.59 * session["node_time_s"] / 3600, abs=1e-9)
    assert sum(s.usd for s in RunStore(out).load_samples()) == pytest.approx(cost["node_cost_usd"], abs=1e-9)
    # The load over time from the real servers' counters and gauges (the requests are short: a scrape may find
    # none running, so the busy share is only bounded here; tests/providers/test_replicas.py pins it).
    load = srv["load"]
    assert load["scrapes"] >= 2 and 0 <= load["busy_share"] <= 1 and all(p["running"] is not None for p in load["points"])
    gen = sum(p["generation_tokens"] for p in load["points"])
    assert all(p["generation_tokens_per_s"] == pytest.approx(p["generation_tokens"] / p["dt_s"], rel=1e-2, abs=1e-2)
               for p in load["points"])
    assert gen == srv["server_generation_tokens"], "the timeline adds up to the total"
    code, text, err = cli("report", out)
    assert code == 0 and "replicas" in text and rows[0]["url"] in text and f"load of {srv['model']}" in text, err
