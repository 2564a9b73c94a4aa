"""Figure 16: how long the Elo fit takes at a suite's scale. 10 models x 100 tasks, every pair judged in both orders
(9,000 judgements, synthetic, from known scores): the point fit, and the fit with its 1,000-round bootstrap over tasks.
Goal: under 1 s for the point fit; the intervals are printed beside, and how often they cover the true scores
(30 simulated suites of 4 models x 30 tasks, one order each, 200 bootstrap rounds; nominal 95%).

    .venv/bin/python benchmarks/elo_fit.py [--models 10] [--tasks 100] [--rounds 1000]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from results.elo import Judgement, elo  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", type=int, default=10)
    ap.add_argument("--tasks", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=1000)
    a = ap.parse_args()
    rng = random.Random(0)
    truth = {f"m{i:02d}": 1000 + 40 * (i - a.models // 2) for i in range(a.models)}
    js = [Judgement(f"t{t}", x, y, float(rng.random() < 1 / (1 + 10 ** ((truth[y] - truth[x]) / 400))))
          for t in range(a.tasks) for x in truth for y in truth if x != y]
    elo(js[:10], rounds=0)  # imports (choix, scipy) outside the timing
    t0 = time.perf_counter()
    point = elo(js, rounds=0)
    t1 = time.perf_counter()
    full = elo(js, rounds=a.rounds)
    t2 = time.perf_counter()
    err = max(abs(point[m]["elo"] - (truth[m] - sum(truth.values()) / len(truth) + 1000)) for m in truth)
    width = sum(s["ci"][1] - s["ci"][0] for s in full.values()) / len(full)
    print(f"{a.models} models x {a.tasks} tasks, {len(js):,} judgements: point fit {1000 * (t1 - t0):.1f} ms "
          f"(largest error against the truth {err:.1f} Elo); with {a.rounds} bootstrap rounds {t2 - t1:.2f} s "
          f"(mean 95% interval {width:.0f} Elo)")
    print(f"interval coverage: {coverage(random.Random(7)):.0%} of 90 intervals cover the true score (nominal 95%)")


def coverage(rng: random.Random) -> float:
    truth = {"a": 1150.0, "b": 1050.0, "c": 1000.0, "d": 900.0}
    hits = total = 0
    for _ in range(30):
        js = [Judgement(f"t{t}", x, y, float(rng.random() < 1 / (1 + 10 ** ((truth[y] - truth[x]) / 400))))
              for t in range(30) for i, x in enumerate(sorted(truth)) for y in sorted(truth)[i + 1:]]
        scores = elo(js, anchor=("c", 1000.0), rounds=200, seed=rng.randrange(10**6))
        for m in ("a", "b", "d"):
            low, high = scores[m]["ci"]
            hits, total = hits + (low <= truth[m] <= high), total + 1
    return hits / total


if __name__ == "__main__":
    main()
