"""`pertask prices`: the catalog as a buyer reads it first, at any width.

By default, the prices in force today, one row each (a model whose price changed shows its current entry only; --all
shows every dated window), in the columns that fit: the five figures never cut, the model name folded if it must be,
and what does not fit (long-context tiers, batch discounts, sources) dropped with a note that says how to see it
(`--wide`, or `--json` for everything). The width is the terminal's, or $COLUMNS when piped (200 without either).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from .fit import width
from .prices import in_force

NARROW = 120  # below this many columns, the long-context, batch and source columns are left to --wide


def _f(x: float | None) -> str:  # DeepSeek's cache hits cost $0.003625/M: three decimals would round them away
    return "-" if x is None else f"{x:.3f}" if x >= 0.1 or x == 0 else f"{x:.6g}"


def _since(e: Any) -> str:
    if e.valid_from or e.valid_until:
        return f"{e.valid_from[:10]}–{e.valid_until[:10]}"  # an open end stays open: "2026-04-26–"
    return e.date or "-"


def render_prices(entries: list, console: Any = None, wide: bool = False, every: bool = False,
                  as_json: bool = False) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    shown = entries if every else [e for e in entries if in_force(e, now)]
    if as_json:
        print(json.dumps([e.model_dump(exclude_none=True) for e in shown], indent=2))
        return
    cols = width()
    console = console or Console(width=cols, emoji=False, markup=False)
    wide = wide or cols >= NARROW
    t = Table(title="price catalog ($ per million tokens; - = not published)", title_justify="left")
    writes = any(e.cache_write is not None for e in shown)  # a column of dashes only is left out
    # The provider heads its group, in the model column: a column of its own would take the model names' room.
    for col in ("provider / model", "input", "cached", *(["write"] if writes else []), "output", "in force"):
        t.add_column(col, justify="left" if col in ("provider / model", "in force") else "right",
                     no_wrap=col != "provider / model", overflow="fold",
                     min_width=min(28, 2 + max((len(e.model) for e in shown), default=0))
                     if col == "provider / model" else None)
    if wide:
        for col in ("long context", "batch", "source"):
            t.add_column(col, overflow="fold")
    last = None
    for e in shown:
        if e.provider != last:
            if last is not None:
                t.add_section()
            t.add_row(Text(e.provider, style="bold"))
            last = e.provider
        row = [f"  {e.model}", _f(e.input), _f(e.cached_input),
               *([_f(e.cache_write) + (f" (1h {_f(e.cache_write_1h)})" if wide and e.cache_write_1h is not None
                                       else "")] if writes else []), _f(e.output), _since(e)]
        if wide:
            row += [f"> {e.long_context_above:,}: {_f(e.long_input)} / {_f(e.long_cached_input)} / {_f(e.long_output)}"
                    if e.long_context_above else "-", "-" if e.batch_discount is None else f"{e.batch_discount:.0%} off",
                    e.source + (f"; {e.note}" if e.note and (e.valid_from or e.valid_until) else "")]
        t.add_row(*row)
    console.print(t)
    notes = []
    if not wide and (extra := sum(1 for e in shown if e.long_context_above or e.batch_discount is not None)):
        notes.append(f"{extra} of these have long-context or batch prices"
                     + (", and some a 1-hour cache-write price" if any(e.cache_write_1h for e in shown) else ""))
    if not wide:
        notes.append("sources, long-context and batch columns: --wide (or --json)")
    if not every and len(shown) < len(entries):
        notes.append(f"{len(entries) - len(shown)} entries no longer (or not yet) in force: --all")
    for n in notes:
        console.print(n, style="dim", highlight=False)
