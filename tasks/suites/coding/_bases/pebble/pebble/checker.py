"""Static checks: mistakes found without running the program.

    errors: a name used or assigned that no scope declares; `return` outside a function; a call
            to a built-in with the wrong number of arguments; `let` of a name already declared in
            the same scope (the interpreter refuses it at run time).
    warnings: a name read before its `let` in straight-line code; a local never read;
              statements after a `return` in the same block.

Functions see every name of their enclosing scopes, whether declared before or after them, as the
interpreter resolves names when the function runs: mutual recursion is fine.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import ast
from .parser import parse

BUILTIN_ARITY = {"print": None, "len": 1, "push": 2, "pop": 1, "range": None, "str": 1, "int": 1, "type": 1}


@dataclass(order=True)
class Diagnostic:
    line: int
    severity: str  # "error" or "warning"
    code: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.severity}: {self.message} [{self.code}]"


@dataclass
class Scope:
    parent: Scope | None
    declared: dict[str, int] = field(default_factory=dict)  # name -> line of its let
    read: set[str] = field(default_factory=set)
    function: bool = False  # a function's own scope (params), where `return` is allowed
    all_names: set[str] = field(default_factory=set)  # every name the block declares, for closures

    def lookup(self, name: str) -> Scope | None:
        scope = self
        while scope is not None:
            if name in scope.declared:
                return scope
            scope = scope.parent
        return None

    def declared_later(self, name: str) -> bool:
        scope = self
        while scope is not None:
            if name in scope.all_names:
                return True
            scope = scope.parent
        return False


class Checker:
    def __init__(self):
        self.diagnostics: list[Diagnostic] = []
        self.globals = Scope(None, declared={name: 0 for name in BUILTIN_ARITY})
        self.function_depth = 0

    def report(self, line: int, severity: str, code: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(line, severity, code, message))

    def check_program(self, stmts: list) -> list[Diagnostic]:
        self.block(stmts, Scope(self.globals), top=True)
        return sorted(self.diagnostics)

    def block(self, stmts: list, scope: Scope, top: bool = False) -> None:
        scope.all_names = {s.name for s in stmts if isinstance(s, ast.Let)}
        returned = False
        for stmt in stmts:
            if returned:
                self.report(stmt.line, "warning", "unreachable", "statement after return is never run")
                break
            self.statement(stmt, scope)
            returned = isinstance(stmt, ast.Return)
        if not top and scope.parent is not self.globals:
            for name, line in scope.declared.items():
                if name not in scope.read and not name.startswith("_") and not scope.function:
                    self.report(line, "warning", "unused", f"'{name}' is never used")

    def statement(self, node, scope: Scope) -> None:
        if isinstance(node, ast.Let):
            self.expr(node.value, scope)
            if node.name in scope.declared:
                self.report(node.line, "error", "redeclared",
                            f"'{node.name}' is already declared in this scope (line {scope.declared[node.name]})")
            scope.declared[node.name] = node.line
        elif isinstance(node, ast.Assign):
            if isinstance(node.target, ast.Name):
                if scope.lookup(node.target.name) is None and not self._closure_sees(node.target.name, scope):
                    self.report(node.line, "error", "undeclared", f"assignment to undeclared '{node.target.name}'")
            else:
                self.expr(node.target, scope)
            self.expr(node.value, scope)
        elif isinstance(node, ast.ExprStmt):
            self.expr(node.expr, scope)
        elif isinstance(node, ast.Return):
            if self.function_depth == 0:
                self.report(node.line, "error", "return-outside", "return outside a function")
            if node.value is not None:
                self.expr(node.value, scope)
        elif isinstance(node, ast.If):
            self.expr(node.cond, scope)
            self.block(node.then, Scope(scope))
            if node.otherwise:
                self.block(node.otherwise, Scope(scope))
        elif isinstance(node, ast.While):
            self.expr(node.cond, scope)
            self.block(node.body, Scope(scope))

    def _closure_sees(self, name: str, scope: Scope) -> bool:
        return self.function_depth > 0 and scope.declared_later(name)

    def expr(self, node, scope: Scope) -> None:
        if isinstance(node, ast.Name):
            owner = scope.lookup(node.name)
            if owner is not None:
                owner.read.add(node.name)
            elif self._closure_sees(node.name, scope):
                pass  # declared later in an enclosing scope: defined by the time the function runs
            elif scope.declared_later(node.name):
                self.report(node.line, "warning", "use-before-let", f"'{node.name}' is used before its let")
            else:
                self.report(node.line, "error", "undefined", f"undefined name '{node.name}'")
        elif isinstance(node, ast.FnExpr):
            inner = Scope(scope, declared={p: node.line for p in node.params}, function=True)
            seen = set()
            for p in node.params:
                if p in seen:
                    self.report(node.line, "error", "duplicate-param", f"parameter '{p}' appears twice")
                seen.add(p)
            self.function_depth += 1
            body = Scope(inner)
            self.block(node.body, body)
            self.function_depth -= 1
        elif isinstance(node, ast.Call):
            self.expr(node.callee, scope)
            for a in node.args:
                self.expr(a, scope)
            if isinstance(node.callee, ast.Name) and scope.lookup(node.callee.name) is self.globals:
                arity = BUILTIN_ARITY.get(node.callee.name)
                if arity is not None and len(node.args) != arity:
                    self.report(node.line, "error", "arity",
                                f"{node.callee.name}() takes {arity} argument{'s' * (arity != 1)}, "
                                f"not {len(node.args)}")
        elif isinstance(node, (ast.Unary,)):
            self.expr(node.operand, scope)
        elif isinstance(node, ast.Binary):
            self.expr(node.left, scope)
            self.expr(node.right, scope)
        elif isinstance(node, ast.Index):
            self.expr(node.target, scope)
            self.expr(node.index, scope)
        elif isinstance(node, ast.ListExpr):
            for item in node.items:
                self.expr(item, scope)


def check_source(src: str) -> list[Diagnostic]:
    return Checker().check_program(parse(src))
