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


# ---------------------------------------------------------------- throttle (rate limiter)
task(id="throttle-fractional-period", base="throttle", difficulty="easy", tags=["bugfix", "python"],
     instruction="""
`throttle.parse_policy` crashes on policies whose period has a fractional part, such as
`"3/2.5s"` or `"1/0.5 minute"`: it raises `ValueError: invalid literal for int()` instead of
returning a policy. Fractional periods are documented in `throttle/policy.py`. Fix it.
""",
     mutate={"throttle/policy.py": [("float(m.group(2) or 1)", "int(m.group(2) or 1)")]})

task(id="throttle-clock", base="throttle", difficulty="medium", tags=["bugfix", "testing", "python"],
     instruction="""
Every limiter in throttle takes a `clock`, so that applications can test their limits on a
`FakeClock`. Users report that with a fake clock some algorithms never let requests through
again after refusing one, however far the clock is advanced, while others behave. In
production (real clock) they look fine. Find and fix the cause in every algorithm it affects.
""",
     mutate={"throttle/fixed_window.py": [("import math\n", "import math\nimport time\n"),
                                          ("window = math.floor(now / p.period)",
                                           "window = math.floor(time.monotonic() / p.period)")],
             "throttle/sliding_window.py": [("from collections import deque\n",
                                             "import time\nfrom collections import deque\n"),
                                            ("window = int(now // p.period)",
                                             "window = int(time.monotonic() // p.period)")]})

task(id="throttle-peek", base="throttle", difficulty="hard", tags=["feature", "python"], max_turns=60,
     instruction="""
Add `Limiter.peek(key, cost=1)` to throttle: it returns the `Decision` that `hit(key, cost)`
would return at this moment, without consuming anything or changing any state, for every
algorithm and with both storages (memory and SQLite). It validates `cost` exactly as `hit`
does. Dashboards will call it to show users how much of their allowance is left.
""",
     mutate={})

task(id="throttle-sliding-log-perf", base="throttle", difficulty="hard", tags=["performance", "python"],
     instruction="""
With a large policy such as `"100000/hour"`, each `hit` on a `SlidingWindowLog` limiter gets
slower as the log grows: profiling shows the time of one hit proportional to the number of
requests in the window. Make a hit take constant amortized time with the memory storage,
while giving exactly the same decisions (allowed, remaining, retry_after, reset_after) as now,
and keep the SQLite storage working.
""",
     mutate={"throttle/sliding_window.py": [('''        log = self.storage.get(key)
        if log is None:
            log = deque()
        elif not isinstance(log, deque):  # a storage that serializes gives a list back
            log = deque(log)
        horizon = now - p.period
        while log and log[0] <= horizon:
            log.popleft()
''', '''        horizon = now - p.period
        log = [t for t in (self.storage.get(key) or []) if t > horizon]
''')]})


# ---------------------------------------------------------------- stockroom (inventory service on SQLite)
task(id="stockroom-reorder-boundary", base="stockroom", difficulty="easy", tags=["bugfix", "sqlite", "python"],
     instruction="""
In stockroom, a product whose total stock is exactly at its reorder level is missing from
`python -m stockroom reorder` (and from `reorder_list`), although `StockLine.needs_reorder`
treats "at the reorder level" as needing a reorder, as our purchasing policy says. Make the
reports follow the policy.
""",
     mutate={"stockroom/reports.py": [('"reorder": total <= p.reorder_level', '"reorder": total < p.reorder_level')]})

task(id="stockroom-import-atomic", base="stockroom", difficulty="medium", tags=["bugfix", "sqlite", "python"],
     instruction="""
`stockroom import FILE.csv` is documented as all-or-nothing, but it is not: when line 5 of a
file has a bad `unit_cost`, the products and stock of lines 2–4 stay imported, and running
the import again after fixing the file receives their stock a second time. Make the import
atomic: after an error nothing of that file is imported, and the error still names the line.
Receipts, shipments, transfers and adjustments must stay atomic on their own too.
""",
     mutate={"stockroom/importer.py": [('''    with inv.repo.transaction():
        for n, row in enumerate(rows, start=2):
            sku = (row.get("sku") or "").strip().upper()
            if not sku:
                raise StockError(f"line {n}: sku is empty")
            try:
                inv.repo.product(sku)
            except StockError:
                inv.add_product(sku, row.get("name") or sku, int(row.get("reorder_level") or 0),
                                _cents(row.get("unit_cost") or "0", n))
                counts["products"] += 1
            qty = int(row.get("quantity") or 0)
            if qty:
                inv.receive(sku, row["warehouse"], qty, reference=f"import:{Path(path).name}:{n}")
                counts["receipts"] += 1
''', '''    for n, row in enumerate(rows, start=2):
        sku = (row.get("sku") or "").strip().upper()
        if not sku:
            raise StockError(f"line {n}: sku is empty")
        try:
            inv.repo.product(sku)
        except StockError:
            inv.add_product(sku, row.get("name") or sku, int(row.get("reorder_level") or 0),
                            _cents(row.get("unit_cost") or "0", n))
            counts["products"] += 1
        qty = int(row.get("quantity") or 0)
        if qty:
            inv.receive(sku, row["warehouse"], qty, reference=f"import:{Path(path).name}:{n}")
            counts["receipts"] += 1
''')],
             "stockroom/repository.py": [('''        if self.conn.in_transaction:  # nested: the outer transaction decides
            yield
            return
''', "")]})

