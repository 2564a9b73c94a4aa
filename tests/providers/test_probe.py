"""`pertask probe` through the CLI, against scripted providers built from the shipped probe set: a faithful one (the
expected answer to every prompt) and a degraded one (a known share of tool calls sent with broken arguments, some
prompts answered with another tool or none). The probe flags the degraded provider, with the exact shares, and not the
faithful one. `--sweep` finds where a tier's concurrency limit begins, within its call and dollar bounds."""

from __future__ import annotations

import json

from providers.probe import load_set

ITEMS = load_set()["items"]
BROKEN = {it["id"] for it in ITEMS[::4] if it["expect"]["tool"]}  # their arguments arrive as broken JSON
SWAPPED = {"weather-paris": "search_web", "no-tool-greeting": "send_email"}  # answered otherwise
PRICES = '[[price]]\nprovider = "scripted"\nmodel = "glm-5.2"\ninput = 1.0\noutput = 3.2\nsource = "test"\n'


def provider(degraded: bool = False, **extra) -> dict:
    conversations = []
    for it in ITEMS:
        tool, args = it["expect"]["tool"], it["expect"]["arguments"]
        if degraded and it["id"] in SWAPPED:
            tool, args = SWAPPED[it["id"]], {"query": "weather in Paris"} if it["id"] == "weather-paris" else \
                {"to": "someone@example.com", "subject": "Hi", "body": "Hello"}
        if degraded and it["id"] in BROKEN:
            args = "{" + json.dumps(args)[1:-1]  # the closing brace lost
        turn = {"tool_calls": [{"name": tool, "arguments": args}]} if tool else {"content": "A direct answer."}
        conversations.append({"match": it["prompt"], "turns": [{**turn, "usage": {"prompt_tokens": 300,
                                                                               "completion_tokens": 20}}]})
    return {"model": "glm-5.2", "conversations": conversations, **extra}


def test_the_probe_flags_a_degraded_provider_and_not_the_faithful_one(cli, tmp_path, write_script):
    good, bad = write_script(provider(), "good.json"), write_script(provider(degraded=True), "bad.json")
    (tmp_path / "prices.toml").write_text(PRICES)
    code, out, err = cli("probe", "--model", f"scripted:{good}", "--model", f"scripted:{bad}", "--repeats", "2",
                         "--prices", tmp_path / "prices.toml", "--json")
    assert code == 0, err
    got = json.loads(out)
    faithful, degraded = got["models"]
    assert got["reference"] == "scripted:good"  # named by its file, wherever it is
    assert faithful["calls"] == degraded["calls"] == 64
    assert (faithful["schema_valid"], faithful["as_expected"], faithful["concerns"]) == (1.0, 1.0, [])
    tool_items = sum(1 for it in ITEMS if it["expect"]["tool"])
    # Per repeat: the broken ones of the tool items (one of them also swapped), and the greeting's new tool call.
    calls = tool_items + 1
    assert degraded["tool_calls"] == 2 * calls
    assert degraded["schema_valid"] == round((calls - len(BROKEN)) / calls, 4), degraded
    assert set(degraded["disagrees_on"]) == set(SWAPPED) and degraded["agreement"] == round(1 - 2 / len(ITEMS), 4)
    assert any("did not parse or fit" in c for c in degraded["concerns"]), degraded["concerns"]
    assert faithful["usd"] == round(64 * (300 * 1.0 + 20 * 3.2) / 1e6, 6)  # minutes and cents: priced per call
    code, text, _ = cli("probe", "--model", f"scripted:{good}", "--model", f"scripted:{bad}", "--repeats", "1")
    assert code == 0 and "no concern" in text and "did not parse or fit their schema" in " ".join(text.split())


def test_the_sweep_finds_where_rate_limits_begin_within_its_bounds(cli, tmp_path, write_script):
    tier = provider(rate_limit_in_flight=6)
    for c in tier["conversations"]:
        c["turns"][0]["delay_s"] = 0.05  # long enough for requests to overlap
    path = write_script(tier, "tier.json")
    code, out, err = cli("probe", "--sweep", "--model", f"scripted:{path}", "--json")
    assert code == 0, err
    (s,) = json.loads(out)["sweep"]
    assert [st["concurrency"] for st in s["steps"]] == [1, 2, 4, 8] and s["rate_limits_from"] == 8
    assert all(st["rate_limited"] == 0 for st in s["steps"][:3]) and s["steps"][3]["rate_limited"] > 0
    assert s["stopped"] == "rate limits met at concurrency 8" and s["calls"] == 8 + 8 + 16 + 32
    # Bounded: at most --max-calls, and no further than --budget-usd.
    code, out, _ = cli("probe", "--sweep", "--model", f"scripted:{path}", "--max-calls", "20", "--json")
    (s,) = json.loads(out)["sweep"]
    assert s["calls"] == 16 and "would pass --max-calls 20" in s["stopped"]
    (tmp_path / "prices.toml").write_text(PRICES)
    code, out, _ = cli("probe", "--sweep", "--model", f"scripted:{path}", "--budget-usd", "0.000001", "--prices",
                       tmp_path / "prices.toml", "--json")
    (s,) = json.loads(out)["sweep"]
    assert s["calls"] == 8 and s["stopped"] == "--budget-usd 1e-06 reached" and s["usd"] > 0
