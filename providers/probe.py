"""`pertask probe`: what a provider serves, before a full run pays for it.

A shipped set of tool-use prompts (providers/data/probe.json: 32 of them, ten tools with constraints in their
schemas, eight prompts where the right answer is to call no tool) goes to each model N times. Per model:

- tool calls whose arguments are valid JSON and fit the tool's schema (jsonschema), of all tool calls;
- answers as expected (the right tool, or no tool where none is needed);
- agreement with the reference model (the first given, or --reference) on whether to call and which tool, item by
  item, each model's most frequent answer to the item;
- empty answers (no text, no tool call) and answers cut off by the length limit;
- calls, tokens, dollars at list prices and wall time: minutes and cents, not a benchmark's dollars.

A model that serves the same weights faithfully agrees with its reference on nearly every item; one that mangles tool
calls (a broken parser, a quantisation, a chat template) shows it here. The sweep (providers/sweep.py) measures how
hard a provider can be pushed.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

from .base import ChatRequest, Model, ModelCallError, Sampling

DATA = Path(__file__).parent / "data" / "probe.json"


def load_set() -> dict[str, Any]:
    return json.loads(DATA.read_text())


def request(probe: dict[str, Any], item: dict[str, Any], max_tokens: int = 512) -> ChatRequest:
    return ChatRequest([{"role": "system", "content": probe["system"]}, {"role": "user", "content": item["prompt"]}],
                       [probe["tools"][t] for t in item["tools"]], Sampling(max_tokens=max_tokens))


def judge(probe: dict[str, Any], item: dict[str, Any], msg: dict[str, Any], finish: str | None) -> dict[str, Any]:
    """One answer: which tool it called (None: none), whether each call's arguments fit the schema, empty or cut."""
    import jsonschema

    calls = msg.get("tool_calls") or []
    valid = []
    for c in calls:
        name, raw = c["function"]["name"], c["function"].get("arguments") or "{}"
        try:
            args = json.loads(raw) if isinstance(raw, str) else raw
            schema = probe["tools"][name]["function"]["parameters"] if name in item["tools"] else None
            valid.append(schema is not None and not list(jsonschema.Draft202012Validator(schema).iter_errors(args)))
        except (json.JSONDecodeError, TypeError):
            valid.append(False)
    tool = calls[0]["function"]["name"] if calls else None
    text = msg.get("content") or ""
    return {"tool": tool, "tool_calls": len(calls), "valid": sum(valid), "expected": tool == item["expect"]["tool"],
            "empty": not calls and not (text.strip() if isinstance(text, str) else text),
            "cut_off": finish in ("length", "max_tokens")}


async def probe_model(model: Model, repeats: int, concurrency: int = 8) -> dict[str, Any]:
    """Every item `repeats` times: the answers, judged, and what they cost."""
    from results.prices import call_usd

    data, gate = load_set(), asyncio.Semaphore(concurrency)
    answers: dict[str, list[dict[str, Any]]] = {it["id"]: [] for it in data["items"]}
    spent: list[float | None] = []
    tokens = Counter()

    async def one(item: dict[str, Any]) -> None:
        async with gate:
            try:
                out = await model.generate(request(data, item))
            except ModelCallError as exc:
                answers[item["id"]].append({"error": f"{exc.kind}: {exc.detail}"[:200]})
                return
        answers[item["id"]].append(judge(data, item, out.message, out.finish_reason))
        spent.append(call_usd(model.info, out.usage))
        tokens.update({"input": out.usage.input_total, "output": out.usage.output})

    t0 = time.perf_counter()
    await asyncio.gather(*(one(it) for it in data["items"] for _ in range(repeats)))
    return {"model": model.info.spec, "answers": answers, "wall_s": round(time.perf_counter() - t0, 3),
            "usd": None if None in spent else round(sum(spent), 6), "tokens": dict(tokens)}


def _mode(answers: list[dict[str, Any]]) -> str | None:
    got = Counter(a["tool"] or "(none)" for a in answers if "error" not in a)
    return got.most_common(1)[0][0] if got else None


def summarize(result: dict[str, Any], reference: dict[str, Any] | None) -> dict[str, Any]:
    """A model's figures; `reference`: the reference model's result (None for the reference itself)."""
    every = [a for got in result["answers"].values() for a in got]
    ok = [a for a in every if "error" not in a]
    calls = sum(a["tool_calls"] for a in ok)
    out = {"model": result["model"], "calls": len(every), "errors": len(every) - len(ok),
           "tool_calls": calls, "schema_valid": None if not calls else round(sum(a["valid"] for a in ok) / calls, 4),
           "as_expected": None if not ok else round(sum(a["expected"] for a in ok) / len(ok), 4),
           "empty": sum(a["empty"] for a in ok), "cut_off": sum(a["cut_off"] for a in ok),
           "usd": result["usd"], "tokens": result["tokens"], "wall_s": result["wall_s"]}
    if reference is not None:
        items = [i for i in result["answers"] if _mode(reference["answers"][i]) is not None]
        same = [i for i in items if _mode(result["answers"][i]) == _mode(reference["answers"][i])]
        out["agreement"] = None if not items else round(len(same) / len(items), 4)
        out["disagrees_on"] = sorted(set(items) - set(same))
    return out
