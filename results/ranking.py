"""`pertask pairwise`'s report: each model's Elo with its interval, overall and per check type, and how far the judges
and the two orders agree, with what the judges cost."""

from __future__ import annotations

import json
import sys
from typing import Any


def render_ranking(out: dict[str, Any], as_json: bool = False) -> None:
    if as_json:
        print(json.dumps(out, indent=2))
        return
    types = sorted(out["by_type"])
    print(f"{'model':<40} {'Elo':>7} {'95% CI':>14}" + "".join(f" {t:>8}" for t in types))
    for model, s in sorted(out["elo"].items(), key=lambda kv: -kv[1]["elo"]):
        ci = f"[{s['ci'][0]:.0f}, {s['ci'][1]:.0f}]" if s["ci"] else "(anchor)"
        per = "".join(f" {out['by_type'][t][model]['elo']:>8.0f}" if model in out["by_type"][t] else f" {'-':>8}"
                      for t in types)
        print(f"{model[:40]:<40} {s['elo']:>7.0f} {ci:>14}{per}")
    for model, w in (out.get("vs_expert") or {}).items():  # GDPval's figure: won or tied against the expert
        ci = f" [{w['ci'][0]:.0%}, {w['ci'][1]:.0%}]" if w["ci"] else ""
        print(f"{model[:40]:<40} wins or ties against the expert in {w['rate']:.0%}{ci} of {w['n']} comparisons "
              f"({w['tasks']} tasks)")
    for claim in out.get("published") or []:  # someone else's figures, for the same models, labelled as theirs
        figures = ", ".join(f"{m} {v:g}" for m, v in claim["figures"].items())
        print(f"published, not measured here: {figures} ({claim['source']}, {claim['date']}); compare the gaps "
              "between models, not the numbers (each Elo scale has its own anchor)")
    usd = "null (a judge's price is unknown)" if out["judge_usd"] is None else f"${out['judge_usd']:.4f}"
    print(f"{out['n_judgements']} judgements by {len(out['judges'])} judge(s); {out['judge_calls']} calls paid now "
          f"({usd}; cached verdicts are free); the two orders agree on {out['order_agreement']}, the judges on "
          f"{out['judge_agreement']}", file=sys.stderr)


def render_grading(out: dict[str, Any], as_json: bool = False) -> None:
    """`pertask grade`: per model its rubric pass rate (with its interval) and, with two or more, the pairwise Elo."""
    if as_json:
        print(json.dumps(out, indent=2))
        return
    print(f"{'model':<40} {'rubric pass rate':>17} {'95% CI':>14} {'checks':>7} {'judges $':>9}")
    for m, r in out["rubric"].items():
        rate = "-" if r["pass_rate"] is None else f"{r['pass_rate']:.0%}"
        ci = f"[{r['pass_rate_ci'][0]:.0%}, {r['pass_rate_ci'][1]:.0%}]" if r["pass_rate_ci"] else "-"
        usd = "null" if r["judge_usd"] is None else f"{r['judge_usd']:.4f}"
        print(f"{m[:40]:<40} {rate:>17} {ci:>14} {r['n_checks']:>7} {usd:>9}")
    if out["pairwise"]:
        print()
        render_ranking(out["pairwise"])