task(id="stockroom-report-queries", base="stockroom", difficulty="hard", tags=["performance", "sqlite", "python"],
     instruction="""
The inventory report (`stockroom report`, `stockroom.reports.inventory_report`) takes minutes
on our production database (8,000 products, 12 warehouses). Make it fast: the number of SQL
statements it runs must not grow with the number of products or warehouses. Its output must
stay exactly the same, including products that have no stock anywhere, and `reorder_list`
must keep working.
""",
     mutate={"stockroom/reports.py": [('''    rows = []
    by_product: dict[str, dict[str, int]] = defaultdict(dict)
    for line in repo.stock_rows():
        by_product[line["sku"]][line["warehouse"]] = line["quantity"]
    for p in repo.products():
        split = by_product.get(p.sku, {})
        total = sum(split.values())
''', '''    rows = []
    for p in repo.products():
        split = {}
        for w in repo.warehouses():
            if repo.conn.execute("SELECT 1 FROM stock WHERE product_id = ? AND warehouse_id = ?",
                                 (p.id, w.id)).fetchone():
                split[w.code] = repo.quantity(p.id, w.id)
        total = sum(split.values())
'''), ("from collections import defaultdict\n\n", "")]})

task(id="stockroom-backup-script", base="stockroom", difficulty="medium", tags=["bugfix", "shell", "bash"],
     instruction="""
Two problems with `scripts/backup.sh` (usage: `scripts/backup.sh DB DEST_DIR [KEEP]`):

1. It fails when the database path or the backup folder contains a space
   (our NAS mounts at `/mnt/Shared Backups`).
2. Operations noticed that after rotation the *newest* backups were gone while the oldest
   stayed. Rotation must keep the KEEP newest backups (the new one included) and delete
   older ones — and never touch other files in the folder.
""",
     mutate={"scripts/backup.sh": [('mkdir -p "$dest"', "mkdir -p $dest"),
                                   ('python3 - "$db" "$dest/$name" <<', "python3 - $db $dest/$name <<"),
                                   ('ls -1 "$dest" | grep', "ls -1 $dest | grep"),
                                   ("\\.db$\" | sort)", "\\.db$\" | sort -r)"),
                                   ('rm -f -- "$dest/${all[$i]}"', "rm -f -- $dest/${all[$i]}")]})


# ---------------------------------------------------------------- pebble (a tiny interpreter)
task(id="pebble-power-precedence", base="pebble", difficulty="easy", tags=["bugfix", "interpreter", "python"],
     instruction="""
pebble evaluates `-2 ** 2` to `4` and `2 ** 3 ** 2` to `64`. As the README and the parser's
docstring say, `**` must bind tighter than unary minus and be right-associative, as in Python
and in mathematics: `-2 ** 2` is `-4` and `2 ** 3 ** 2` is `512`. Fix the parser.
""",
     mutate={"pebble/parser.py": [('''    def product(self):
        left = self.unary()
        while self.tok.kind == "op" and self.tok.value in ("*", "/", "//", "%"):
            op = self.take("op")
            left = ast.Binary(op.line, op.value, left, self.unary())
        return left

    def unary(self):
        if self.at("op", "-"):
            line = self.take("op").line
            return ast.Unary(line, "-", self.unary())
        return self.power()

    def power(self):
        base = self.postfix()
        if self.at("op", "**"):
            line = self.take("op").line
            return ast.Binary(line, "**", base, self.unary())  # right-assoc; exponent may be negative
        return base
''', '''    def product(self):
        left = self.power()
        while self.tok.kind == "op" and self.tok.value in ("*", "/", "//", "%"):
            op = self.take("op")
            left = ast.Binary(op.line, op.value, left, self.power())
        return left

    def power(self):
        left = self.unary()
        while self.at("op", "**"):
            line = self.take("op").line
            left = ast.Binary(line, "**", left, self.unary())
        return left

    def unary(self):
        if self.at("op", "-"):
            line = self.take("op").line
            return ast.Unary(line, "-", self.unary())
        return self.postfix()
''')]})

task(id="pebble-error-lines", base="pebble", difficulty="medium", tags=["bugfix", "interpreter", "python"],
     instruction="""
pebble's error messages name the wrong line, or none at all, and users cannot find their bugs:

- in a script with comments, errors after a comment point one line too early per comment;
- after a string literal that spans lines, errors point too early as well;
- an error raised inside a built-in function (`len(5)`, `pop([])`, `int("x")`) has no line.

Every error must name the line where the code that caused it is.
""",
     mutate={"pebble/lexer.py": [('''            while i < len(src) and src[i] != "\\n":
                i += 1
''', '''            while i < len(src) and src[i] != "\\n":
                i += 1
            i += 1
'''), ('''                if src[i] == "\\n":
                    line += 1
''', "")],
             "pebble/interpreter.py": [("                raise PebbleError(exc.message, node.line) from None",
                                        "                raise")]})

