"""Tokens -> syntax tree, by recursive descent. Precedence, lowest first:

    or; and; not; == != < <= > >=; + -; * / // %; unary -; **; call/index; atom

`**` is right-associative and binds tighter than unary minus: -2 ** 2 == -4.
"""

from __future__ import annotations

from . import ast
from .errors import PebbleError
from .lexer import Token, tokenize

COMPARE = {"==", "!=", "<", "<=", ">", ">="}


class Parser:
    def __init__(self, tokens: list[Token]):
        self.tokens, self.pos = tokens, 0

    # -- helpers
    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def at(self, kind: str, value=None) -> bool:
        return self.tok.kind == kind and (value is None or self.tok.value == value)

    def take(self, kind: str, value=None) -> Token:
        if not self.at(kind, value):
            want = value if value is not None else kind
            got = self.tok.value if self.tok.kind != "eof" else "end of input"
            raise PebbleError(f"expected {want!r}, got {got!r}", self.tok.line)
        tok = self.tok
        self.pos += 1
        return tok

    def accept(self, kind: str, value=None) -> bool:
        if self.at(kind, value):
            self.pos += 1
            return True
        return False

    # -- statements
    def program(self) -> list:
        stmts = []
        while not self.at("eof"):
            stmts.append(self.statement())
        return stmts

    def block(self) -> list:
        self.take("op", "{")
        stmts = []
        while not self.at("op", "}"):
            if self.at("eof"):
                raise PebbleError("missing '}'", self.tok.line)
            stmts.append(self.statement())
        self.take("op", "}")
        return stmts

    def statement(self):
        line = self.tok.line
        if self.accept("kw", "let"):
            name = self.take("name").value
            self.take("op", "=")
            value = self.expression()
            self.take("op", ";")
            return ast.Let(line, name, value)
        if self.accept("kw", "if"):
            cond, then = self.expression(), self.block()
            otherwise = []
            if self.accept("kw", "else"):
                otherwise = [self.statement()] if self.at("kw", "if") else self.block()
            return ast.If(line, cond, then, otherwise)
        if self.accept("kw", "while"):
            return ast.While(line, self.expression(), self.block())
        if self.accept("kw", "return"):
            value = None if self.at("op", ";") else self.expression()
            self.take("op", ";")
            return ast.Return(line, value)
        expr = self.expression()
        if self.accept("op", "="):
            if not isinstance(expr, (ast.Name, ast.Index)):
                raise PebbleError("can only assign to a name or an index", line)
            value = self.expression()
            self.take("op", ";")
            return ast.Assign(line, expr, value)
        self.take("op", ";")
        return ast.ExprStmt(line, expr)

    # -- expressions
    def expression(self):
        return self.or_expr()

    def or_expr(self):
        left = self.and_expr()
        while self.at("kw", "or"):
            line = self.take("kw").line
            left = ast.Binary(line, "or", left, self.and_expr())
        return left

    def and_expr(self):
        left = self.not_expr()
        while self.at("kw", "and"):
            line = self.take("kw").line
            left = ast.Binary(line, "and", left, self.not_expr())
        return left

    def not_expr(self):
        if self.at("kw", "not"):
            line = self.take("kw").line
            return ast.Unary(line, "not", self.not_expr())
        return self.comparison()

    def comparison(self):
        left = self.sum()
        if self.tok.kind == "op" and self.tok.value in COMPARE:
            op = self.take("op")
            return ast.Binary(op.line, op.value, left, self.sum())
        return left

    def sum(self):
        left = self.product()
        while self.tok.kind == "op" and self.tok.value in ("+", "-"):
            op = self.take("op")
            left = ast.Binary(op.line, op.value, left, self.product())
        return left

    def product(self):
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

    def postfix(self):
        expr = self.atom()
        while True:
            if self.at("op", "("):
                line = self.take("op").line
                args = []
                if not self.at("op", ")"):
                    args.append(self.expression())
                    while self.accept("op", ","):
                        args.append(self.expression())
                self.take("op", ")")
                expr = ast.Call(line, expr, args)
            elif self.at("op", "["):
                line = self.take("op").line
                expr = ast.Index(line, expr, self.expression())
                self.take("op", "]")
            else:
                return expr

    def atom(self):
        tok = self.tok
        if tok.kind in ("num", "str"):
            self.pos += 1
            return ast.Literal(tok.line, tok.value)
        if tok.kind == "kw" and tok.value in ("true", "false", "nil"):
            self.pos += 1
            return ast.Literal(tok.line, {"true": True, "false": False, "nil": None}[tok.value])
        if tok.kind == "name":
            self.pos += 1
            return ast.Name(tok.line, tok.value)
        if self.accept("op", "("):
            expr = self.expression()
            self.take("op", ")")
            return expr
        if self.accept("op", "["):
            items = []
            if not self.at("op", "]"):
                items.append(self.expression())
                while self.accept("op", ","):
                    items.append(self.expression())
            self.take("op", "]")
            return ast.ListExpr(tok.line, items)
        if self.accept("kw", "fn"):
            self.take("op", "(")
            params = []
            if not self.at("op", ")"):
                params.append(self.take("name").value)
                while self.accept("op", ","):
                    params.append(self.take("name").value)
            self.take("op", ")")
            return ast.FnExpr(tok.line, params, self.block())
        got = tok.value if tok.kind != "eof" else "end of input"
        raise PebbleError(f"unexpected {got!r}", tok.line)


def parse(src: str) -> list:
    return Parser(tokenize(src)).program()
