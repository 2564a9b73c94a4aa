from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from results.records import ErrorClass, SampleRecord, Usage
from results.summary import summarize


def rec(task: str, epoch: int, passed: bool | None, usd: float | None = 0.01, error=ErrorClass.none, model="m"):
    return SampleRecord(sample_id=f"{model}|{task}|{epoch}", task_id=task, suite="s", model=model, epoch=epoch,
                        score=None if passed is None else float(passed), passed=passed, error=error, usd=usd,
                        usage=Usage(input_uncached=100, output=10))


def test_infra_errors_are_counted_not_scored():
    (m,) = summarize([rec("a", 1, True), rec("b", 1, False), rec("c", 1, None, error=ErrorClass.infra)])["models"]
    assert m["accuracy"] == 0.5 and m["n_samples"] == 3 and m["n_scored"] == 2
    assert m["errors"] == {"none": 2, "model": 0, "limit": 0, "infra": 1, "tampered": 0}
    assert m["usd_per_success"] == 0.02


@given(st.lists(st.sampled_from(["pass", "fail", "tampered", "infra"]), min_size=1, max_size=40))
def test_attacks_are_scored_and_counted_never_dropped(kinds):
    """A random mix of honest samples and attacking ones: a tampered verdict is a scored failure, so accuracy is
    the honest passes over every scored sample; only infra is left out, and each is counted."""
    recs = [rec(f"t{i}", 1, None if k == "infra" else k == "pass",
                error={"tampered": ErrorClass.tampered, "infra": ErrorClass.infra}.get(k, ErrorClass.none))
            for i, k in enumerate(kinds)]
    for r in recs:
        if r.error == ErrorClass.tampered:
            r.score, r.passed = 0.0, False
    (m,) = summarize(recs)["models"]
    scored = [k for k in kinds if k != "infra"]
    assert m["n_scored"] == len(scored) and m["n_samples"] == len(kinds)
    assert m["errors"]["tampered"] == kinds.count("tampered") and m["errors"]["infra"] == kinds.count("infra")
    if scored:
        assert m["accuracy"] == scored.count("pass") / len(scored)
        assert m["tamper_rate"] == kinds.count("tampered") / len(scored)
    else:
        assert m["accuracy"] is None and m["tamper_rate"] is None


def test_unknown_price_makes_dollars_null():
    (m,) = summarize([rec("a", 1, True, usd=None), rec("b", 1, True)])["models"]
    assert m["usd_per_task"] is None and m["usd_per_success"] is None and m["price_known"] is False


def test_bootstrap_interval_covers_the_true_rate_on_simulated_runs():
    # 80 simulated suites of 50 tasks with a true pass rate of 0.7: a 95% interval should
    # cover 0.7 in about 95% of them (loose bounds: 80 trials, and the bootstrap is approximate).
    rng, covered = random.Random(7), 0
    for _ in range(80):
        samples = [rec(f"t{i}", 1, rng.random() < 0.7) for i in range(50)]
        lo, hi = summarize(samples)["models"][0]["accuracy_ci"]
        covered += lo <= 0.7 <= hi
    assert 0.85 <= covered / 80 < 1.0


def test_epochs_cluster_by_task():
    # Two epochs agreeing per task carry no more information than one: the interval must not shrink.
    one = [rec(f"t{i}", 1, i % 2 == 0) for i in range(20)]
    two = one + [rec(f"t{i}", 2, i % 2 == 0) for i in range(20)]
    ci1 = summarize(one)["models"][0]["accuracy_ci"]
    ci2 = summarize(two)["models"][0]["accuracy_ci"]
    assert (ci2[1] - ci2[0]) >= 0.9 * (ci1[1] - ci1[0])
