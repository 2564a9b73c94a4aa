"""What `pertask probe` costs a provider at its defaults (3 repeats of the 32 prompts, 8 at a time): calls, tokens and
wall time, measured against a scripted provider that answers every prompt as expected after a fixed delay standing
in for a hosted provider's latency (its tokens counted from the real requests: the system prompt, the prompt and the
tools' schemas), and those tokens priced at each catalog model's list price.

    .venv/bin/python benchmarks/probe_cost.py [DELAY_S]     (default 2.0 s a call)
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from providers.probe import load_set  # noqa: E402
from providers.probe_run import probe_command  # noqa: E402
from results.prices import Catalog, cost_usd  # noqa: E402
from results.records import Usage  # noqa: E402

MODELS = [("zai", "glm-5.2"), ("deepseek", "deepseek-v4-pro"), ("openai", "gpt-5.5"),
          ("anthropic", "claude-opus-4-8"), ("anthropic", "claude-fable-5")]


def faithful(delay: float) -> dict:
    """The expected answer to every prompt, its usage left to the server (counted from the request)."""
    conv = []
    for it in load_set()["items"]:
        e = it["expect"]
        turn = {"tool_calls": [{"name": e["tool"], "arguments": e["arguments"]}]} if e["tool"] else \
            {"content": "A direct answer in one sentence."}
        conv.append({"match": it["prompt"], "turns": [{**turn, "delay_s": delay}]})
    return {"model": "probe-bench", "conversations": conv}


async def main(delay: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "faithful.json"
        script.write_text(json.dumps(faithful(delay)))
        t0 = time.perf_counter()
        out = await probe_command([f"scripted:{script}"], None, 3, False, 0, 0, None, None)
        wall = time.perf_counter() - t0
    (row,) = out["models"]
    tok = row["tokens"]
    print(f"calls {row['calls']}, input {tok['input']:,} tokens ({tok['input'] / row['calls']:.0f} a call), output "
          f"{tok['output']:,}; wall {wall:.1f} s at {delay:g} s a call")
    catalog = Catalog.load()
    usage = Usage(input_uncached=tok["input"], output=tok["output"], calls=row["calls"])
    for provider, model in MODELS:
        entry = catalog.lookup(provider, model)
        usd = cost_usd(usage, entry) if entry else None
        print(f"  {provider + ':' + model:<28} {'unknown' if usd is None else f'${usd:.4f}'}")


if __name__ == "__main__":
    asyncio.run(main(float(sys.argv[1]) if len(sys.argv) > 1 else 2.0))
