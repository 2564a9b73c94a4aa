from __future__ import annotations

from .html import escape


class HTTPError(Exception):
    def __init__(self, status: int, message: str = "", headers: dict[str, str] | None = None):
        super().__init__(message or str(status))
        self.status, self.message, self.headers = status, message, headers or {}


def abort(status: int, message: str = "") -> None:
    raise HTTPError(status, message)


def error_page(status: int, phrase: str, message: str) -> str:
    return (f"<!doctype html><title>{status} {escape(phrase)}</title>"
            f"<h1>{status} {escape(phrase)}</h1><p>{escape(message)}</p>")
