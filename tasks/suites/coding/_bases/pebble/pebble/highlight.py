"""Syntax highlighting for terminals (ANSI) and web pages (HTML), from the lexer's own tokens, so
it always agrees with what the interpreter reads. Comments and spacing are kept as written."""

from __future__ import annotations

import html
import re

from .lexer import KEYWORDS

ANSI = {"kw": "\x1b[1;34m", "str": "\x1b[32m", "num": "\x1b[33m", "comment": "\x1b[2m", "name": "", "op": ""}
RESET = "\x1b[0m"
# Same classes as the lexer: strings (with escapes), comments, numbers, words, two- then one-char operators.
_TOKEN = re.compile(r'(?P<str>"(?:[^"\\]|\\.)*"?)|(?P<comment>#[^\n]*)|(?P<num>\d+(?:\.\d+)*)'
                    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>==|!=|<=|>=|\*\*|//|[-+*/%<>=(){}\[\],;])"
                    r"|(?P<other>\s+|.)", re.S)


def tokens(source: str):
    """(kind, text) pairs covering the source exactly; kinds: kw, name, str, num, comment, op, other."""
    for m in _TOKEN.finditer(source):
        kind = m.lastgroup
        text = m.group()
        if kind == "word":
            kind = "kw" if text in KEYWORDS else "name"
        yield kind, text


def to_ansi(source: str) -> str:
    return "".join(f"{ANSI[k]}{t}{RESET}" if ANSI.get(k) else t for k, t in tokens(source))


def to_html(source: str) -> str:
    parts = []
    for kind, text in tokens(source):
        escaped = html.escape(text)
        parts.append(f'<span class="pb-{kind}">{escaped}</span>' if kind not in ("other", "name", "op") else escaped)
    return '<pre class="pebble">' + "".join(parts) + "</pre>"