task(id="pebble-closures", base="pebble", difficulty="hard", tags=["bugfix", "interpreter", "scoping", "python"],
     max_turns=60,
     instruction="""
Functions in pebble are supposed to be closures with lexical scope (see the README), but:

- a function returned from another function cannot see the variables of the function that
  made it: `examples/counter.pb` fails with `undefined variable 'count'`;
- a function can see (and assign!) the local variables of whoever calls it.

Make functions close over the scope in which they are defined, and only that scope.
""",
     mutate={"pebble/interpreter.py": [
         ('return Function("<anonymous>", node.params, node.body, env)',
          'return Function("<anonymous>", node.params, node.body, None)'),
         ("        scope = Environment(callee.closure)\n", "        scope = Environment(env)\n")]})

task(id="pebble-list-perf", base="pebble", difficulty="hard", tags=["performance", "interpreter", "python"],
     instruction="""
pebble scripts that build or walk long lists get slower and slower: pushing 150,000 items
onto a list, or looping `while i < len(xs)` over a long list, takes minutes; the time grows
with the square of the list's length. Make `push` and `len` on lists take constant time,
without changing what any program prints.
""",
     mutate={"pebble/values.py": [
         ('    """A mutable list; push is amortized O(1) and len is O(1), as scripts expect."""',
          '    """A mutable list."""'),
         ("        self.items.append(value)", "        self.items = self.items + [value]"),
         ("        return len(self.items)", "        return sum(1 for _ in self.items)")]})


# ---------------------------------------------------------------- datekit (date arithmetic)
task(id="datekit-humanize-plural", base="datekit", difficulty="easy", tags=["bugfix", "dates", "python"],
     instruction="""
`datekit.humanize` writes "1 hours ago", "in 1 days" and "1 weeks ago". Singular amounts
must use the singular unit ("1 hour ago", "in 1 day"); everything else must stay as it is.
""",
     mutate={"datekit/humanize.py": [('return f"{n} {unit}" if n == 1 else f"{n} {unit}s"', 'return f"{n} {unit}s"')]})

task(id="datekit-month-end", base="datekit", difficulty="medium", tags=["bugfix", "dates", "python"],
     instruction="""
Customers billed on the 31st are being billed on the wrong days:

- `add_months(date(2024, 1, 31), 1)` returns 2024-03-02 instead of 2024-02-29, so monthly
  `Schedule`s that start on the 29th–31st drift into the next month;
- `end_of_month(date(1900, 2, 10))` returns 1900-02-29, a day that did not exist.

Fix month arithmetic as the module docstring of `datekit/arithmetic.py` describes it, and the
calendar rules it depends on.
""",
     mutate={"datekit/arithmetic.py": [
         ("    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)", "    return year % 4 == 0"),
         ("    return d.replace(year=year, month=month, day=min(d.day, days_in_month(year, month)))",
          "    try:\n        return d.replace(year=year, month=month)\n"
          "    except ValueError:  # no such day in that month: carry the extra days over\n"
          "        return d.replace(year=year, month=month, day=1) + dt.timedelta(days=d.day - 1)")]})

task(id="datekit-iso-duration", base="datekit", difficulty="hard", tags=["feature", "dates", "python"],
     max_turns=60,
     instruction="""
Teach `datekit.Duration` the ISO 8601 duration format used by our APIs:

- `Duration.parse_iso("P1DT2H30M")` parses, and `duration.isoformat()` formats back.
- Supported designators: weeks (`W`), days (`D`), and after `T` hours (`H`), minutes (`M`)
  and seconds (`S`); a leading `-` makes the duration negative (`-PT15M`). Years and months
  are not fixed lengths: reject them (and anything malformed) with `ValueError`.
- `isoformat()` gives the shortest canonical form: days (never weeks), then the time part,
  leaving out zero components; a zero duration is `PT0S`. Round-tripping a formatted value
  gives the same duration.
""",
     mutate={})

task(id="datekit-business-days", base="datekit", difficulty="medium", tags=["bugfix", "dates", "python"],
     instruction="""
With the US federal calendar loaded with `observe_weekend_holidays=True`
(`Calendar.from_file("holidays/us-federal-2026.txt", observe_weekend_holidays=True)`),
`business_days_between(date(2026, 6, 29), date(2026, 7, 6), cal)` returns 3, but the answer
is 4: Independence Day falls on Saturday July 4 and is observed on Friday July 3, so that week
has four business days. Find the cause and fix it, for any calendar and weekend.
""",
     mutate={"datekit/business.py": [
         ("    count -= sum(1 for h in calendar.holidays if start <= h < end and h.weekday() not in calendar.weekend)",
          "    count -= sum(1 for h in calendar.holidays if start <= h < end)")]})
