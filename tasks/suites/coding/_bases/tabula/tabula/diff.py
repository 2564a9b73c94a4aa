"""Compare two tables by key: which rows were added, removed or changed, and which cells.

    tabula diff old.csv new.csv --key order_id

Used to check that a pipeline change did only what it meant to: run the old and new pipeline and
diff the outputs. Values are compared as text after stripping, so `1.50` and `1.5` differ (a change
in formatting is a change in output) but trailing spaces do not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import PipelineError


@dataclass
class RowChange:
    key: tuple
    cells: dict[str, tuple[str | None, str | None]]  # column -> (old, new)


@dataclass
class TableDiff:
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.columns_added or self.columns_removed)

    def summary(self) -> str:
        parts = [f"{len(self.added)} added", f"{len(self.removed)} removed", f"{len(self.changed)} changed"]
        if self.columns_added:
            parts.append(f"new columns: {', '.join(self.columns_added)}")
        if self.columns_removed:
            parts.append(f"dropped columns: {', '.join(self.columns_removed)}")
        return ", ".join(parts)

    def lines(self, limit: int = 50) -> list[str]:
        out = [f"+ {_key_text(r)}" for r in self.added[:limit]]
        out += [f"- {_key_text(r)}" for r in self.removed[:limit]]
        for ch in self.changed[:limit]:
            cells = "; ".join(f"{c}: {o!r} -> {n!r}" for c, (o, n) in ch.cells.items())
            out.append(f"~ {', '.join(map(str, ch.key))}: {cells}")
        return out


def _key_text(row: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in list(row.items())[:3])


def _text(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _index(rows: list[dict], key: list[str], side: str) -> dict[tuple, dict]:
    out: dict[tuple, dict] = {}
    for i, row in enumerate(rows, 1):
        missing = [k for k in key if k not in row]
        if missing:
            raise PipelineError(f"{side} row {i}: no key column {', '.join(missing)}")
        k = tuple(_text(row[c]) for c in key)
        if k in out:
            raise PipelineError(f"{side} table: key {', '.join(map(str, k))} is not unique (row {i})")
        out[k] = row
    return out


def diff_tables(old: list[dict], new: list[dict], key: list[str], ignore: list[str] = ()) -> TableDiff:
    if not key:
        raise PipelineError("diff needs at least one key column")
    before, after = _index(old, key, "old"), _index(new, key, "new")
    old_cols = list(dict.fromkeys(c for r in old for c in r))
    new_cols = list(dict.fromkeys(c for r in new for c in r))
    result = TableDiff(columns_added=[c for c in new_cols if c not in old_cols],
                       columns_removed=[c for c in old_cols if c not in new_cols])
    shared = [c for c in old_cols if c in new_cols and c not in key and c not in ignore]
    for k, row in after.items():
        if k not in before:
            result.added.append(row)
    for k, row in before.items():
        if k not in after:
            result.removed.append(row)
            continue
        cells = {c: (_text(row.get(c)), _text(after[k].get(c))) for c in shared
                 if _text(row.get(c)) != _text(after[k].get(c))}
        if cells:
            result.changed.append(RowChange(k, cells))
    return result
