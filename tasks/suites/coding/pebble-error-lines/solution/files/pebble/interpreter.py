"""Walks the syntax tree. Errors carry the line of the node that failed."""

from __future__ import annotations

import operator

from . import ast
from .builtins import make_builtins, type_name
from .environment import Environment
from .errors import PebbleError, ReturnSignal
from .parser import parse
from .values import Builtin, Function, PebbleList, truthy

ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul, "%": operator.mod, "**": operator.pow,
         "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
MAX_DEPTH = 200


class Interpreter:
    def __init__(self, output=print):
        self.globals = Environment()
        for name, fn in make_builtins(output).items():
            self.globals.define(name, fn)
        self.depth = 0

    def run(self, src: str):
        result = None
        for stmt in parse(src):
            result = self.execute(stmt, self.globals)
        return result

    # -- statements
    def execute_block(self, stmts: list, env: Environment):
        for stmt in stmts:
            self.execute(stmt, env)

    def execute(self, node, env: Environment):
        if isinstance(node, ast.ExprStmt):
            return self.evaluate(node.expr, env)
        if isinstance(node, ast.Let):
            value = self.evaluate(node.value, env)
            if isinstance(value, Function) and value.name == "<anonymous>":
                value.name = node.name
            env.define(node.name, value, node.line)
        elif isinstance(node, ast.Assign):
            value = self.evaluate(node.value, env)
            if isinstance(node.target, ast.Name):
                env.set(node.target.name, value, node.line)
            else:
                lst, i = self._index_target(node.target, env)
                lst.items[i] = value
        elif isinstance(node, ast.If):
            branch = node.then if truthy(self.evaluate(node.cond, env)) else node.otherwise
            self.execute_block(branch, Environment(env))
        elif isinstance(node, ast.While):
            while truthy(self.evaluate(node.cond, env)):
                self.execute_block(node.body, Environment(env))
        elif isinstance(node, ast.Return):
            raise ReturnSignal(None if node.value is None else self.evaluate(node.value, env))
        else:
            raise PebbleError(f"cannot execute {type(node).__name__}", node.line)
        return None

    # -- expressions
    def evaluate(self, node, env: Environment):
        if isinstance(node, ast.Literal):
            return node.value
        if isinstance(node, ast.Name):
            return env.get(node.name, node.line)
        if isinstance(node, ast.ListExpr):
            return PebbleList(self.evaluate(i, env) for i in node.items)
        if isinstance(node, ast.Index):
            lst, i = self._index_target(node, env)
            return lst.items[i] if isinstance(lst, PebbleList) else lst[i]
        if isinstance(node, ast.Unary):
            value = self.evaluate(node.operand, env)
            if node.op == "not":
                return not truthy(value)
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise PebbleError(f"cannot negate {type_name(value)}", node.line)
            return -value
        if isinstance(node, ast.Binary):
            return self._binary(node, env)
        if isinstance(node, ast.FnExpr):
            return Function("<anonymous>", node.params, node.body, env)
        if isinstance(node, ast.Call):
            return self._call(node, env)
        raise PebbleError(f"cannot evaluate {type(node).__name__}", node.line)

    def _index_target(self, node: ast.Index, env):
        target, index = self.evaluate(node.target, env), self.evaluate(node.index, env)
        if not isinstance(target, (PebbleList, str)):
            raise PebbleError(f"cannot index {type_name(target)}", node.line)
        if not isinstance(index, int) or isinstance(index, bool):
            raise PebbleError(f"index must be an int, not {type_name(index)}", node.line)
        size = target.length() if isinstance(target, PebbleList) else len(target)
        if not -size <= index < size:
            raise PebbleError(f"index {index} out of range for length {size}", node.line)
        return target, index

    def _binary(self, node: ast.Binary, env):
        if node.op == "and":
            left = self.evaluate(node.left, env)
            return self.evaluate(node.right, env) if truthy(left) else left
        if node.op == "or":
            left = self.evaluate(node.left, env)
            return left if truthy(left) else self.evaluate(node.right, env)
        left, right = self.evaluate(node.left, env), self.evaluate(node.right, env)
        if node.op == "==":
            return left == right and type_name(left) == type_name(right) or (
                isinstance(left, (int, float)) and isinstance(right, (int, float)) and left == right)
        if node.op == "!=":
            return not self._binary(ast.Binary(node.line, "==", ast.Literal(node.line, left),
                                               ast.Literal(node.line, right)), env)
        if node.op == "+" and isinstance(left, str) and isinstance(right, str):
            return left + right
        if node.op == "+" and isinstance(left, PebbleList) and isinstance(right, PebbleList):
            return PebbleList(left.items + right.items)
        numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right))
        if node.op in ("<", "<=", ">", ">=") and isinstance(left, str) and isinstance(right, str):
            return ARITH[node.op](left, right)
        if not numeric:
            raise PebbleError(f"unsupported operands for {node.op}: {type_name(left)} and {type_name(right)}",
                              node.line)
        if node.op in ("/", "//", "%") and right == 0:
            raise PebbleError("division by zero", node.line)
        if node.op == "/":
            q = left / right
            return int(q) if q.is_integer() and isinstance(left, int) and isinstance(right, int) else q
        if node.op == "//":
            return left // right
        return ARITH[node.op](left, right)

    def _call(self, node: ast.Call, env):
        callee = self.evaluate(node.callee, env)
        args = [self.evaluate(a, env) for a in node.args]
        if isinstance(callee, Builtin):
            if callee.arity is not None and len(args) != callee.arity:
                raise PebbleError(f"{callee.name}() takes {callee.arity} argument(s), got {len(args)}", node.line)
            try:
                return callee.fn(*args)
            except PebbleError as exc:
                raise PebbleError(exc.message, node.line) from None
        if not isinstance(callee, Function):
            raise PebbleError(f"{type_name(callee)} is not callable", node.line)
        if len(args) != len(callee.params):
            raise PebbleError(f"{callee.name}() takes {len(callee.params)} argument(s), got {len(args)}", node.line)
        if self.depth >= MAX_DEPTH:
            raise PebbleError(f"recursion deeper than {MAX_DEPTH} calls", node.line)
        scope = Environment(callee.closure)
        for p, a in zip(callee.params, args):
            scope.define(p, a, node.line)
        self.depth += 1
        try:
            self.execute_block(callee.body, scope)
        except ReturnSignal as ret:
            return ret.value
        finally:
            self.depth -= 1
        return None


def run(src: str, output=print):
    return Interpreter(output).run(src)
