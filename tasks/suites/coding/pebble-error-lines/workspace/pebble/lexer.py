"""Source text -> tokens, each with the line it starts on."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import PebbleError

KEYWORDS = {"let", "fn", "return", "if", "else", "while", "true", "false", "nil", "and", "or", "not"}
TWO_CHAR = {"==", "!=", "<=", ">=", "**", "//"}
ONE_CHAR = set("+-*/%<>=(){}[],;")
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


@dataclass(frozen=True)
class Token:
    kind: str  # num, str, name, kw, op, eof
    value: object
    line: int


def tokenize(src: str) -> list[Token]:
    tokens, i, line = [], 0, 1
    while i < len(src):
        c = src[i]
        if c == "\n":
            line += 1
            i += 1
        elif c.isspace():
            i += 1
        elif c == "#":
            while i < len(src) and src[i] != "\n":
                i += 1
            i += 1
        elif c.isdigit():
            start = i
            while i < len(src) and (src[i].isdigit() or src[i] == "."):
                i += 1
            text = src[start:i]
            if text.count(".") > 1:
                raise PebbleError(f"bad number {text!r}", line)
            tokens.append(Token("num", float(text) if "." in text else int(text), line))
        elif c == '"':
            start_line, i, chars = line, i + 1, []
            while i < len(src) and src[i] != '"':
                if src[i] == "\\" and i + 1 < len(src):
                    chars.append(ESCAPES.get(src[i + 1], src[i + 1]))
                    i += 2
                    continue
                chars.append(src[i])
                i += 1
            if i >= len(src):
                raise PebbleError("unterminated string", start_line)
            tokens.append(Token("str", "".join(chars), start_line))
            i += 1
        elif c.isalpha() or c == "_":
            start = i
            while i < len(src) and (src[i].isalnum() or src[i] == "_"):
                i += 1
            word = src[start:i]
            tokens.append(Token("kw" if word in KEYWORDS else "name", word, line))
        elif src[i:i + 2] in TWO_CHAR:
            tokens.append(Token("op", src[i:i + 2], line))
            i += 2
        elif c in ONE_CHAR:
            tokens.append(Token("op", c, line))
            i += 1
        else:
            raise PebbleError(f"unexpected character {c!r}", line)
    tokens.append(Token("eof", None, line))
    return tokens
