"""A small template language:

    {{ user.name }}             a value, HTML-escaped
    {{ title | upper }}         filters: upper, lower, title, length, default("x"), safe
    {% if items %}...{% else %}...{% endif %}
    {% for item in items %}...{% endfor %}

Lookups try a key, then an attribute; a missing name renders as an empty string.
"""

from __future__ import annotations

import re
from pathlib import Path

from .html import Markup, escape

TOKEN = re.compile(r"({{.*?}}|{%.*?%})", re.S)
FILTER = re.compile(r"(\w+)(?:\((.*)\))?$")


class TemplateError(Exception):
    pass


def _lookup(context, dotted: str):
    dotted = dotted.strip()
    if dotted.startswith(("'", '"')) and dotted.endswith(dotted[0]):
        return dotted[1:-1]
    if re.fullmatch(r"-?\d+", dotted):
        return int(dotted)
    value = context
    for part in dotted.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif hasattr(value, part):
            value = getattr(value, part)
        else:
            return None
    return value


def _apply_filter(value, spec: str, context):
    m = FILTER.match(spec.strip())
    if not m:
        raise TemplateError(f"bad filter {spec!r}")
    name, arg = m.group(1), m.group(2)
    if name == "upper":
        return str(value).upper()
    if name == "lower":
        return str(value).lower()
    if name == "title":
        return str(value).title()
    if name == "length":
        return len(value) if value is not None else 0
    if name == "default":
        return value if value not in (None, "") else _lookup(context, arg or "''")
    if name == "safe":
        return Markup("" if value is None else str(value))
    raise TemplateError(f"unknown filter '{name}'")


def _expr(context, text: str):
    head, *filters = text.split("|")
    value = _lookup(context, head)
    for f in filters:
        value = _apply_filter(value, f, context)
    return value


class Template:
    def __init__(self, source: str, name: str = "<string>"):
        self.name = name
        self.nodes = self._parse(TOKEN.split(source))

    def _parse(self, parts):
        root: list = []
        stack = [("root", root, None)]
        for part in parts:
            if part.startswith("{{"):
                stack[-1][1].append(("var", part[2:-2]))
            elif part.startswith("{%"):
                words = part[2:-2].split()
                if not words:
                    raise TemplateError(f"{self.name}: empty tag")
                tag = words[0]
                if tag == "if":
                    node = ("if", " ".join(words[1:]), [], [])
                    stack[-1][1].append(node)
                    stack.append(("if", node[2], node))
                elif tag == "else":
                    if stack[-1][0] != "if":
                        raise TemplateError(f"{self.name}: else outside if")
                    kind, _, node = stack.pop()
                    stack.append(("else", node[3], node))
                elif tag == "for":
                    if len(words) != 4 or words[2] != "in":
                        raise TemplateError(f"{self.name}: for needs 'for NAME in EXPR'")
                    node = ("for", words[1], words[3], [])
                    stack[-1][1].append(node)
                    stack.append(("for", node[3], node))
                elif tag in ("endif", "endfor"):
                    want = ("if", "else") if tag == "endif" else ("for",)
                    if stack[-1][0] not in want:
                        raise TemplateError(f"{self.name}: unexpected {tag}")
                    stack.pop()
                else:
                    raise TemplateError(f"{self.name}: unknown tag '{tag}'")
            elif part:
                stack[-1][1].append(("text", part))
        if len(stack) != 1:
            raise TemplateError(f"{self.name}: unclosed {stack[-1][0]}")
        return root

    def render(self, context: dict | None = None, **kw) -> str:
        ctx = {**(context or {}), **kw}
        out: list[str] = []
        self._render(self.nodes, ctx, out)
        return "".join(out)

    def _render(self, nodes, ctx, out):
        for node in nodes:
            kind = node[0]
            if kind == "text":
                out.append(node[1])
            elif kind == "var":
                out.append(escape(_expr(ctx, node[1])))
            elif kind == "if":
                self._render(node[2] if _expr(ctx, node[1]) else node[3], ctx, out)
            elif kind == "for":
                for item in _expr(ctx, node[2]) or []:
                    self._render(node[3], {**ctx, node[1]: item}, out)


class Loader:
    """Loads templates from a folder, parsed once and cached."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.cache: dict[str, Template] = {}

    def get(self, name: str) -> Template:
        if name not in self.cache:
            path = (self.folder / name).resolve()
            if not path.is_relative_to(self.folder.resolve()) or not path.is_file():
                raise TemplateError(f"template not found: {name}")
            self.cache[name] = Template(path.read_text(), name)
        return self.cache[name]

    def render(self, name: str, **context) -> str:
        return self.get(name).render(context)
