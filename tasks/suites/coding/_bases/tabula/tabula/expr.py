"""A tiny, safe expression language for `where` and `derive`:

    amount > 100 and region == "EU"
    qty * price
    not cancelled

Names are columns of the row. No attribute access, no calls: rows come from
untrusted files, so eval() is out of the question.
"""

from __future__ import annotations

import operator
import re
from decimal import Decimal
from typing import Any

from .errors import PipelineError

TOKEN = re.compile(r"\s*(?:(\d+\.\d+|\d+)|(\"[^\"]*\"|'[^']*')|(==|!=|<=|>=|[-+*/()<>])|([A-Za-z_]\w*))")
COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
           ">": operator.gt, ">=": operator.ge}
ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


def tokenize(text: str) -> list[tuple[str, str]]:
    pos, out = 0, []
    text = text.rstrip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            raise PipelineError(f"cannot read expression at: {text[pos:]!r}")
        number, string, op, name = m.groups()
        if number:
            out.append(("num", number))
        elif string:
            out.append(("str", string[1:-1]))
        elif op:
            out.append(("op", op))
        else:
            out.append(("kw" if name in ("and", "or", "not", "true", "false", "null") else "name", name))
        pos = m.end()
    return out


class Expression:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.pos = 0
        self.tree = self._or()
        if self.pos != len(self.tokens):
            raise PipelineError(f"unexpected {self.tokens[self.pos][1]!r} in expression {text!r}")

    # recursive descent: or > and > not > comparison > sum > product > atom
    def _peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def _take(self):
        tok = self._peek()
        self.pos += 1
        return tok

    def _or(self):
        left = self._and()
        while self._peek() == ("kw", "or"):
            self._take()
            left = ("or", left, self._and())
        return left

    def _and(self):
        left = self._not()
        while self._peek() == ("kw", "and"):
            self._take()
            left = ("and", left, self._not())
        return left

    def _not(self):
        if self._peek() == ("kw", "not"):
            self._take()
            return ("not", self._not())
        return self._compare()

    def _compare(self):
        left = self._sum()
        kind, value = self._peek()
        if kind == "op" and value in COMPARE:
            self._take()
            return ("cmp", value, left, self._sum())
        return left

    def _sum(self):
        left = self._product()
        while self._peek()[0] == "op" and self._peek()[1] in "+-":
            op = self._take()[1]
            left = ("arith", op, left, self._product())
        return left

    def _product(self):
        left = self._atom()
        while self._peek()[0] == "op" and self._peek()[1] in "*/":
            op = self._take()[1]
            left = ("arith", op, left, self._atom())
        return left

    def _atom(self):
        kind, value = self._take()
        if kind == "num":
            return ("lit", Decimal(value))
        if kind == "str":
            return ("lit", value)
        if kind == "kw" and value in ("true", "false", "null"):
            return ("lit", {"true": True, "false": False, "null": None}[value])
        if kind == "name":
            return ("col", value)
        if (kind, value) == ("op", "("):
            inner = self._or()
            if self._take() != ("op", ")"):
                raise PipelineError(f"missing ')' in expression {self.text!r}")
            return inner
        if (kind, value) == ("op", "-"):
            return ("arith", "-", ("lit", Decimal(0)), self._atom())
        raise PipelineError(f"unexpected {value!r} in expression {self.text!r}")

    def evaluate(self, row: dict[str, Any]) -> Any:
        return _eval(self.tree, row)


def _eval(node, row):
    tag = node[0]
    if tag == "lit":
        return node[1]
    if tag == "col":
        if node[1] not in row:
            raise PipelineError(f"unknown column '{node[1]}'")
        return row[node[1]]
    if tag == "not":
        return not _eval(node[1], row)
    if tag == "and":
        return bool(_eval(node[1], row)) and bool(_eval(node[2], row))
    if tag == "or":
        return bool(_eval(node[1], row)) or bool(_eval(node[2], row))
    left, right = _eval(node[2], row), _eval(node[3], row)
    if left is None or right is None:
        return None if tag == "arith" else (COMPARE[node[1]](left, right) if node[1] in ("==", "!=") else False)
    if isinstance(left, (int, float)) and isinstance(right, Decimal):
        left = Decimal(str(left))
    if isinstance(right, (int, float)) and isinstance(left, Decimal):
        right = Decimal(str(right))
    if tag == "cmp":
        return COMPARE[node[1]](left, right)
    return ARITH[node[1]](left, right)
