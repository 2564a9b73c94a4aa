"""--budget-usd: no new sample once spent + in-flight estimate reaches the budget; the report says so,
and a later run with a larger budget finishes the rest without paying again for what is done."""

from __future__ import annotations

from tests.conftest import SUBMIT, bash, load_samples, run_json

USAGE = {"prompt_tokens": 1000, "completion_tokens": 100, "cached_tokens": 0}  # $0.002 a call at the prices below
PRICES = '[[price]]\nprovider = "scripted"\nmodel = "budget-test"\ninput = 1.0\noutput = 10.0\n'


def test_budget_stops_new_samples_and_resume_finishes(cli, tmp_path, write_script):
    prices = tmp_path / "p.toml"
    prices.write_text(PRICES)
    script = write_script({"model": "budget-test", "default": [{"tool_calls": [bash("true")], "usage": USAGE},
                                                               {**SUBMIT, "usage": USAGE}]})
    out = tmp_path / "run"
    args = ["run", "--suite", "smoke", "--model", f"scripted:{script}", "--prices", prices, "--concurrency", "1",
            "--out", out]
    summary = run_json(cli, *args, "--budget-usd", "0.009")
    done = load_samples(out)
    # $0.004 a sample: after two the run has spent $0.008 < $0.009, so a third starts; then it stops.
    assert len(done) == 3 and abs(sum(s["usd"] for s in done) - 0.012) < 1e-9
    assert any("budget of $0.009 was reached" in w and "2 sample(s) were not started" in w
               for w in summary["warnings"])
    code, text, _ = cli("report", out)
    assert "2 sample(s) were not started" in text

    summary = run_json(cli, *args, "--budget-usd", "1")
    again = load_samples(out)
    assert len(again) == 5 and {s["sample_id"] for s in done} <= {s["sample_id"] for s in again}
    assert abs(sum(s["usd"] for s in again) - 0.020) < 1e-9, "finished samples are not paid for twice"
    assert not any("budget" in w for w in summary["warnings"])


def test_budget_must_be_positive(cli):
    code, _, err = cli("run", "--suite", "smoke", "--model", "oracle", "--budget-usd", "0")
    assert code == 2 and "--budget-usd must be more than 0" in err
