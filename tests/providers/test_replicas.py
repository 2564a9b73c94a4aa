"""Several replicas behind one model spec (`vllm:NAME@URL1,URL2`), through the CLI against two real scripted
servers on loopback: each sample's calls stay on one replica (its prefix cache is there), samples are spread
over both, the tokens add up across them, and a replica that dies mid-run makes only its own in-flight
samples infra errors, which a resume re-runs, nothing doubled."""

from __future__ import annotations

import json
import threading
import time

import pytest

from tests.conftest import SUBMIT, bash, load_samples, run_json
from tests.harness.run.test_resume import TASK_MATCH

USAGE = {"prompt_tokens": 200, "completion_tokens": 20}


@pytest.fixture
def replicas(fake):
    """A scripted server that answers any key (a vLLM server takes none), one conversation per smoke task."""
    def start(delay_s: float = 0.0):
        turns = [{"tool_calls": [bash("ls")], "usage": USAGE, "delay_s": delay_s}] * 2 + [{**SUBMIT, "usage": USAGE}]
        convs = [{"match": m, "turns": turns} for m in TASK_MATCH.values()]  # the conversation tells the task
        return fake({"model": "m", "conversations": convs, "api_key": None})

    return start


def _task_of(request: dict) -> str:
    return list(TASK_MATCH)[request["conversation"]]


def test_a_sample_stays_on_one_replica_and_samples_spread_over_both(replicas, cli, tmp_path):
    a, b = replicas(0.05), replicas(0.05)
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", "smoke", "--model", f"vllm:m@{a.url},{b.url}#preset=generic,protocol=tools", "--concurrency", "2",
             "--no-preflight", "--out", out)
    samples = load_samples(out)
    assert len(samples) == 5 and all(s["error"] == "none" for s in samples), [s["error_detail"] for s in samples]
    on = {name: [_task_of(r) for r in srv.requests] for name, srv in (("a", a), ("b", b))}
    assert set(on["a"]).isdisjoint(on["b"]), f"a sample's calls went to both replicas: {on}"
    assert len(set(on["a"])) >= 2 and len(set(on["b"])) >= 2, f"samples were not spread: {on}"
    assert sorted(set(on["a"]) | set(on["b"])) == sorted(TASK_MATCH)
    # Tokens add up across replicas: what the records hold is what the two servers reported.
    sent = [r["usage"] for srv in (a, b) for r in srv.requests]
    assert sum(s["usage"]["input_uncached"] + s["usage"]["input_cached"] for s in samples) == \
        sum(u["prompt_tokens"] for u in sent)
    assert sum(s["usage"]["output"] for s in samples) == sum(u["completion_tokens"] for u in sent) == 20 * len(sent)
    session = json.loads(next((out / "servers").glob("*.json")).read_text())["sessions"][-1]
    reps = {r["url"]: r for r in session["replicas"]}
    assert (reps[a.url]["requests"], reps[b.url]["requests"]) == (len(a.requests), len(b.requests))
    assert {s.split("|")[1] for s in reps[a.url]["samples"]} == set(on["a"])
    assert {s["task_id"] for s in samples if s["replica"] == a.url} == set(on["a"]), "each record names its replica"
    assert all(s["executor"] == "local" and s["node"] for s in samples)


def test_a_replica_that_dies_fails_only_its_own_samples_and_a_resume_reruns_them(replicas, cli, tmp_path):
    a, b = replicas(0.3), replicas(0.3)
    out = tmp_path / "run"
    spec = f"vllm:m@{a.url},{b.url}#preset=generic,protocol=tools"

    def kill_b() -> None:  # as soon as b has a sample in flight
        deadline = time.time() + 60
        while not b.requests and time.time() < deadline:
            time.sleep(0.01)
        b.stop()

    killer = threading.Thread(target=kill_b)
    killer.start()
    code, _, err = cli("run", "--suite", "smoke", "--model", spec, "--concurrency", "2", "--no-preflight", "--out", out)
    killer.join()
    assert code == 1 and "1 of 5 samples ended in infra errors" in err, err
    first = load_samples(out)
    infra = [s for s in first if s["error"] == "infra"]
    on_b = {_task_of(r) for r in b.requests}
    assert len(infra) == 1 and {s["task_id"] for s in infra} == on_b, ([s["error"] for s in first], on_b)
    assert all(s["error"] == "none" for s in first if s not in infra), "the other samples went on, on replica a"
    session = json.loads(next((out / "servers").glob("*.json")).read_text())["sessions"][-1]
    assert {r["url"]: r["down"] for r in session["replicas"]} == {a.url: False, b.url: True}

    b2 = replicas(0.0)  # the replica back, at a new address: the resume re-runs only the infra sample
    run_json(cli, "run", "--suite", "smoke", "--model", f"vllm:m@{a.url},{b2.url}#preset=generic,protocol=tools", "--no-preflight",
             "--out", out)
    after = load_samples(out)
    assert len(after) == 5 and len({s["sample_id"] for s in after}) == 5, "nothing doubled"
    assert all(s["error"] == "none" for s in after)


