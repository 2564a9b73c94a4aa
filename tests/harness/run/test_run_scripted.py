"""A scripted model over real HTTP solves tasks through both agent protocols; tokens and dollars add up."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from tasks.authoring.synthetic import write_suite
from tasks.loader import SUITES_ROOT
from tests.conftest import SUBMIT, bash, call, load_samples, run_json

FIX = ("    values = _check(values)\n    mid = len(values) // 2\n    return values[mid]",
       "    values = sorted(_check(values))\n    mid = len(values) // 2\n    if len(values) % 2:\n"
       "        return values[mid]\n    return (values[mid - 1] + values[mid]) / 2")

USAGES = [
    {"prompt_tokens": 900, "completion_tokens": 40, "cached_tokens": 0, "reasoning_tokens": 10},
    {"prompt_tokens": 1300, "completion_tokens": 120, "cached_tokens": 896, "cache_write_tokens": 100},
    {"prompt_tokens": 1500, "completion_tokens": 8, "cached_tokens": 1280, "reasoning_tokens": 3},
]


def native_script() -> dict:
    turns = [{"tool_calls": [bash("cat stats/core.py")]},
             {"tool_calls": [call("edit_file", path="stats/core.py", old=FIX[0], new=FIX[1])]},
             SUBMIT]
    for t, u in zip(turns, USAGES, strict=True):
        t["usage"] = u
    return {"model": "acct-test", "conversations": [{"match": "wrong medians", "turns": turns}]}


def test_native_tool_calls_solve_a_coding_task(cli, tmp_path, write_script):
    out = tmp_path / "run"
    summary = run_json(cli, "run", "--suite", "smoke", "--task", "fix-median",
                       "--model", f"scripted:{write_script(native_script())}", "--out", out)
    (m,) = summary["models"]
    assert m["accuracy"] == 1.0
    (s,) = load_samples(out)
    assert s["protocol"] == "tools" and s["turns"] == 3 and s["format_errors"] == 0


@pytest.mark.parametrize(("stream", "client"), [(False, "direct"), (True, "direct"), (False, "sdk"), (True, "sdk")])
def test_tokens_and_dollars_equal_what_the_server_sent(cli, tmp_path, write_script, stream, client):
    prices = tmp_path / "prices.toml"
    prices.write_text('[[price]]\nprovider = "scripted"\nmodel = "acct-test"\ninput = 2.0\n'
                      'cached_input = 0.5\ncache_write = 2.5\noutput = 10.0\n')
    out = tmp_path / "run"
    spec = f"scripted:{write_script(native_script())}" + ("#client=sdk" if client == "sdk" else "")
    args = ["run", "--suite", "smoke", "--task", "fix-median", "--model", spec,
            "--prices", prices, "--out", out] + (["--stream"] if stream else [])
    (m,) = run_json(cli, *args)["models"]
    (s,) = load_samples(out)
    u = s["usage"]
    prompt = sum(x["prompt_tokens"] for x in USAGES)
    cached = sum(x.get("cached_tokens", 0) for x in USAGES)
    write = sum(x.get("cache_write_tokens", 0) for x in USAGES)
    # cached and cache-write tokens are subsets of prompt_tokens: split out, never added.
    assert (u["input_uncached"], u["input_cached"], u["cache_write"]) == (prompt - cached - write, cached, write)
    assert u["output"] == 168 and u["reasoning"] == 13 and u["calls"] == 3
    hand = ((prompt - cached - write) * 2.0 + cached * 0.5 + write * 2.5 + 168 * 10.0) / 1e6
    assert s["usd"] == pytest.approx(hand, rel=1e-12)
    assert m["usd_per_task"] == pytest.approx(hand) and m["usd_per_success"] == pytest.approx(hand)
    assert m["tokens_per_task"]["input_cached"] == cached
    calls = json.loads((out / s["transcript"]).read_text())["calls"]
    assert sum(c["usd"] for c in calls) == pytest.approx(hand)
    if stream:
        assert all(c["usage"]["ttft_s"] is not None for c in calls)
    assert json.loads((out / "manifest.json").read_text())["models"][0]["client"] == client


def test_text_protocol_solves_a_document_task(cli, tmp_path, write_script):
    answer = json.dumps([
        {"owner": "Tomasz", "action": "billing migration dry run", "due": "2026-10-31"},
        {"owner": "Marta", "action": "launch blog post", "due": "2026-10-28"},
        {"owner": "Ben", "action": "update support macros", "due": "2026-11-04"}])
    script = {"model": "text-test", "protocol": "text", "conversations": [{"match": "launch-planning", "turns": [
        {"content": "Reading the inbox.\n```bash\ncat inbox/*\n```"},
        {"content": "No block here, which is a format error."},
        {"content": f"Writing it.\n```bash\ncat > actions.json <<'EOF'\n{answer}\nEOF\n```"},
        {"content": "Done.\n```bash\nsubmit\n```"}]}]}
    out = tmp_path / "run"
    (m,) = run_json(cli, "run", "--suite", "smoke", "--task", "meeting-actions",
                    "--model", f"scripted:{write_script(script)}", "--out", out)["models"]
    assert m["accuracy"] == 1.0
    (s,) = load_samples(out)
    assert s["protocol"] == "text" and s["turns"] == 4 and s["format_errors"] == 1
    msgs = json.loads((out / s["transcript"]).read_text())["messages"]
    assert "Tomasz" in msgs[3]["content"], "the command's output went back to the model"
    assert "format error" in msgs[5]["content"]


def test_protocol_override_on_the_spec(cli, tmp_path, write_script):
    script = {"model": "m", "default": [{"content": "```bash\nsubmit\n```"}]}
    out = tmp_path / "run"
    cli("run", "--suite", "smoke", "--task", "fix-median", "--model",
        f"scripted:{write_script(script)}#protocol=text", "--out", out)
    (s,) = load_samples(out)
    assert s["protocol"] == "text" and s["turns"] == 1 and s["error"] == "none"


@pytest.mark.parametrize(("option", "message"), [("client=curl", "client must be one of direct, sdk"),
                                                  ("speed=fast", "unknown option")])
def test_a_bad_spec_option_is_one_clear_line(cli, tmp_path, write_script, option, message):
    script = write_script({"model": "m", "default": [SUBMIT]})
    code, _, err = cli("run", "--suite", "smoke", "--model", f"scripted:{script}#{option}", "--out", tmp_path / "run")
    assert code == 2 and message in err and "Traceback" not in err


def test_malformed_tool_calls_become_error_turns(cli, tmp_path, write_script):
    script = {"model": "bad", "default": [
        {"tool_calls": [{"name": "bash", "arguments": "{not json"}]},
        {"tool_calls": [call("launch_rockets")]},
        {"tool_calls": [call("edit_file", path="stats/core.py", old="values", new="x")]},
        {"tool_calls": [call("read_file", path="../../../etc/passwd")]},
        {"content": "I think I am done."},
        SUBMIT]}
    out = tmp_path / "run"
    cli("run", "--suite", "smoke", "--task", "fix-median", "--model", f"scripted:{write_script(script)}", "--out", out)
    (s,) = load_samples(out)
    assert s["error"] == "none" and s["turns"] == 6 and s["format_errors"] == 5
    tool_msgs = [m["content"] for m in json.loads((out / s["transcript"]).read_text())["messages"] if m["role"] == "tool"]
    assert "not valid JSON" in tool_msgs[0] and "unknown tool" in tool_msgs[1]
    assert "exactly once" in tool_msgs[2] and "outside the workspace" in tool_msgs[3]


def test_turn_and_token_limits_end_the_sample_as_limit(cli, tmp_path, write_script):
    loop = {"model": "loop", "default": [{"tool_calls": [bash("true")]}] * 30}
    out = tmp_path / "run"
    cli("run", "--suite", "smoke", "--task", "fix-median", "--model", f"scripted:{write_script(loop)}", "--out", out)
    (s,) = load_samples(out)
    assert s["error"] == "limit" and "turn limit of 20" in s["error_detail"] and s["turns"] == 20
    assert s["score"] is not None, "a sample that hit a limit is still graded as it stands"
    big = {"model": "big", "default": [{"tool_calls": [bash("true")],
                                        "usage": {"prompt_tokens": 1_500_000, "completion_tokens": 10}}] * 5}
    out2 = tmp_path / "run2"
    cli("run", "--suite", "smoke", "--task", "fix-median", "--model", f"scripted:{write_script(big, 'b.json')}",
        "--out", out2)
    (s,) = load_samples(out2)
    assert s["error"] == "limit" and "token limit" in s["error_detail"] and s["turns"] == 2


def _suite_with_limits(tmp_path, **limits) -> str:
    """A one-task suite: fix-median with its [limits] table replaced."""
    root = tmp_path / "limited"
    shutil.copytree(SUITES_ROOT / "smoke" / "fix-median", root / "fix-median")
    toml = root / "fix-median" / "task.toml"
    table = "[limits]\n" + "".join(f"{k} = {v}\n" for k, v in limits.items())
    toml.write_text(re.sub(r"\[limits\]\n(?:\w+ = .*\n)*", table, toml.read_text()))
    return str(root)


def test_wall_time_limit(cli, tmp_path, write_script):
    suite = _suite_with_limits(tmp_path, timeout_s=2)
    script = {"model": "slow", "default": [{"tool_calls": [bash("sleep 30")]}, SUBMIT]}
    out = tmp_path / "run"
    cli("run", "--suite", suite, "--model", f"scripted:{write_script(script)}", "--out", out)
    (s,) = load_samples(out)
    assert s["error"] == "limit" and "wall-time limit of 2s" in s["error_detail"] and s["wall_s"] < 25


def test_dollar_limit(cli, tmp_path, write_script):
    suite = _suite_with_limits(tmp_path, max_usd=0.01)
    prices = tmp_path / "p.toml"
    prices.write_text('[[price]]\nprovider = "scripted"\nmodel = "pricey"\ninput = 10.0\noutput = 10.0\n')
    script = {"model": "pricey", "default": [{"tool_calls": [bash("true")],
                                              "usage": {"prompt_tokens": 400, "completion_tokens": 100}}] * 10}
    out = tmp_path / "run"
    cli("run", "--suite", suite, "--model", f"scripted:{write_script(script)}", "--prices", prices, "--out", out)
    (s,) = load_samples(out)
    # $0.005 a call: the second call reaches $0.01.
    assert s["error"] == "limit" and "dollar limit" in s["error_detail"] and s["turns"] == 2
    assert s["usd"] == pytest.approx(0.01)


def test_reprice_reproduces_then_changes_the_dollars(cli, tmp_path, write_script):
    p1, p2 = tmp_path / "p1.toml", tmp_path / "p2.toml"
    p1.write_text('[[price]]\nprovider = "scripted"\nmodel = "acct-test"\ninput = 2.0\ncached_input = 0.5\n'
                  'cache_write = 2.5\noutput = 10.0\n')
    p2.write_text('[[price]]\nprovider = "scripted"\nmodel = "acct-test"\ninput = 1.0\ncached_input = 0.1\n'
                  'output = 4.0\n')
    out = tmp_path / "run"
    cli("run", "--suite", "smoke", "--task", "fix-median", "--model", f"scripted:{write_script(native_script())}",
        "--prices", p1, "--out", out)
    (original,) = load_samples(out)
    code, _, err = cli("reprice", out, "--prices", p1)
    assert code == 0, err
    (same,) = load_samples(out)
    assert same["usd"] == original["usd"] and same["usage"] == original["usage"]
    cli("reprice", out, "--prices", p2)
    (new,) = load_samples(out)
    prompt = sum(x["prompt_tokens"] for x in USAGES)
    cached = sum(x.get("cached_tokens", 0) for x in USAGES)
    write = sum(x.get("cache_write_tokens", 0) for x in USAGES)
    # p2 publishes no cache-write price: those tokens bill as input
    assert new["usd"] == pytest.approx(((prompt - cached - write) * 1.0 + cached * 0.1 + write * 1.0 + 168 * 4.0) / 1e6)
    assert new["price"]["output"] == 4.0
    code, _, err = cli("reprice", tmp_path / "nowhere")
    assert code == 2 and "not a pertask run directory" in err


def test_project_on_other_apis_prices_each_call_and_states_the_basis(cli, tmp_path, write_script):
    out = tmp_path / "run"
    cli("run", "--suite", "smoke", "--task", "fix-median", "--model", f"scripted:{write_script(native_script())}",
        "--out", out)
    code, stdout, err = cli("report", out, "--project-on", "zai:glm-5.2,openai:gpt-5.5", "--json")
    assert code == 0, err
    rows = {r["target"]: r for r in json.loads(stdout)["projections"]}
    prompt = sum(x["prompt_tokens"] for x in USAGES)
    cached = sum(x.get("cached_tokens", 0) for x in USAGES)
    write = sum(x.get("cache_write_tokens", 0) for x in USAGES)
    # Z.ai publishes no cache-write price: written tokens bill as input
    glm = ((prompt - cached - write) * 1.40 + cached * 0.26 + write * 1.40 + 168 * 4.40) / 1e6
    assert rows["zai:glm-5.2"]["usd_per_task"] == pytest.approx(glm) and "2026" in rows["zai:glm-5.2"]["basis"]
    assert rows["openai:gpt-5.5"]["measured_usd_total"] is None, "the scripted model itself has no price"
    code, _, err = cli("report", out, "--project-on", "nope:model")
    assert code == 2 and "PROFILExN" in err
    code, _, err = cli("report", out, "--project-on", "zai:glm-9")
    assert code == 2 and "no catalog price for zai/glm-9" in err


def test_empty_enormous_and_wrong_protocol_replies_are_error_turns(cli, tmp_path, write_script):
    script = {"model": "bad", "default": [
        {"content": ""},
        {"content": "x" * 2_000_000},
        {"content": "```bash\nls\n```"},  # the text protocol's shape, from a tool-calling model
        SUBMIT]}
    out = tmp_path / "run"
    code, _, err = cli("run", "--suite", "smoke", "--task", "fix-median", "--model", f"scripted:{write_script(script)}",
                       "--out", out)
    assert code == 0, err
    (s,) = load_samples(out)
    # empty, enormous (cut, and no tool call), and the wrong protocol: four format errors, then submit works
    assert s["error"] == "none" and s["turns"] == 4 and s["format_errors"] == 4
    messages = json.loads((out / s["transcript"]).read_text())["messages"]
    feedback = [m["content"] for m in messages if m["role"] == "user"][1:]
    assert len(feedback) == 3 and all("No tool was called" in f for f in feedback)
    assert "reply cut: 2,000,000 characters" in messages[4]["content"]
    assert max(len(m.get("content") or "") for m in messages) < 200_000, "an enormous reply is cut in the history"


def test_a_sample_gives_its_agent_slot_up_before_it_is_graded(cli, tmp_path, write_script):
    """--concurrency counts agents at work: with one slot, the next sample's agent starts while the
    previous sample's (slow) hidden checks are still running, so the model is not left idle."""
    suite = write_suite(tmp_path / "suite", 2, prefix="slow-grade-", check="time.sleep(3)")
    out = tmp_path / "run"
    script = write_script({"model": "m", "default": [SUBMIT]})
    run_json(cli, "run", "--suite", suite, "--model", f"scripted:{script}", "--concurrency", "1", "--out", out)
    first, second = sorted(load_samples(out), key=lambda s: s["started_at"])
    assert first["passed"] and second["passed"]
    assert second["started_at"] < first["finished_at"], "the second agent started during the first's grading"
