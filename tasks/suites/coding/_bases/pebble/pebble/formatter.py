"""Source formatter: syntax tree -> canonical pebble source.

One statement per line, four-space indents, spaces around binary operators, and parentheses only
where the grammar needs them. Formatting never changes meaning: `parse(format_source(src))` gives
the same tree as `parse(src)` (line numbers aside), which the tests check on every example.
Comments are not part of the tree, so they are not kept: run it on code, not on documentation.
"""

from __future__ import annotations

from decimal import Decimal

from . import ast
from .parser import parse

INDENT = "    "

# Binding strength, weakest first, as the parser's precedence table in parser.py.
PRECEDENCE = {"or": 1, "and": 2, "not": 3, "==": 4, "!=": 4, "<": 4, "<=": 4, ">": 4, ">=": 4,
              "+": 5, "-": 5, "*": 6, "/": 6, "//": 6, "%": 6}
UNARY_MINUS, POWER, POSTFIX, ATOM = 7, 8, 9, 10
ESCAPE = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t"}


def precedence(node) -> int:
    if isinstance(node, ast.Binary):
        return POWER if node.op == "**" else PRECEDENCE[node.op]
    if isinstance(node, ast.Unary):
        return PRECEDENCE["not"] if node.op == "not" else UNARY_MINUS
    if isinstance(node, (ast.Call, ast.Index)):
        return POSTFIX
    return ATOM


def literal(value) -> str:
    if value is None:
        return "nil"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return '"' + "".join(ESCAPE.get(c, c) for c in value) + '"'
    if isinstance(value, float):
        text = repr(value)
        if "e" in text or "n" in text:  # 1e+20, inf, nan: the lexer reads plain decimals only
            if value != value or value in (float("inf"), float("-inf")):
                raise ValueError(f"{value} has no pebble literal")
            text = format(Decimal(text), "f")
            text = text if "." in text else text + ".0"
        return text
    return str(value)


class Formatter:
    def __init__(self):
        self.depth = 0

    def pad(self) -> str:
        return INDENT * self.depth

    # -- statements
    def block(self, stmts: list) -> str:
        if not stmts:
            return "{ }"
        self.depth += 1
        body = "\n".join(self.statement(s) for s in stmts)
        self.depth -= 1
        return "{\n" + body + "\n" + self.pad() + "}"

    def statement(self, node) -> str:
        pad = self.pad()
        if isinstance(node, ast.Let):
            return f"{pad}let {node.name} = {self.expr(node.value)};"
        if isinstance(node, ast.Assign):
            return f"{pad}{self.expr(node.target)} = {self.expr(node.value)};"
        if isinstance(node, ast.Return):
            return f"{pad}return;" if node.value is None else f"{pad}return {self.expr(node.value)};"
        if isinstance(node, ast.ExprStmt):
            return f"{pad}{self.expr(node.expr)};"
        if isinstance(node, ast.While):
            return f"{pad}while {self.expr(node.cond)} {self.block(node.body)}"
        if isinstance(node, ast.If):
            text = f"{pad}if {self.expr(node.cond)} {self.block(node.then)}"
            if len(node.otherwise) == 1 and isinstance(node.otherwise[0], ast.If):
                return text + " else " + self.statement(node.otherwise[0]).lstrip()
            if node.otherwise:
                text += " else " + self.block(node.otherwise)
            return text
        raise TypeError(f"not a statement: {type(node).__name__}")

    # -- expressions
    def wrap(self, node, needed: int) -> str:
        text = self.expr(node)
        return f"({text})" if precedence(node) < needed else text

    def expr(self, node) -> str:
        if isinstance(node, ast.Literal):
            return literal(node.value)
        if isinstance(node, ast.Name):
            return node.name
        if isinstance(node, ast.ListExpr):
            return "[" + ", ".join(self.expr(i) for i in node.items) + "]"
        if isinstance(node, ast.Index):
            return f"{self.wrap(node.target, POSTFIX)}[{self.expr(node.index)}]"
        if isinstance(node, ast.Call):
            return f"{self.wrap(node.callee, POSTFIX)}(" + ", ".join(self.expr(a) for a in node.args) + ")"
        if isinstance(node, ast.FnExpr):
            return f"fn({', '.join(node.params)}) {self.block(node.body)}"
        if isinstance(node, ast.Unary):
            if node.op == "not":
                return f"not {self.wrap(node.operand, PRECEDENCE['not'])}"
            return f"-{self.wrap(node.operand, UNARY_MINUS)}"
        if isinstance(node, ast.Binary):
            if node.op == "**":  # right-associative; the exponent is parsed as a unary expression
                return f"{self.wrap(node.left, POSTFIX)} ** {self.wrap(node.right, UNARY_MINUS)}"
            p = PRECEDENCE[node.op]
            if p == 4:  # comparisons do not chain: `a < b < c` is a syntax error
                return f"{self.wrap(node.left, p + 1)} {node.op} {self.wrap(node.right, p + 1)}"
            return f"{self.wrap(node.left, p)} {node.op} {self.wrap(node.right, p + 1)}"
        raise TypeError(f"not an expression: {type(node).__name__}")


def format_program(stmts: list) -> str:
    f = Formatter()
    return "\n".join(f.statement(s) for s in stmts) + ("\n" if stmts else "")


def format_source(src: str) -> str:
    return format_program(parse(src))
