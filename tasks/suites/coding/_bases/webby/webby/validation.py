"""Declarative validation of JSON bodies and query strings.

    class NewUser(Schema):
        name = String(min_length=1, max_length=80)
        email = Email()
        age = Integer(minimum=13, required=False)
        role = Choice(["reader", "editor"], default="reader")

    @app.post("/users")
    @validated(NewUser)
    def create(request, data):
        ...

Every field is checked and every problem reported at once (a 422 whose body lists them by field),
so a client can fix a form in one round trip.
"""

from __future__ import annotations

import re
from functools import wraps

from .errors import HTTPError
from .response import json_response

MISSING = object()


class ValidationError(Exception):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class Field:
    def __init__(self, required: bool = True, default=MISSING, nullable: bool = False):
        self.required = required and default is MISSING
        self.default, self.nullable = default, nullable
        self.name = ""

    def __set_name__(self, owner, name):
        self.name = name

    def clean(self, value):
        """Return the cleaned value or raise ValueError with a message for the user."""
        return value


class String(Field):
    def __init__(self, min_length: int = 0, max_length: int | None = None, pattern: str | None = None,
                 strip: bool = True, **kw):
        super().__init__(**kw)
        self.min_length, self.max_length, self.strip = min_length, max_length, strip
        self.pattern = re.compile(pattern) if pattern else None

    def clean(self, value):
        if not isinstance(value, str):
            raise ValueError("must be a string")
        if self.strip:
            value = value.strip()
        if len(value) < self.min_length:
            raise ValueError("is required" if self.min_length == 1 else f"must be at least {self.min_length} characters")
        if self.max_length is not None and len(value) > self.max_length:
            raise ValueError(f"must be at most {self.max_length} characters")
        if self.pattern and not self.pattern.fullmatch(value):
            raise ValueError("has the wrong format")
        return value


class Email(String):
    PATTERN = r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}"

    def __init__(self, **kw):
        super().__init__(min_length=3, max_length=254, pattern=self.PATTERN, **kw)

    def clean(self, value):
        value = super().clean(value)
        local, _, domain = value.rpartition("@")
        return f"{local}@{domain.lower()}"  # domains are case-insensitive; local parts may not be


class Integer(Field):
    def __init__(self, minimum: int | None = None, maximum: int | None = None, **kw):
        super().__init__(**kw)
        self.minimum, self.maximum = minimum, maximum

    def clean(self, value):
        if isinstance(value, bool):  # bool is an int in Python, never in a form
            raise ValueError("must be a whole number")
        if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value):
            value = int(value)
        if not isinstance(value, int):
            raise ValueError("must be a whole number")
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"must be at least {self.minimum}")
        if self.maximum is not None and value > self.maximum:
            raise ValueError(f"must be at most {self.maximum}")
        return value


class Boolean(Field):
    TRUE, FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off", ""}

    def clean(self, value):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in self.TRUE | self.FALSE:
            return value.lower() in self.TRUE
        raise ValueError("must be true or false")


class Choice(Field):
    def __init__(self, choices, **kw):
        super().__init__(**kw)
        self.choices = list(choices)

    def clean(self, value):
        if value not in self.choices:
            raise ValueError(f"must be one of {', '.join(map(str, self.choices))}")
        return value


class ListOf(Field):
    def __init__(self, item: Field, min_items: int = 0, max_items: int | None = None, **kw):
        super().__init__(**kw)
        self.item, self.min_items, self.max_items = item, min_items, max_items

    def clean(self, value):
        if not isinstance(value, list):
            raise ValueError("must be a list")
        if len(value) < self.min_items:
            raise ValueError(f"needs at least {self.min_items} items")
        if self.max_items is not None and len(value) > self.max_items:
            raise ValueError(f"takes at most {self.max_items} items")
        out = []
        for i, v in enumerate(value):
            try:
                out.append(self.item.clean(v))
            except ValueError as exc:
                raise ValueError(f"item {i + 1} {exc}") from None
        return out


class Schema:
    @classmethod
    def fields(cls) -> dict[str, Field]:
        out: dict[str, Field] = {}
        for klass in reversed(cls.__mro__):  # subclasses may add to or override a parent's fields
            out.update({k: v for k, v in vars(klass).items() if isinstance(v, Field)})
        return out

    @classmethod
    def validate(cls, data, partial: bool = False) -> dict:
        """Clean `data` (a dict, or a MultiDict from a form or query string). `partial`: for PATCH,
        where missing fields are left out instead of being required."""
        if hasattr(data, "to_dict"):
            data = data.to_dict()
        if not isinstance(data, dict):
            raise ValidationError({"_": "expected an object"})
        clean, errors = {}, {}
        for name, field in cls.fields().items():
            value = data.get(name, MISSING)
            if value is MISSING:
                if field.default is not MISSING:
                    clean[name] = field.default() if callable(field.default) else field.default
                elif field.required and not partial:
                    errors[name] = "is required"
                continue
            if value is None:
                if field.nullable:
                    clean[name] = None
                else:
                    errors[name] = "must not be null"
                continue
            try:
                clean[name] = field.clean(value)
            except ValueError as exc:
                errors[name] = str(exc)
        unknown = sorted(set(data) - set(cls.fields()))
        for name in unknown:
            errors[name] = "is not a known field"
        if errors:
            raise ValidationError(errors)
        return clean


def validated(schema: type[Schema], source: str = "json"):
    """Decorate a handler to receive `data`, the cleaned body (or `args`/`form`), as a keyword."""
    def decorate(handler):
        @wraps(handler)
        def wrapper(request, **params):
            raw = {"json": lambda: request.json, "form": lambda: request.form, "args": lambda: request.args}[source]()
            if raw is None:
                raise HTTPError(415, "expected a JSON body")
            try:
                data = schema.validate(raw, partial=request.method == "PATCH")
            except ValidationError as exc:
                return json_response({"errors": exc.errors}, 422)
            return handler(request, data=data, **params)
        return wrapper
    return decorate
