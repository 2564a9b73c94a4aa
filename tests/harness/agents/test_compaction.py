"""A conversation that outgrows the model: the built-in agent compacts it (the older turns summarised by the same
model, billed to the sample, noted in the transcript) and finishes; with #compaction=off the same run overflows, the
model's failure. The scripted fake refuses any prompt over its context, as a provider does."""

from __future__ import annotations

import json

from tests.conftest import SUBMIT, bash, copy_suite, load_samples, run_json

CONTEXT = 6_000  # tokens: the fake refuses more, and the spec says so with #context=
NOTES = "NOTES: printed a block of x each turn; nothing else learned."
TURNS = 24


def long_task(tmp_path):
    suite = copy_suite(tmp_path / "suite", ("fix-median",), max_turns=TURNS + 5)
    # ~300 tokens of output a turn: twenty-four of them cannot fit in the window together.
    turns = [{"tool_calls": [bash(f"python3 -c \"print('{i}' + 'x' * 1200)\"")]} for i in range(TURNS)] + [SUBMIT]
    script = tmp_path / "long.json"
    script.write_text(json.dumps({"model": "long", "context": CONTEXT, "conversations": [
        {"match": "to be replaced by your notes", "turns": [{"content": NOTES}]},  # the summariser's request
        {"match": "wrong medians", "turns": turns}]}))
    prices = tmp_path / "prices.toml"
    prices.write_text('[[price]]\nprovider = "scripted"\nmodel = "long"\ninput = 1.0\noutput = 2.0\n')
    return suite, script, prices


def test_a_long_task_compacts_to_finish_and_pays_for_its_summaries(cli, tmp_path):
    suite, script, prices = long_task(tmp_path)
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", suite, "--model", f"scripted:{script}#context={CONTEXT}", "--out", out,
             "--prices", prices)
    (rec,) = load_samples(out)
    assert rec["error"] == "none" and rec["turns"] == TURNS + 1, rec  # it went on to submit
    assert rec["compactions"] >= 2
    t = json.loads((out / rec["transcript"]).read_text())
    notes = [m for m in t["messages"] if m.get("compaction")]
    assert len(notes) == rec["compactions"] == len(t["compactions"])
    assert all(NOTES in m["content"] for m in notes) and notes[-1]["compaction"]["replaced_turns"] > 4
    # Every turn is still in the history the transcript keeps (the model was sent the compacted view).
    assert sum(1 for m in t["messages"] if m["role"] == "assistant") == TURNS + 1
    summaries = [c for c in t["calls"] if c.get("compaction")]
    assert len(summaries) == rec["compactions"] and all(c["usd"] > 0 for c in summaries)
    assert rec["compaction_usd"] == round(sum(c["usd"] for c in summaries), 9)
    assert abs(rec["usd"] - sum(c["usd"] for c in t["calls"])) < 1e-9  # the summaries are the sample's dollars
    ledger = [json.loads(line) for line in (out / "calls.jsonl").read_text().splitlines()]
    mine = [c for c in ledger if c["sample_id"] == rec["sample_id"]]  # not the run's preflight call
    assert len(mine) == len(t["calls"])  # each summary call on the run's ledger too


def test_without_compaction_the_same_run_overflows_as_the_models_failure(cli, tmp_path):
    suite, script, prices = long_task(tmp_path)
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", suite, "--model", f"scripted:{script}#context={CONTEXT},compaction=off",
             "--out", out, "--prices", prices)
    (rec,) = load_samples(out)
    assert rec["error"] == "model" and "maximum context length" in rec["error_detail"], rec
    assert rec["compactions"] == 0 and rec["turns"] < TURNS and rec["passed"] is False


def test_a_refused_prompt_is_compacted_once_and_retried_when_the_window_is_unknown(cli, tmp_path):
    suite, script, prices = long_task(tmp_path)
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", suite, "--model", f"scripted:{script}", "--out", out, "--prices", prices)
    (rec,) = load_samples(out)
    assert rec["error"] == "none" and rec["compactions"] >= 1, rec
    t = json.loads((out / rec["transcript"]).read_text())
    assert all("the provider refused the prompt" in c["reason"] for c in t["compactions"])
