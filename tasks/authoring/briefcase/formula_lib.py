"""The formula evaluator the briefcase checks carry (checks_lib.py): a spreadsheet written by code holds formulas
and no computed values, so a check computes them from the workbook's own inputs. Recursive descent over Excel's
arithmetic, references (A1, $A$1, ranges, 'Other sheet'!A1) and the few functions a model of this kind uses."""

FORMULA = r'''
class Formula:
    TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<ref>(?:'[^']+'|[A-Za-z_][\w.]*)?!?\$?[A-Z]{1,3}\$?\d+"
                       r"(?::\$?[A-Z]{1,3}\$?\d+)?)|(?P<fn>[A-Z][A-Z0-9.]*)\(|(?P<op>[-+*/^(),%]))")

    def __init__(self, book, sheet, text, depth):
        self.book, self.sheet, self.depth, self.toks, self.i = book, sheet, depth, [], 0
        pos = 0
        while pos < len(text.rstrip()):
            m = self.TOKEN.match(text, pos)
            assert m and m.end() > pos, f"unreadable formula at {text[pos:pos + 12]!r}"
            self.toks.append((m.lastgroup, m.group(m.lastgroup)))
            pos = m.end()

    def value(self):
        v = self.expr()
        assert self.i == len(self.toks), "unreadable formula"
        return v

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else (None, None)

    def take(self):
        self.i += 1
        return self.toks[self.i - 1]

    def expr(self):
        v = self.term()
        while self.peek()[1] in ("+", "-"):
            v = v + self.term() if self.take()[1] == "+" else v - self.term()
        return v

    def term(self):
        v = self.power()
        while self.peek()[1] in ("*", "/"):
            v = v * self.power() if self.take()[1] == "*" else v / self.power()
        return v

    def power(self):
        v = self.unary()
        if self.peek()[1] == "^":
            self.take()
            return v ** self.power()
        return v

    def unary(self):
        if self.peek()[1] in ("-", "+"):
            return -self.unary() if self.take()[1] == "-" else self.unary()
        v = self.primary()
        if self.peek()[1] == "%":
            self.take()
            v = v / 100
        return v

    def primary(self):
        kind, tok = self.take()
        if kind == "num":
            return float(tok)
        if kind == "ref":
            vals = self.ref(tok)
            assert len(vals) == 1, f"a range {tok} where one value is needed"
            return vals[0]
        if kind == "fn":
            return self.call(tok)
        assert tok == "(", f"unexpected {tok!r}"
        v = self.expr()
        assert self.take()[1] == ")", "missing )"
        return v

    def ref(self, tok):
        sheet, _, cells = tok.rpartition("!")
        sheet = self.book.sheet(sheet.strip("'")) if sheet else self.sheet
        from openpyxl.utils.cell import range_boundaries

        c1, r1, c2, r2 = range_boundaries(cells.replace("$", ""))
        ws = self.book.f[sheet]
        out = []
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                v = self.book.value(sheet, ws.cell(r, c).coordinate, self.depth + 1)
                out.append(v if isinstance(v, (int, float)) else 0)
        return out

    def call(self, fn):
        args = []
        while self.peek()[1] != ")":
            args.append(self.ref(self.take()[1]) if self.peek()[0] == "ref" and ":" in self.peek()[1]
                        else [self.expr()])
            if self.peek()[1] == ",":
                self.take()
        self.take()
        flat = [x for a in args for x in a]
        if fn == "SUM":
            return sum(flat)
        if fn == "AVERAGE":
            return sum(flat) / len(flat)
        if fn in ("MIN", "MAX", "ABS"):
            return {"MIN": min, "MAX": max, "ABS": lambda x: abs(x[0])}[fn](flat)
        if fn == "ROUND":
            return round(args[0][0], int(args[1][0]) if len(args) > 1 else 0)
        if fn == "SUMPRODUCT":
            return sum(a * b for a, b in zip(args[0], args[1]))
        raise AssertionError(f"function {fn} is not one the checks evaluate")
'''
