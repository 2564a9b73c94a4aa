"""API documentation from comments: a `#` comment block right above `let name = fn(...)` documents
that function. `python -m pebble --doc FILE.pb` is not wired in; call `document(source)`.

    # Greatest common divisor.
    # Both arguments must be positive integers.
    let gcd = fn(a, b) { ... };

becomes a Markdown section "### gcd(a, b)" with the comment as its text. Functions without a
comment are listed too, marked undocumented, so that gaps show.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import ast
from .parser import parse


@dataclass(frozen=True)
class FunctionDoc:
    name: str
    params: tuple[str, ...]
    line: int
    doc: str

    @property
    def signature(self) -> str:
        return f"{self.name}({', '.join(self.params)})"


def _comment_above(lines: list[str], line: int) -> str:
    """The contiguous `#` comment lines directly above 1-based `line`, without the markers."""
    block = []
    i = line - 2
    while i >= 0 and lines[i].lstrip().startswith("#"):
        block.append(lines[i].lstrip()[1:].strip())
        i -= 1
    return "\n".join(reversed(block)).strip()


def collect(source: str) -> list[FunctionDoc]:
    """Top-level functions only: nested ones are implementation details."""
    lines = source.splitlines()
    docs = []
    for stmt in parse(source):
        if isinstance(stmt, ast.Let) and isinstance(stmt.value, ast.FnExpr):
            docs.append(FunctionDoc(stmt.name, tuple(stmt.value.params), stmt.line, _comment_above(lines, stmt.line)))
    return docs


def document(source: str, title: str = "Functions") -> str:
    docs = collect(source)
    out = [f"# {title}", ""]
    if not docs:
        return "\n".join(out + ["No functions.", ""])
    missing = [d.name for d in docs if not d.doc]
    out.append(f"{len(docs)} functions" + (f", {len(missing)} undocumented: {', '.join(missing)}." if missing else "."))
    for d in sorted(docs, key=lambda d: d.name):
        out += ["", f"### {d.signature}", "", d.doc or "_Undocumented._", "", f"Defined on line {d.line}."]
    return "\n".join(out) + "\n"
