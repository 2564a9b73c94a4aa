"""Elo from pairwise judgements, on synthetic preferences whose true scores are known."""

from __future__ import annotations

import random

import pytest

from results.elo import Judgement, elo, judge_agreement, order_agreement

TRUE = {"a": 1300.0, "b": 1200.0, "c": 1100.0, "d": 1000.0, "e": 900.0, "f": 800.0}


def p_first(first: float, second: float, bias: float = 0.0) -> float:
    """The Bradley-Terry chance that the first is preferred, plus a judge's lean towards whatever it sees first."""
    return min(1.0, max(0.0, 1 / (1 + 10 ** ((second - first) / 400)) + bias))


def judged(truth: dict[str, float], tasks: int, rng: random.Random, bias: float = 0.0, both_orders: bool = True,
           ties: float = 0.0) -> list[Judgement]:
    out = []
    models = sorted(truth)
    for t in range(tasks):
        for i, x in enumerate(models):
            for y in models[i + 1:]:
                for first, second in [(x, y), (y, x)] if both_orders else [(x, y)]:
                    if rng.random() < ties:
                        out.append(Judgement(f"t{t}", first, second, 0.5))
                    else:
                        won = rng.random() < p_first(truth[first], truth[second], bias)
                        out.append(Judgement(f"t{t}", first, second, 1.0 if won else 0.0))
    return out


def test_a_known_ordering_is_recovered_with_intervals_around_it():
    scores = elo(judged(TRUE, 100, random.Random(1)), anchor=("d", 1000.0), rounds=300)
    assert sorted(scores, key=lambda m: -scores[m]["elo"]) == list(TRUE)
    assert scores["d"] == {"elo": 1000.0, "ci": None, "n": 1000}  # the anchor is fixed: it has no interval
    for m, s in scores.items():
        assert abs(s["elo"] - TRUE[m]) < 60, (m, s)
        if m != "d":
            assert s["ci"][0] < s["elo"] < s["ci"][1] and s["ci"][1] - s["ci"][0] < 150, (m, s)


def test_intervals_cover_the_truth_near_their_nominal_rate():
    truth = {"a": 1150.0, "b": 1050.0, "c": 1000.0, "d": 900.0}
    rng, covered, total = random.Random(7), 0, 0
    for _ in range(30):
        scores = elo(judged(truth, 30, rng, both_orders=False), anchor=("c", 1000.0), rounds=200, seed=rng.randrange(10**6))
        for m in ("a", "b", "d"):
            low, high = scores[m]["ci"]
            covered += low <= truth[m] <= high
            total += 1
    assert 0.85 <= covered / total <= 1.0, covered / total  # nominal 95%; a bootstrap over 30 tasks runs a little under


def test_a_judge_that_favours_what_it_sees_first_is_cancelled_by_the_two_orders():
    truth = {"x": 1100.0, "y": 1000.0}
    # Seen in one order only (the stronger first), a lean of 0.2 towards the first inflates the gap...
    one = elo(judged(truth, 400, random.Random(3), bias=0.2, both_orders=False), anchor=("y", 1000.0), rounds=0)
    assert one["x"]["elo"] - 1000 > 180
    # ...and in both orders it cancels, and shows as disagreement between the orders.
    both = judged(truth, 400, random.Random(3), bias=0.2)
    fair = elo(both, anchor=("y", 1000.0), rounds=0)
    assert abs(fair["x"]["elo"] - 1100) < 40, fair
    unbiased = judged(truth, 400, random.Random(3))
    assert order_agreement(both) < order_agreement(unbiased) - 0.05


def test_ties_count_half_and_agreement_between_judges():
    js = [Judgement("t1", "a", "b", 0.5, "j1"), Judgement("t1", "b", "a", 0.5, "j1"),
          Judgement("t2", "a", "b", 1.0, "j1"), Judgement("t2", "a", "b", 1.0, "j2"),
          Judgement("t3", "a", "b", 1.0, "j1"), Judgement("t3", "a", "b", 0.0, "j2")]
    scores = elo(js, rounds=0)
    assert scores["a"]["elo"] > scores["b"]["elo"] and scores["a"]["elo"] + scores["b"]["elo"] == pytest.approx(2000)
    assert order_agreement(js) == 1.0  # a tie both ways agrees with itself
    assert judge_agreement(js) == 0.5  # t2 agreed, t3 did not
    assert elo([Judgement("t", "a", "a2", 1.0)], anchor=("a", 1000.0), rounds=0)["a"]["elo"] == 1000.0
    with pytest.raises(ValueError, match="anchor human"):
        elo(js, anchor=("human", 1000.0))
