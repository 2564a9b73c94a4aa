"""Figures 3 and 4: server saturation and prefix-cache efficiency on a real vLLM server (the CPU build,
the tiny random-weight MoE from providers/vllm/models.py), all phases against one server in one run.

3. Output tokens/s of the server while pertask drives C concurrent agents, against
   (a) a bare replay: the very requests pertask sent (read back from its transcripts), each sample's
       turns in order, C at a time, straight from an HTTP client with nothing between turns — the same
       request shapes with no harness; and
   (b) vLLM's own `vllm bench serve` (random prompts of the same mean length, same output length and
       concurrency), for reference: it has no prefix reuse, so its prompts cost more to prefill.
   Throughput is the server's generation-token counter over the window in which it was generating.
4. Prefix-cache efficiency of the pertask run: for each request after a sample's first, the prompt
   tokens it shares with the sample's previous request (tokenized by the server's own /tokenize,
   rounded down to whole KV blocks) are "cacheable"; efficiency = cached ÷ cacheable, each request's
   cached tokens counted up to its cacheable ones. Then the same replay with a timestamp in the system
   prompt shows what breaks caching.

    .venv/bin/python benchmarks/vllm_serving.py [--concurrency 8] [--samples 32] [--turns 6] [--max-tokens 64]
                                                [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from providers.vllm.metrics import metrics_url, scrape_sync  # noqa: E402
from providers.vllm.models import tiny_moe, vllm_python  # noqa: E402
from providers.vllm.presets import get_preset  # noqa: E402
from providers.vllm.process import VLLMServer  # noqa: E402
from tasks.authoring.synthetic import write_suite  # noqa: E402

INSTRUCTION = ("The quarterly figures in finance/q3.xlsx disagree with the totals quoted in the emails under "
               "mail/. Find which figures were superseded, reconcile the budget per department, and write "
               "reconciled.csv with the columns department, budget_usd and source. Keep a short note of every "
               "conflict you resolved in notes.md.")


class Poller(threading.Thread):
    """Reads the server's counters every `every` seconds: (time, generated tokens, running requests)."""

    def __init__(self, base_url: str, every: float = 0.1):
        super().__init__(daemon=True)
        self.base_url, self.every, self.rows, self.stop = base_url, every, [], threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                v = scrape_sync(self.base_url, timeout=5)["values"]
                self.rows.append((time.perf_counter(), v.get("vllm:generation_tokens_total", 0.0),
                                  v.get("vllm:num_requests_running", 0.0)))
            except OSError:
                pass
            time.sleep(self.every)

    def window(self, t0: float, t1: float) -> dict:
        """Generated tokens per second between the first and the last counter increase in [t0, t1]."""
        rows = [r for r in self.rows if t0 <= r[0] <= t1]
        moved = [i for i in range(1, len(rows)) if rows[i][1] > rows[i - 1][1]]
        first, last = rows[moved[0] - 1], rows[moved[-1]]
        busy = [r[2] for r in rows[moved[0]:moved[-1] + 1]]
        return {"gen_tokens": int(last[1] - first[1]), "window_s": round(last[0] - first[0], 2),
                "out_tok_s": round((last[1] - first[1]) / (last[0] - first[0]), 1),
                "mean_running": round(sum(busy) / len(busy), 2)}


def requests_of(run: Path) -> list[list[dict]]:
    """Per sample, the message lists pertask sent, in order (from its transcripts)."""
    out = []
    for line in (run / "samples.jsonl").read_text().splitlines():
        s = json.loads(line)
        tr = json.loads((run / s["transcript"]).read_text())
        out.append([{"messages": tr["messages"][:c["message_index"]],
                     "cached": (c["usage"] or {}).get("input_cached", 0)} for c in tr["calls"]])
    return out


