"""The metering proxy's overhead per call, on loopback (issue 17's figure).

A zero-latency scripted server runs in its own process; a client process (standing in for an external
agent, one aiohttp session, calls one after another) calls it N times directly and N times through the
proxy, which runs in this process. Printed, for plain and streamed Chat Completions: the client's latency
p50/p90 direct and through the proxy, the latency the proxy adds (p50 of the difference), and this
process's CPU milliseconds per proxied call (forwarding, metering and pricing included).

    .venv/bin/python benchmarks/proxy_overhead.py [N]
"""

from __future__ import annotations

import asyncio
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SCRIPT = {"model": "m", "api_key": "sk-bench", "default": [
    {"content": "ok", "usage": {"prompt_tokens": 100, "completion_tokens": 5}}]}


async def client(url: str, key: str, n: int, stream: bool) -> list[float]:
    import aiohttp

    body = {"model": "m", "messages": [{"role": "user", "content": "hi"}], "stream": stream}
    out = []
    async with aiohttp.ClientSession() as s:
        for _ in range(n + 5):  # the first few warm the connection pools
            t = time.perf_counter()
            async with s.post(url, json=body, headers={"Authorization": f"Bearer {key}"}) as r:
                await r.read()
                assert r.status == 200, r.status
            out.append(time.perf_counter() - t)
    return out[5:]


def pct(xs: list[float], q: int) -> float:
    return statistics.quantiles(xs, n=100)[q - 1] * 1000


async def main(n: int) -> None:
    import os

    from harness.agents.proxy import Meter, MeteringProxy
    from providers.registry import build_model
    from results.prices import Catalog

    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "script.json"
        script.write_text(json.dumps(SCRIPT))
        server = subprocess.Popen([sys.executable, "-m", "providers.scripted", str(script)], stdout=subprocess.PIPE,
                                  text=True, cwd=ROOT)
        try:
            upstream = server.stdout.readline().strip()
            os.environ["OPENAI_COMPATIBLE_API_KEY"] = "sk-bench"
            model = build_model(f"openai-compatible:m@{upstream}", Catalog.load())
            proxy = MeteringProxy()
            base = await proxy.start()
            meter = Meter("bench", model)
            key = proxy.open(meter)
            rows = []
            for stream in (False, True):
                direct = await _client_process(f"{upstream}/chat/completions", "sk-bench", n, stream)
                cpu0 = resource.getrusage(resource.RUSAGE_SELF)
                proxied = await _client_process(f"{base}/v1/chat/completions", key, n, stream)
                cpu1 = resource.getrusage(resource.RUSAGE_SELF)
                cpu_ms = ((cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)) * 1000 / (n + 5)
                rows.append((stream, direct, proxied, cpu_ms))
            await proxy.stop()
            await model.aclose()
        finally:
            server.terminate()
    assert len(meter.calls) == 2 * (n + 5) and all(c["usage"]["output"] == 5 for c in meter.calls)
    print(f"{n} calls each, one after another ({'metered: ' + str(len(meter.calls)) + ' calls'})")
    print(f"{'':<10} {'direct p50':>10} {'p90':>7} {'proxy p50':>10} {'p90':>7} {'added p50':>10} {'CPU/call':>9}  (ms)")
    for stream, direct, proxied, cpu_ms in rows:
        added = statistics.median(proxied) - statistics.median(direct)
        print(f"{'stream' if stream else 'plain':<10} {pct(direct, 50):>10.2f} {pct(direct, 90):>7.2f} "
              f"{pct(proxied, 50):>10.2f} {pct(proxied, 90):>7.2f} {added * 1000:>10.2f} {cpu_ms:>9.2f}")


async def _client_process(url: str, key: str, n: int, stream: bool) -> list[float]:
    proc = await asyncio.create_subprocess_exec(sys.executable, __file__, "--client", url, key, str(n),
                                                "1" if stream else "0", stdout=asyncio.subprocess.PIPE)
    out, _ = await proc.communicate()
    return json.loads(out)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--client"]:
        url, key, n, stream = sys.argv[2:6]
        print(json.dumps(asyncio.run(client(url, key, int(n), stream == "1"))))
    else:
        asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 500))
