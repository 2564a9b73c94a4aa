"""The coding suite's tasks on the tabula base (CSV/ETL pipeline)."""

from . import task

task(id="tabula-mean-empty", base="tabula", difficulty="easy", tags=["bugfix", "etl", "python"],
     instruction="""
Our finance team reports that `tabula`'s `aggregate` step gives averages that are too low.
For example, when a customer has three orders and one of them has no amount (an empty cell
or `n/a`), the `amount_mean` column comes out lower than the average of the two real amounts.

Fix it so that the `mean` reducer averages only the cells that have a value. Do not change
how `sum`, `min`, `max` or the row count `n` behave. The project's tests are in `tests/`.
""",
     mutate={"tabula/transforms/aggregate.py": [(
         "    present = [v for v in values if v is not None]\n    if not present:\n        return None\n"
         "    return Decimal(sum(present, Decimal(0))) / len(present)",
         "    if not values:\n        return None\n"
         "    return Decimal(sum((v or 0 for v in values), Decimal(0))) / len(values)")]})

task(id="tabula-header-spaces", base="tabula", difficulty="medium", tags=["bugfix", "etl", "python"],
     instruction="""
Exports from our ERP system write CSV headers with a space after each comma, like

    order_id, placed, customer, amount

Running a pipeline over such a file fails with `unknown column 'amount'` in the filter step,
and even without a filter the `amount` column comes out untyped (text instead of a decimal).
The same pipeline works on files whose header has no spaces.

Make tabula treat `order_id, placed, amount` exactly like `order_id,placed,amount`, for
CSV and TSV input. Cell values must not change meaning.
""",
     mutate={"tabula/readers/csv_reader.py": [(
         "    names = [n.strip() for n in reader.fieldnames]\n", "    names = list(reader.fieldnames)\n")]})

task(id="tabula-join", base="tabula", difficulty="hard", tags=["feature", "etl", "python"], max_turns=60,
     instruction="""
Add a `join` step to tabula's pipelines, so that orders can be enriched with customer data
kept in a second file:

```toml
[[steps]]
op = "join"
path = "customers.csv"        # relative to the pipeline file, like [input].path
on = ["customer_id"]          # key columns, present in both files
how = "left"                  # "left" (default) or "inner"
schema = { customer_id = "int", credit_limit = "decimal" }   # optional, typed like [schema]
```

Each row gets the other file's columns for the matching key. With `how = "left"` a row with
no match is kept and the new columns are empty (None); with `how = "inner"` it is dropped.
When a column other than the key exists in both files, the other file's column is named
`<column>_right`. The key must identify at most one row in the other file: if it does not,
the step fails with a `PipelineError` that names the duplicated key. Any reader tabula has
(CSV, TSV, JSONL) must work for the other file. Keep the order of the input rows.

It should also be usable from Python: `tabula.transforms.join(rows, other_rows, on=[...], how=...)`.
""",
     mutate={})

task(id="tabula-dedupe-perf", base="tabula", difficulty="hard", tags=["performance", "etl", "python"],
     instruction="""
Our nightly pipeline over a 2-million-row order export now takes hours, and profiling points
at the `dedupe` step (`tabula/transforms/dedupe.py`). Make `dedupe` fast on large inputs
(its cost should grow linearly with the number of rows) without changing any result it
gives: the same rows kept for `keep = "first"` and `keep = "last"`, in the same order,
with and without `on`.
""",
     mutate={"tabula/transforms/dedupe.py": [(
         '''    order: list[tuple] = []
    chosen: dict[tuple, dict] = {}
    for r in rows:
        k = _key(r, on)
        if k not in chosen:
            order.append(k)
            chosen[k] = r
        elif keep == "last":
            chosen[k] = r
    return [chosen[k] for k in order]''',
         '''    kept: list[dict] = []
    for r in rows:
        k = _key(r, on)
        for i, existing in enumerate(kept):
            if _key(existing, on) == k:
                if keep == "last":
                    kept[i] = r
                break
        else:
            kept.append(r)
    return kept''')]})
