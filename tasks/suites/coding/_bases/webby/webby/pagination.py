"""Paging through lists: `?page=2&per_page=20` in, a page of items and a Link header out.

    page = Page.from_request(request)
    items, total = repo.list(offset=page.offset, limit=page.per_page), repo.count()
    return page.response([i.to_json() for i in items], total, request)

Out-of-range values are clamped rather than refused: a client that asks for page 0 or 10,000
items gets page 1 or the maximum, which is what people clicking links expect.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from urllib.parse import urlencode

from .response import json_response


@dataclass(frozen=True)
class Page:
    number: int = 1
    per_page: int = 20

    DEFAULT_PER_PAGE = 20
    MAX_PER_PAGE = 100

    @classmethod
    def from_request(cls, request, default: int | None = None, maximum: int | None = None) -> Page:
        default = default or cls.DEFAULT_PER_PAGE
        maximum = maximum or cls.MAX_PER_PAGE
        number = request.args.get("page", 1, type=int)
        per_page = request.args.get("per_page", default, type=int)
        return cls(max(1, number), min(max(1, per_page), maximum))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    def pages(self, total: int) -> int:
        return max(1, ceil(total / self.per_page))

    def slice(self, items: list) -> list:
        return items[self.offset:self.offset + self.per_page]

    def links(self, total: int, path: str, query: dict | None = None) -> dict[str, str]:
        """first/prev/next/last URLs; prev and next only where such a page exists."""
        query = {k: v for k, v in (query or {}).items() if k not in ("page", "per_page")}

        def url(n: int) -> str:
            return f"{path}?{urlencode({**query, 'page': n, 'per_page': self.per_page})}"

        last = self.pages(total)
        out = {"first": url(1)}
        if self.number > 1:
            out["prev"] = url(min(self.number - 1, last))
        if self.number < last:
            out["next"] = url(self.number + 1)
        out["last"] = url(last)
        return out

    def response(self, items: list, total: int, request):
        links = self.links(total, request.path, request.args.to_dict())
        body = {"items": items, "page": self.number, "per_page": self.per_page, "total": total,
                "pages": self.pages(total)}
        resp = json_response(body)
        resp.headers["Link"] = ", ".join(f'<{u}>; rel="{rel}"' for rel, u in links.items())
        resp.headers["X-Total-Count"] = str(total)
        return resp
