"""Cookies: Set-Cookie headers with every attribute, and values signed so a client cannot forge them.

A signed value is `payload.timestamp.signature`, where the signature is an HMAC-SHA256 over the
payload and timestamp with the application's secret. Changing the secret invalidates every signed
cookie, which is how a leaked secret is rotated.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime

SAME_SITE = ("Strict", "Lax", "None")


class BadSignature(ValueError):
    """The value was not signed with this secret, was altered, or has expired."""


@dataclass
class Cookie:
    name: str
    value: str
    max_age: int | None = None
    expires: datetime | None = None
    path: str = "/"
    domain: str | None = None
    secure: bool = False
    http_only: bool = True
    same_site: str | None = "Lax"

    def header_value(self) -> str:
        if not self.name or any(c in self.name for c in ' =;,\t\r\n"'):
            raise ValueError(f"invalid cookie name {self.name!r}")
        if any(c in self.value for c in ';,\r\n'):
            raise ValueError(f"cookie {self.name!r}: value must not contain ';', ',' or newlines")
        parts = [f"{self.name}={self.value}"]
        if self.max_age is not None:
            parts.append(f"Max-Age={int(self.max_age)}")
        if self.expires is not None:
            when = self.expires if self.expires.tzinfo else self.expires.replace(tzinfo=timezone.utc)
            parts.append(f"Expires={format_datetime(when.astimezone(timezone.utc), usegmt=True)}")
        if self.domain:
            parts.append(f"Domain={self.domain}")
        if self.path:
            parts.append(f"Path={self.path}")
        if self.secure or self.same_site == "None":  # browsers drop SameSite=None without Secure
            parts.append("Secure")
        if self.http_only:
            parts.append("HttpOnly")
        if self.same_site is not None:
            if self.same_site not in SAME_SITE:
                raise ValueError(f"same_site must be one of {', '.join(SAME_SITE)}")
            parts.append(f"SameSite={self.same_site}")
        return "; ".join(parts)


def delete_cookie(name: str, path: str = "/", domain: str | None = None) -> Cookie:
    """A cookie that tells the browser to forget `name` now."""
    return Cookie(name, "", max_age=0, expires=datetime(1970, 1, 1, tzinfo=timezone.utc), path=path,
                  domain=domain)


def parse_cookie_header(header: str) -> dict[str, str]:
    """`a=1; b="two"` -> {"a": "1", "b": "two"}. Malformed pairs are skipped, not fatal: one bad
    cookie set by another app on the same domain must not break every request."""
    out: dict[str, str] = {}
    for part in header.split(";"):
        name, sep, value = part.strip().partition("=")
        if not sep or not name:
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        out.setdefault(name.strip(), value)  # the first one wins, as browsers send the most specific first
    return out


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: str | bytes, message: str) -> str:
    key = secret.encode() if isinstance(secret, str) else secret
    return _b64(hmac.new(key, message.encode(), hashlib.sha256).digest())


def sign(value: str, secret: str | bytes, now: float | None = None) -> str:
    if not secret:
        raise ValueError("a secret is required to sign cookies")
    payload = _b64(value.encode("utf-8"))
    stamp = _b64(int(now if now is not None else time.time()).to_bytes(5, "big"))
    return f"{payload}.{stamp}.{_mac(secret, payload + '.' + stamp)}"


def unsign(signed: str, secret: str | bytes, max_age: float | None = None, now: float | None = None) -> str:
    try:
        payload, stamp, mac = signed.split(".")
    except ValueError:
        raise BadSignature("not a signed value") from None
    if not hmac.compare_digest(mac, _mac(secret, payload + "." + stamp)):
        raise BadSignature("signature does not match")
    try:
        issued = int.from_bytes(_unb64(stamp), "big")
        value = _unb64(payload).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        raise BadSignature("malformed signed value") from None
    age = (now if now is not None else time.time()) - issued
    if max_age is not None and age > max_age:
        raise BadSignature(f"signature expired {age - max_age:.0f} s ago")
    return value
