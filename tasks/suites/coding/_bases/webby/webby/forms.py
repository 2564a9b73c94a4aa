"""Declarative forms: validate posted data and render fields with their errors."""

from __future__ import annotations

import re

from .html import Markup, escape


class Field:
    def __init__(self, label: str, required: bool = True, max_length: int | None = None,
                 pattern: str | None = None, kind: str = "text"):
        self.label, self.required, self.max_length, self.kind = label, required, max_length, kind
        self.pattern = re.compile(pattern) if pattern else None
        self.name = ""

    def clean(self, raw: str | None):
        value = (raw or "").strip()
        if not value:
            if self.required:
                raise ValueError(f"{self.label} is required")
            return None
        if self.max_length and len(value) > self.max_length:
            raise ValueError(f"{self.label} must be at most {self.max_length} characters")
        if self.pattern and not self.pattern.fullmatch(value):
            raise ValueError(f"{self.label} is not valid")
        return value


class IntegerField(Field):
    def __init__(self, label: str, min_value: int | None = None, max_value: int | None = None, **kw):
        super().__init__(label, kind="number", **kw)
        self.min_value, self.max_value = min_value, max_value

    def clean(self, raw):
        value = super().clean(raw)
        if value is None:
            return None
        try:
            n = int(value)
        except ValueError:
            raise ValueError(f"{self.label} must be a whole number") from None
        if self.min_value is not None and n < self.min_value:
            raise ValueError(f"{self.label} must be at least {self.min_value}")
        if self.max_value is not None and n > self.max_value:
            raise ValueError(f"{self.label} must be at most {self.max_value}")
        return n


class EmailField(Field):
    def __init__(self, label: str, **kw):
        super().__init__(label, pattern=r"[^@\s]+@[^@\s]+\.[^@\s]+", kind="email", **kw)


class Form:
    def __init__(self, data=None):
        self.fields = {name: f for name, f in type(self).__dict__.items() if isinstance(f, Field)}
        for name, f in self.fields.items():
            f.name = name
        self.data = data
        self.cleaned: dict[str, object] = {}
        self.errors: dict[str, str] = {}

    def validate(self) -> bool:
        self.cleaned, self.errors = {}, {}
        for name, f in self.fields.items():
            try:
                self.cleaned[name] = f.clean(self.data.get(name) if self.data is not None else None)
            except ValueError as exc:
                self.errors[name] = str(exc)
        return not self.errors

    def render_field(self, name: str) -> Markup:
        f = self.fields[name]
        value = self.data.get(name, "") if self.data is not None else ""
        html = (f'<label for="{escape(name)}">{escape(f.label)}</label>'
                f'<input type="{f.kind}" id="{escape(name)}" name="{escape(name)}" value="{escape(value)}">')
        if name in self.errors:
            html += f'<span class="error">{escape(self.errors[name])}</span>'
        return Markup(html)
