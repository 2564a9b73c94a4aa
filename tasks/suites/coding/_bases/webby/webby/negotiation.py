"""Content negotiation: which of the representations we offer does the client prefer?

    best_match(request.headers.get("Accept", "*/*"), ["application/json", "text/html"])

Follows RFC 9110 section 12.5.1: each media range has a quality (q, 0 to 1, default 1); a more
specific range overrides a less specific one for the types it covers (`text/html;q=0.1` beats
`text/*` for text/html); q=0 means "not acceptable". Ties go to the server's order of preference.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float = 1.0
    params: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def specificity(self) -> int:
        if self.type == "*":
            return 0
        if self.subtype == "*":
            return 1
        return 2 + len(self.params)

    def matches(self, media_type: str) -> bool:
        kind, _, sub = media_type.partition(";")[0].strip().lower().partition("/")
        if self.type not in ("*", kind):
            return False
        if self.subtype not in ("*", sub):
            return False
        offered = _params(media_type.partition(";")[2])
        return all(offered.get(k) == v for k, v in self.params.items())


def _params(text: str) -> dict[str, str]:
    out = {}
    for item in text.split(";"):
        key, sep, value = item.strip().partition("=")
        if sep:
            out[key.strip().lower()] = value.strip().strip('"')
    return out


def parse_accept(header: str) -> list[MediaRange]:
    """Parse an Accept header; malformed ranges are skipped. Sorted best first."""
    ranges = []
    for part in header.split(","):
        media, _, rest = part.strip().partition(";")
        kind, sep, sub = media.strip().lower().partition("/")
        if not sep or not kind or not sub or (kind == "*" and sub != "*"):
            continue
        params = _params(rest)
        try:
            q = float(params.pop("q", "1"))
        except ValueError:
            continue
        if not 0 <= q <= 1:
            continue
        ranges.append(MediaRange(kind, sub, q, params))
    return sorted(ranges, key=lambda r: (-r.q, -r.specificity))


def quality(media_type: str, ranges: list[MediaRange]) -> float:
    """The q the client gives `media_type`: that of the most specific range matching it."""
    matching = [r for r in ranges if r.matches(media_type)]
    if not matching:
        return 0.0
    return max(matching, key=lambda r: r.specificity).q


def best_match(header: str | None, offered: list[str]) -> str | None:
    """The offered type the client likes best, or None if it accepts none of them. A missing
    header accepts anything: the first offered type is chosen."""
    if not offered:
        return None
    if not header or not header.strip():
        return offered[0]
    ranges = parse_accept(header)
    best, best_q = None, 0.0
    for media_type in offered:  # in the server's order, so a tie keeps the server's preference
        q = quality(media_type, ranges)
        if q > best_q:
            best, best_q = media_type, q
    return best


def negotiate(request, offered: list[str]) -> str:
    """best_match for a request, raising 406 Not Acceptable when nothing fits."""
    from .errors import HTTPError
    choice = best_match(request.headers.get("Accept"), offered)
    if choice is None:
        raise HTTPError(406, f"available: {', '.join(offered)}")
    return choice
