"""Constant folding and dead-code removal on the syntax tree, before it runs.

    tree = optimize(parse(source))

Folds operations whose operands are literals (`2 ** 10` -> `1024`, `"a" + "b"` -> `"ab"`,
`not true` -> `false`), picks the branch of an `if` whose condition is a literal, drops a
`while false`, and drops statements after a `return` in the same block. It never folds what could
fail at run time (division by zero, `"a" - 1`): that error must still happen, on its line.
Running the optimized tree gives the same output as the original (the tests check every example).
"""

from __future__ import annotations

import operator
from dataclasses import replace

from . import ast
from .values import truthy

FOLD = {"+": operator.add, "-": operator.sub, "*": operator.mul, "**": operator.pow, "%": operator.mod,
        "//": operator.floordiv, "/": operator.truediv, "<": operator.lt, "<=": operator.le, ">": operator.gt,
        ">=": operator.ge, "==": operator.eq, "!=": operator.ne}
MAX_FOLDED_LENGTH = 10_000  # "x" * 10**9 is legal, but not something to build at compile time


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _safe(op: str, a, b) -> bool:
    """Only fold what the interpreter would compute without error, and with the same result."""
    if op in ("==", "!="):
        return True
    if _number(a) and _number(b):
        if op in ("/", "//", "%") and b == 0:
            return False
        if op == "**" and (abs(b) > 64 or (a == 0 and b < 0)):
            return False
        return True
    if op == "+" and isinstance(a, str) and isinstance(b, str):
        return len(a) + len(b) <= MAX_FOLDED_LENGTH
    if op in ("<", "<=", ">", ">=") and isinstance(a, str) and isinstance(b, str):
        return True
    return False


def fold(node):
    if isinstance(node, ast.Binary):
        left, right = fold(node.left), fold(node.right)
        node = replace(node, left=left, right=right)
        if node.op in ("and", "or") and isinstance(left, ast.Literal):
            keep_left = truthy(left.value) == (node.op == "or")
            return left if keep_left else right
        if isinstance(left, ast.Literal) and isinstance(right, ast.Literal) and node.op in FOLD \
                and _safe(node.op, left.value, right.value):
            return ast.Literal(node.line, FOLD[node.op](left.value, right.value))
        return node
    if isinstance(node, ast.Unary):
        operand = fold(node.operand)
        if isinstance(operand, ast.Literal):
            if node.op == "not":
                return ast.Literal(node.line, not truthy(operand.value))
            if _number(operand.value):
                return ast.Literal(node.line, -operand.value)
        return replace(node, operand=operand)
    if isinstance(node, ast.Call):
        return replace(node, callee=fold(node.callee), args=[fold(a) for a in node.args])
    if isinstance(node, ast.Index):
        return replace(node, target=fold(node.target), index=fold(node.index))
    if isinstance(node, ast.ListExpr):
        return replace(node, items=[fold(i) for i in node.items])
    if isinstance(node, ast.FnExpr):
        return replace(node, body=optimize(node.body))
    return node


def _statement(node) -> list:
    if isinstance(node, ast.Let):
        return [replace(node, value=fold(node.value))]
    if isinstance(node, ast.Assign):
        return [replace(node, target=fold(node.target), value=fold(node.value))]
    if isinstance(node, ast.ExprStmt):
        return [replace(node, expr=fold(node.expr))]
    if isinstance(node, ast.Return):
        return [replace(node, value=None if node.value is None else fold(node.value))]
    if isinstance(node, ast.While):
        cond = fold(node.cond)
        if isinstance(cond, ast.Literal) and not truthy(cond.value):
            return []
        return [replace(node, cond=cond, body=optimize(node.body))]
    if isinstance(node, ast.If):
        cond = fold(node.cond)
        then, otherwise = optimize(node.then), optimize(node.otherwise)
        if isinstance(cond, ast.Literal):
            # The branch keeps its own scope: inline it as `if true { ... }` so lets stay local.
            chosen = then if truthy(cond.value) else otherwise
            return [ast.If(node.line, ast.Literal(node.line, True), chosen)] if chosen else []
        return [replace(node, cond=cond, then=then, otherwise=otherwise)]
    return [node]


def optimize(stmts: list) -> list:
    out = []
    for stmt in stmts:
        out += _statement(stmt)
        if isinstance(stmt, ast.Return):
            break  # the rest of the block never runs
    return out


def count_nodes(node) -> int:
    """Size of a tree, to show what optimizing saved."""
    if isinstance(node, list):
        return sum(count_nodes(n) for n in node)
    if hasattr(node, "__dataclass_fields__"):
        return 1 + sum(count_nodes(getattr(node, f)) for f in node.__dataclass_fields__ if f != "line")
    return 0
