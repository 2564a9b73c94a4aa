"""Syntax tree nodes. Every node records its line for error messages."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Node:
    line: int


@dataclass
class Literal(Node):
    value: object


@dataclass
class Name(Node):
    name: str


@dataclass
class ListExpr(Node):
    items: list


@dataclass
class Index(Node):
    target: Node
    index: Node


@dataclass
class Unary(Node):
    op: str
    operand: Node


@dataclass
class Binary(Node):
    op: str
    left: Node
    right: Node


@dataclass
class Call(Node):
    callee: Node
    args: list


@dataclass
class FnExpr(Node):
    params: list[str]
    body: list


@dataclass
class Let(Node):
    name: str
    value: Node


@dataclass
class Assign(Node):
    target: Node  # Name or Index
    value: Node


@dataclass
class If(Node):
    cond: Node
    then: list
    otherwise: list = field(default_factory=list)


@dataclass
class While(Node):
    cond: Node
    body: list


@dataclass
class Return(Node):
    value: Node | None


@dataclass
class ExprStmt(Node):
    expr: Node
