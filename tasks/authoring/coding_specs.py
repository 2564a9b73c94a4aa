"""The coding suite's tasks: base, tier, the prose the agent gets, and how the base is changed."""

TASKS: list[dict] = []


def task(**spec) -> None:
    TASKS.append(spec)


# ---------------------------------------------------------------- tabula (CSV/ETL pipeline)
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


# ---------------------------------------------------------------- webby (WSGI web framework)
task(id="webby-query-repeat", base="webby", difficulty="easy", tags=["bugfix", "web", "python"],
     instruction="""
In webby, a query string that repeats a key loses values: for `/search?tag=python&tag=web`,
`request.args.getlist("tag")` returns only `["web"]`. Posted forms with repeated fields
(checkboxes) work fine. Fix the query string handling so that repeated keys keep every
value, in order, as they do for forms.
""",
     mutate={"webby/request.py": [(
         "        return MultiDict(parse_qsl(self.query_string, keep_blank_values=True))",
         "        return MultiDict(dict(parse_qsl(self.query_string, keep_blank_values=True)).items())")]})

task(id="webby-route-precedence", base="webby", difficulty="medium", tags=["bugfix", "web", "python"],
     instruction="""
Two routing bugs in webby, both reported by users of the framework:

1. Which handler answers depends on the order in which routes were registered. With
   `/users/<name>` registered before `/users/me`, a GET of `/users/me` goes to the
   `<name>` handler. A route with more literal path segments must win over a more generic
   one, whatever the registration order; among equally specific routes, the first registered wins.
2. A request whose path exists but whose method is not allowed (say `DELETE /posts/1` when
   only GET is registered) gets `404 Not Found`. It should get `405 Method Not Allowed`
   with an `Allow` header listing the methods the path does accept.
""",
     mutate={"webby/routing.py": [("        self.routes.sort(key=Route.sort_key)  # stable: equal specificity keeps "
                                   "registration order\n", "")],
             "webby/app.py": [("            if found:\n", "            if found and request.method == \"OPTIONS\":\n")]})

task(id="webby-etag", base="webby", difficulty="hard", tags=["feature", "web", "http", "python"], max_turns=60,
     instruction="""
Add conditional GET support to webby as a middleware, `webby.middleware.ConditionalGet`,
enabled with `app.use(ConditionalGet())`:

- A successful (200) response to GET or HEAD that has a body gets an `ETag` header: the
  SHA-1 hex digest of the body, in double quotes. A handler that sets its own `ETag` keeps it.
- When the request's `If-None-Match` header matches the response's ETag, the answer is
  `304 Not Modified` with an empty body; it keeps the `ETag` and any `Cache-Control` header.
  `If-None-Match` may list several tags separated by commas, may be `*`, and may carry weak
  tags (`W/"..."`), which match by the weak comparison of RFC 9110.
- Other methods and other statuses pass through untouched.
""",
     mutate={})

task(id="webby-escape-refactor", base="webby", difficulty="medium", tags=["refactor", "security", "web", "python"],
     instruction="""
webby has three hand-written copies of HTML escaping, in `webby/templates.py`, `webby/forms.py`
and `webby/errors.py`, and they disagree with each other and with `webby/html.py`. A security
review found that a form field whose value contains a double quote breaks out of the
`value="..."` attribute.

Refactor so that there is one implementation of escaping, `webby.html.escape`, used by all
three modules (and respecting `Markup`, so that already-safe HTML is not escaped twice),
and delete the copies. Apart from the escaping now being correct everywhere, rendering must
not change.
""",
     mutate={
         "webby/templates.py": [
             ("from .html import Markup, escape\n", "from .html import Markup\n"),
             ('FILTER = re.compile(r"(\\w+)(?:\\((.*)\\))?$")\n',
              'FILTER = re.compile(r"(\\w+)(?:\\((.*)\\))?$")\n\n\ndef _escape(value):\n'
              '    if isinstance(value, Markup):\n        return value\n'
              '    text = "" if value is None else str(value)\n'
              '    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(\'"\', "&quot;")\n'),
             ("out.append(escape(_expr(ctx, node[1])))", "out.append(_escape(_expr(ctx, node[1])))")],
         "webby/forms.py": [("from .html import Markup, escape\n",
                             'from .html import Markup\n\n\ndef escape(text):\n'
                             '    return str(text).replace("<", "&lt;").replace(">", "&gt;")\n')],
         "webby/errors.py": [("from .html import escape\n",
                              "import html as _html\n\n\ndef escape(text):\n"
                              "    return _html.escape(str(text), quote=False)\n")]})