def test_each_replica_s_load_over_time_comes_from_its_own_metrics(replicas, cli, tmp_path):
    """The servers' /metrics scraped through the run: a timeline of tokens per second and requests running, the
    busy share per replica, and the servers' own token counters equal to the harness's (the scripted server
    exposes vLLM's series from what it answered)."""
    a, b = replicas(0.4), replicas(0.4)
    out = tmp_path / "run"
    summary = run_json(cli, "run", "--suite", "smoke", "--model", f"vllm:m@{a.url},{b.url}#preset=generic,protocol=tools",
                       "--concurrency", "2", "--no-preflight", "--scrape-every", "0.25", "--gpus", "2",
                       "--gpu-hour-usd", "3.59", "--out", out)
    (srv,) = summary["servers"]
    # $/Mtok at the best throughput the servers showed, beside $/Mtok as run (which carries the idle time).
    assert srv["usd_per_mtok_at_peak"] == pytest.approx(2 * 3.59 / 3600 / srv["peak_tokens_per_s"] * 1e6)
    assert srv["usd_per_mtok_at_peak"] <= srv["node"]["usd_per_mtok"]
    assert srv["node"]["time_s"] == {"serving": srv["node"]["node_time_s"]}, "attached: the session only"
    assert srv["prompt_tokens_diff"] == 0 and srv["generation_tokens_diff"] == 0
    assert srv["server_generation_tokens"] == 20 * (len(a.requests) + len(b.requests))
    load = srv["load"]
    assert load["interval_s"] == 0.25 and load["scrapes"] >= 8, load["scrapes"]
    running = [p["running"] for p in load["points"]]
    assert max(running) >= 1 and all(0 <= x <= 2 for x in running), "never more at work than --concurrency"
    assert 0 < load["busy_share"] <= 1 and load["mean_running"] > 0
    # The tokens per second over the intervals add back up to the server's total.
    gen = sum(p["generation_tokens"] for p in load["points"])
    assert all(p["generation_tokens_per_s"] == pytest.approx(p["generation_tokens"] / p["dt_s"], rel=1e-2, abs=1e-2)
               for p in load["points"])
    assert gen == srv["server_generation_tokens"]
    assert load["peak_generation_tokens_per_s"] == max(p["generation_tokens_per_s"] for p in load["points"])
    rows = {r["url"]: r for r in srv["replicas"]}
    assert all(0 < rows[u]["busy_share"] <= 1 for u in (a.url, b.url)), rows
    assert rows[a.url]["server_generation_tokens"] == 20 * len(a.requests), "each replica's own counters"
    (session,) = json.loads((out / "manifest.json").read_text())["sessions"]
    assert list(session["ran"].values()) == [5] and next(iter(session["ran"])).startswith("local on ")
    assert session["busy_share"] == {srv["model"]: load["busy_share"]} and session["samples_per_s"] > 0
    code, text, err = cli("report", out)
    assert code == 0 and f"load of {srv['model']}: busy" in text and f"{load['busy_share']:.0%} of {load['scrapes']} scrapes" in text, text


def test_gpu_groups_split_a_node_by_the_parallel_size():
    from providers.base import SpecError
    from providers.vllm.model import gpu_groups

    eight = {"gpu_count": 8}
    assert gpu_groups(2, [], {"gpu_count": 0}) is None, "the CPU build's replicas share the cores"
    assert gpu_groups(4, ["--tensor-parallel-size", "2"], eight) == ["0,1", "2,3", "4,5", "6,7"]
    assert gpu_groups(2, ["-tp=2", "--pipeline-parallel-size", "2"], eight) == ["0,1,2,3", "4,5,6,7"]
    with pytest.raises(SpecError, match="need 16 GPUs; this node has 8"):
        gpu_groups(2, ["--tensor-parallel-size", "8"], eight)
