"""The published claims (data/claims.toml): each as the press put it, and as recomputed from the price
catalog in force (the built-in one, or with the run's --prices) and, when the user's runs include the
models involved, from what the runs measured. Only ratios between models are compared: someone else's
absolute $/task on other tasks says nothing about yours. A claim pertask cannot check here (Ascend's
cost) is marked as an assumption, never as a check."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from .prices import Catalog, PriceEntry, cost_usd
from .records import Usage

CLAIMS = Path(__file__).parent / "data" / "claims.toml"
RESELLERS = ("openrouter", "together", "fireworks")  # a claim names the maker's own list price


def _entry(catalog: Catalog, model: str) -> PriceEntry | None:
    return next((e for e in catalog.entries() if e.model.lower() == model.lower() and e.provider not in RESELLERS),
                None)


def mix_usd(entry: PriceEntry | None, mix: dict[str, int]) -> float | None:
    """List-price dollars of the reference mix, spread evenly over its calls (tiers apply per call)."""
    if entry is None:
        return None
    n = mix.get("calls", 1)
    per_call = Usage(input_uncached=mix["input_uncached"] // n, input_cached=mix["input_cached"] // n,
                     cache_write=mix.get("cache_write", 0) // n, output=mix["output"] // n, calls=1)
    one = cost_usd(per_call, entry)
    return None if one is None else one * n


def _ratios(values: dict[str, float | None], base: str) -> dict[str, float | None]:
    b = values.get(base)
    return {m: (round(v / b, 3) if v is not None and b else None) for m, v in values.items()}


def _cheaper(a: float | None, b: float | None) -> str | None:
    return None if a is None or not b else f"{(1 - a / b) * 100:.1f}% cheaper"


def _mix_text(mix: dict[str, int]) -> str:
    return (f"the stated reference mix: {mix['input_uncached']:,} uncached + {mix['input_cached']:,} cached + "
            f"{mix.get('cache_write', 0):,} cache-write prompt tokens, {mix['output']:,} output, {mix['calls']} calls")


def _price_text(entries: dict[str, PriceEntry | None], field: str) -> str:
    return ", ".join(f"{m} ${getattr(e, field):.2f}/M ({e.provider}, {e.date})" for m, e in entries.items() if e)


def _cost_claim(c: dict, figures: dict, entries: dict, mix: dict, measured: dict) -> list[dict[str, Any]]:
    """$/task and "X% cheaper" claims: ratios to the cheapest model, recomputed three ways."""
    base = min(figures, key=figures.get)
    other = max(figures, key=figures.get)
    out = []
    if c["kind"] == "cheaper":
        for field, what in (("output", "list output prices"), ("input", "list input prices")):
            vals = {m: getattr(e, field) if e else None for m, e in entries.items()}
            out.append({"basis": f"{what}: {_price_text(entries, field)}", "ratio": _ratios(vals, base),
                        "figure": _cheaper(vals[base], vals[other])})
    usd = {m: mix_usd(e, mix) for m, e in entries.items()}
    out.append({"basis": f"list prices on {_mix_text(mix)}", "usd_reference_task": usd, "ratio": _ratios(usd, base),
                "figure": _cheaper(usd[base], usd[other]) if c["kind"] == "cheaper" else None})
    in_runs = [m for m in figures if m in measured]
    if base in in_runs and len(in_runs) > 1:
        run = {m: measured[m]["usd_per_task"] for m in in_runs}
        out.append({"basis": "$/task measured by these runs on the same tasks", "usd_per_task": run,
                    "ratio": _ratios(run, base),
                    "figure": _cheaper(run.get(base), run.get(other)) if c["kind"] == "cheaper" else None})
    return out


def _accuracy_claim(figures: dict, measured: dict, comparisons: list[dict]) -> list[dict[str, Any]]:
    in_runs = [m for m in figures if m in measured]
    if len(in_runs) < 2:
        return []
    acc = {m: {"accuracy": measured[m]["accuracy"], "ci": measured[m].get("accuracy_ci")} for m in in_runs}
    names = {measured[m]["model"]: m for m in in_runs}
    pair = next((p for p in comparisons if p.get("a") in names and p.get("b") in names), None)
    fig = ", ".join(f"{m} {v['accuracy']:.1%}" + (f" [{v['ci'][0]:.0%}, {v['ci'][1]:.0%}]" if v["ci"] else "")
                    for m, v in acc.items() if v["accuracy"] is not None)
    if pair and pair.get("accuracy_diff") is not None:
        ci = pair.get("accuracy_diff_ci")
        fig += (f"; {names[pair['a']]} − {names[pair['b']]} {pair['accuracy_diff'] * 100:+.1f} points"
                + (f" [{ci[0] * 100:+.1f}, {ci[1] * 100:+.1f}]" if ci else ""))
    return [{"basis": "accuracy measured by these runs, 95% intervals (on other tasks than the claim's)",
             "accuracy": acc, "figure": fig}]


def evaluate(summary: dict[str, Any], model_names: dict[str, str], catalog: Catalog | None = None,
             path: Path = CLAIMS) -> list[dict[str, Any]]:
    """One row per claim: as stated, as recomputed (each with its basis), and whether it is only an assumption."""
    data = tomllib.loads(path.read_text())
    catalog = catalog or Catalog.load()
    mix = data["reference_mix"]
    # The run's models by the catalog name they were priced under (spec -> model name).
    measured = {model_names.get(m["model"], m["model"]).lower(): m for m in summary.get("models", [])}
    out = []
    for c in data["claim"]:
        figures = {k.lower(): v for k, v in c["figures"].items()}
        row: dict[str, Any] = {k: c[k] for k in ("id", "text", "kind", "source", "date")}
        row.update(claimed=figures, as_stated=c.get("as_stated", c["text"]), assumption=c["kind"] == "hardware")
        if c["kind"] in ("usd_per_task", "cheaper"):
            entries = {m: _entry(catalog, m) for m in figures}
            row["claimed_ratio"] = _ratios(figures, min(figures, key=figures.get))
            row["recomputed"] = _cost_claim(c, figures, entries, mix, measured)
        elif c["kind"] == "elo":  # measured by `pertask pairwise` on the user's tasks, beside these (published)
            row["recomputed"] = []
            row["note"] = ("pertask pairwise ranks the models of your runs on your tasks; compare the gaps between "
                           "models, not the scores: each scale has its own anchor")
        elif c["kind"] == "accuracy":
            row["recomputed"] = _accuracy_claim(figures, measured, summary.get("comparisons", []))
        else:  # hardware: nothing here can measure it; projections use it, labelled
            row["recomputed"] = []
            row["note"] = ("ASSUMPTION, not a check: pertask cannot measure Ascend here. Projections onto ascend910c "
                           f"apply this {max(figures.values()):g}x to the measured node's $/GPU-hour and say so.")
        out.append(row)
    return out


def model_keys(name: str) -> set[str]:
    """How claims may name a model: 'anthropic:claude-opus-4-8#x', 'Claude Opus 4.8 @ run' -> claude-opus-4.8 and
    claude-opus-4-8 (claims write versions either way)."""
    base = name.split(" @ ")[0].split("#")[0].split("@")[0].rsplit(":", 1)[-1].strip().lower()
    base = base.replace(" ", "-").replace("_", "-")
    return {base, base.replace(".", "-")}


def published(kind: str, names: list[str], path: Path = CLAIMS) -> list[dict[str, Any]]:
    """The published figures of that kind for the models named (a run's specs, a submission folder's names), each
    claim with its source: what a report prints beside its own figures, labelled as someone else's."""
    out = []
    for c in tomllib.loads(path.read_text())["claim"]:
        figures = {k.lower(): v for k, v in c["figures"].items()}
        mine = {n: figures[k] for n in names for k in sorted(model_keys(n)) if k in figures}
        if c["kind"] == kind and mine:
            out.append({"id": c["id"], "text": c["text"], "source": c["source"], "date": c["date"], "figures": mine})
    return out