async def replay(base_url: str, model: str, samples: list[list[dict]], concurrency: int, max_tokens: int,
                 stamp: bool = False) -> list[list[dict]]:
    """Each sample's requests in order, `concurrency` samples at a time, nothing between turns."""
    queue: asyncio.Queue = asyncio.Queue()
    for i, reqs in enumerate(samples):
        queue.put_nowait((i, reqs))
    results: list[list[dict]] = [[] for _ in samples]
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, timeout=600, limits=limits) as client:
        async def worker() -> None:
            while not queue.empty():
                i, reqs = queue.get_nowait()
                for r in reqs:
                    messages = r["messages"]
                    if stamp:  # what a harness that puts the time in its system prompt would send
                        messages = [{**messages[0], "content": f"Now: {time.time():.6f}\n{messages[0]['content']}"},
                                    *messages[1:]]
                    resp = await client.post("/chat/completions", json={
                        "model": model, "messages": messages, "max_completion_tokens": max_tokens})
                    resp.raise_for_status()
                    details = resp.json()["usage"].get("prompt_tokens_details") or {}
                    results[i].append({"messages": messages, "cached": details.get("cached_tokens") or 0})

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return results


def tokenize(base_url: str, model: str, messages: list[dict]) -> list[int]:
    root = base_url[: -len("/v1")]
    body = json.dumps({"model": model, "messages": messages, "add_generation_prompt": True}).encode()
    req = urllib.request.Request(root + "/tokenize", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:  # noqa: S310 (our own server)
        return json.loads(r.read())["tokens"]


def cache_efficiency(base_url: str, model: str, samples: list[list[dict]], block: int) -> dict:
    cacheable = cached = prompt = 0
    for reqs in samples:
        prev: list[int] | None = None
        for r in reqs:
            ids = tokenize(base_url, model, r["messages"])
            prompt += len(ids)
            if prev is not None:
                shared = next((k for k, (a, b) in enumerate(zip(ids, prev, strict=False)) if a != b),
                              min(len(ids), len(prev)))
                can = shared // block * block
                cacheable += can
                cached += min(r["cached"], can)
            prev = ids
    return {"prompt_tokens": prompt, "cacheable": cacheable, "cached_of_cacheable": cached,
            "efficiency": round(cached / cacheable, 4) if cacheable else None}


def reset_cache(base_url: str) -> None:
    """Every phase starts with an empty prefix cache: the replay sends the very prompts pertask sent,
    which a warm cache would serve whole. (The endpoint needs VLLM_SERVER_DEV_MODE=1.)"""
    req = urllib.request.Request(base_url[: -len("/v1")] + "/reset_prefix_cache", b"", method="POST")
    with urllib.request.urlopen(req, timeout=60) as r:  # noqa: S310 (our own server)
        r.read()


def children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def block_size(base_url: str) -> int:
    with urllib.request.urlopen(metrics_url(base_url), timeout=10) as r:  # noqa: S310
        m = re.search(r'vllm:cache_config_info\{[^}]*block_size="(\d+)"', r.read().decode())
    return int(m.group(1)) if m else 16


def bench_serve(model_dir: str, port: int, input_len: int, out_len: int, prompts: int, concurrency: int,
                result: Path) -> None:
    # The CLI entry point dies with "Illegal instruction" on CPUs without AVX-512 (facts/vllm-on-cpu.md);
    # the module's own parser and main do the same work.
    code = ("import argparse, sys; from vllm.benchmarks import serve; p = argparse.ArgumentParser(); "
            "serve.add_cli_args(p); serve.main(p.parse_args(sys.argv[1:]))")
    argv = [vllm_python(), "-c", code, "--backend", "openai-chat", "--base-url", f"http://127.0.0.1:{port}",
            "--endpoint", "/v1/chat/completions", "--model", model_dir, "--served-model-name", "tiny-moe",
            "--dataset-name", "random", "--random-input-len", str(input_len), "--random-output-len", str(out_len),
            "--num-prompts", str(prompts), "--max-concurrency", str(concurrency), "--ignore-eos",
            "--save-result", "--result-dir", str(result.parent), "--result-filename", result.name]
    proc = subprocess.run(argv, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"vllm bench serve failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--samples", type=int, default=32)
    ap.add_argument("--turns", type=int, default=6)
    ap.add_argument("--max-tokens", type=int, default=64)
    ap.add_argument("--rounds", type=int, default=3, help="pertask runs, each followed by its bare replay")
    ap.add_argument("--keep", type=Path, help="copy pertask's run directories here, to look into")
    a = ap.parse_args()
    model_dir = str(tiny_moe())
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        os.environ["VLLM_SERVER_DEV_MODE"] = "1"  # for /reset_prefix_cache
        server = VLLMServer(model_dir, "tiny-moe", get_preset("generic"), tmp / "vllm.log")
        server.start_process()
        try:
            asyncio.run(server.wait_ready(900))
            url = server.base_url
            block = block_size(url)
            poller = Poller(url)
            poller.start()
            tasks = 8
            suite = write_suite(tmp / "suite", tasks, instruction=INSTRUCTION,
                                check="assert (ws / 'reconciled.csv').is_file()")
            rounds = []  # pertask and its bare replay alternate: the machine's noise hits both alike
            for r in range(a.rounds):
                run = tmp / f"run{r}"
                reset_cache(url)
                t0, cpu0 = time.perf_counter(), children_cpu()
                subprocess.run([sys.executable, "-m", "harness.cli", "run", "--suite", str(suite), "--model",
                                f"vllm:tiny-moe@{url}#protocol=text", "--epochs", str(a.samples // tasks),
                                "--concurrency", str(a.concurrency), "--max-turns", str(a.turns), "--max-tokens",
                                str(a.max_tokens), "--out", str(run)], cwd=ROOT, check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                pertask = poller.window(t0, time.perf_counter())
                pertask["harness_cpu_s"] = round(children_cpu() - cpu0, 1)  # the CLI, its sandboxes and graders
                samples = requests_of(run)
                if a.keep:
                    shutil.copytree(run, a.keep / run.name, dirs_exist_ok=True)
                reset_cache(url)
                t0 = time.perf_counter()
                asyncio.run(replay(url, "tiny-moe", samples, a.concurrency, a.max_tokens))
                bare = poller.window(t0, time.perf_counter())
                rounds.append((pertask, bare))
                print(f"round {r + 1}: pertask {pertask}; bare replay {bare}; ratio "
                      f"{pertask['out_tok_s'] / bare['out_tok_s']:.3f}", flush=True)
            samples = requests_of(tmp / "run0")
            n_req = sum(len(s) for s in samples)

            mean_in = sum(len(tokenize(url, "tiny-moe", r["messages"])) for s in samples for r in s) // n_req
            reset_cache(url)
            t0 = time.perf_counter()
            bench_serve(model_dir, server.port, mean_in, a.max_tokens, n_req, a.concurrency, tmp / "bench.json")
            bench = poller.window(t0, time.perf_counter())
            bench_own = json.loads((tmp / "bench.json").read_text())

            eff = cache_efficiency(url, "tiny-moe", samples, block)
            reset_cache(url)
            stamped = asyncio.run(replay(url, "tiny-moe", samples, a.concurrency, a.max_tokens, stamp=True))
            # Measured against what a stable prompt could have reused: the stamp makes it uncacheable.
            eff_stamped = cache_efficiency(url, "tiny-moe", [
                [{**r, "cached": st["cached"]} for r, st in zip(s, s2, strict=True)]
                for s, s2 in zip(samples, stamped, strict=True)], block)
            poller.stop.set()
        finally:
            server.stop()
    print(f"vLLM CPU server, tiny MoE; {a.samples} samples x {a.turns} turns, {a.max_tokens} output tokens a "
          f"call, concurrency {a.concurrency}; {n_req} requests, mean prompt {mean_in} tokens, KV block {block}")
    ratios = sorted(p["out_tok_s"] / b["out_tok_s"] for p, b in rounds)
    pertask_tok_s = statistics.median(p["out_tok_s"] for p, _ in rounds)
    print(f"3. pertask / bare replay, per round: {', '.join(f'{x:.3f}' for x in ratios)}; "
          f"median {statistics.median(ratios):.3f}")
    print(f"   vllm bench serve : {bench}  (its own figure: {bench_own.get('output_throughput', 0):.1f} out tok/s)")
    print(f"   pertask (median of rounds, {pertask_tok_s:.1f} out tok/s) / bench serve = "
          f"{pertask_tok_s / bench['out_tok_s']:.3f}")
    print(f"4. prefix-cache efficiency, pertask's requests: {eff}")
    print(f"   the same with a timestamp in the system prompt: {eff_stamped}")


if __name__ == "__main__":
    main()
