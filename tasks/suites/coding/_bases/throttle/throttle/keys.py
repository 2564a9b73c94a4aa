"""Who is the client? Key functions for the WSGI and ASGI middleware.

Behind a load balancer every request comes from the balancer's address, so limiting by
REMOTE_ADDR would put all clients in one bucket. `client_ip(trusted_proxies=1)` takes the address
the last trusted proxy saw instead; never trust more proxies than you run, or a client can choose
its own key by sending a forged X-Forwarded-For.
"""

from __future__ import annotations

import hashlib
import ipaddress
from typing import Callable

KeyFunc = Callable[[dict], str]


def _forwarded_chain(environ: dict) -> list[str]:
    header = environ.get("HTTP_X_FORWARDED_FOR", "")
    return [part.strip() for part in header.split(",") if part.strip()]


def client_ip(trusted_proxies: int = 0, ipv6_prefix: int = 64) -> KeyFunc:
    """The client's address; IPv6 clients are grouped by prefix (a /64 is one customer's network,
    and one host can pick any address in it)."""
    def key(environ: dict) -> str:
        addr = environ.get("REMOTE_ADDR", "")
        chain = _forwarded_chain(environ)
        if trusted_proxies and chain:
            # The right-most entries were added by our own proxies; the one before them is the client.
            addr = chain[-trusted_proxies] if len(chain) >= trusted_proxies else chain[0]
        try:
            ip = ipaddress.ip_address(addr)
        except ValueError:
            return "ip:unknown"
        if ip.version == 6:
            if ip.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is an IPv4 client seen through an IPv6 socket
                return f"ip:{ip.ipv4_mapped}"
            return f"ip:{ipaddress.ip_network(f'{ip}/{ipv6_prefix}', strict=False)}"
        return f"ip:{ip}"
    return key


def api_key(header: str = "X-Api-Key", fallback: KeyFunc | None = None) -> KeyFunc:
    """Limit per API key (hashed: keys must not end up in logs or storage), else per fallback."""
    name = "HTTP_" + header.upper().replace("-", "_")

    def key(environ: dict) -> str:
        value = environ.get(name, "").strip()
        if value.lower().startswith("bearer "):
            value = value[7:].strip()
        if value:
            return "key:" + hashlib.sha256(value.encode()).hexdigest()[:16]
        return fallback(environ) if fallback else "key:anonymous"
    return key


def by_path(prefixes: dict[str, str], base: KeyFunc) -> KeyFunc:
    """Separate buckets per API area: {"/search": "search", "/": "default"}, longest prefix first."""
    ordered = sorted(prefixes.items(), key=lambda kv: -len(kv[0]))

    def key(environ: dict) -> str:
        path = environ.get("PATH_INFO", "/")
        area = next((name for prefix, name in ordered if path.startswith(prefix)), "other")
        return f"{area}:{base(environ)}"
    return key