def ours(claim: dict[str, Any]) -> bool:
    """Whether the runs measured the claim's models (else it is the catalog's arithmetic: `pertask claims`)."""
    return any("measured by these runs" in r["basis"] for r in claim.get("recomputed", []))


def cmd_claims(a: Any) -> int:
    """`pertask claims`: every published claim, as stated and as recomputed from the price catalog in force; a
    report shows those its runs measured the models of."""
    from rich.console import Console

    from .fit import fold, width

    console, cols = Console(emoji=False, markup=False, width=width()), width()

    def say(line: str, style: str = "") -> None:  # folded at the width, the rest indented under its start
        for part in fold(line, cols):
            console.print(part, style=style, highlight=False, soft_wrap=True)

    for c in evaluate({"models": [], "comparisons": []}, {}, Catalog.load(a.prices)):
        say(c["text"], "bold")
        say(f"  {c['source']}, read {c['date']}", "dim")
        say(f"  as stated: {c['as_stated']}")
        for r in c.get("recomputed", []):
            ratio = ", ".join(f"{k} {v:g}×" for k, v in (r.get("ratio") or {}).items() if v is not None)
            say(f"  recomputed: {r['figure'] or ratio} — {r['basis']}")
        if c.get("assumption"):
            say(f"  {c['note']}")
    return 0
