"""A verifier's way to the package indexes, as Harbor gives it the network: an HTTP proxy of pertask's on the host,
listening on a Unix socket that a relay in the verifier's network namespace reaches from a loopback port
(harness/sandboxes/relay.py, as the agent reaches the metering proxy). The agent's phase never has it.

It forwards HTTPS (CONNECT) and plain HTTP (apt) only to the hosts allowed — the package indexes, and the hosts the
verifier's script itself names — and answers anything else with a 403 that names the host, so what the code under
test fetches while it is verified stays within what the benchmark's authors fetch. `reachable` says, from the
host, whether a host answers at all: where it does not, the verifier is rewritten to run offline instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path
from urllib.parse import urlsplit

from .relay import pipe

# The package indexes: PyPI, Debian's and Ubuntu's archives, npm; and where uv's installer takes uv from.
INDEX_HOSTS = ("pypi.org", "files.pythonhosted.org", "deb.debian.org", "security.debian.org", "archive.ubuntu.com",
               "security.ubuntu.com", "ports.ubuntu.com", "registry.npmjs.org")
RELEASE_HOSTS = ("github.com", "objects.githubusercontent.com", "release-assets.githubusercontent.com")
EXTRA_ENV = "PERTASK_VERIFIER_HOSTS"  # more hosts, comma-separated (a mirror of the user's)


def allowed_hosts(named: set[str]) -> set[str]:
    """The indexes, the hosts a script names, and (for uv's installer at astral.sh) GitHub's release downloads."""
    extra = {h.strip() for h in os.environ.get(EXTRA_ENV, "").split(",") if h.strip()}
    return {*INDEX_HOSTS, *named, *extra, *(RELEASE_HOSTS if "astral.sh" in named else ())}


def allows(allowed: set[str], host: str) -> bool:
    host = host.lower().rstrip(".")
    return any(host == a or host.endswith("." + a) for a in allowed)


class IndexProxy:
    """One verifier's proxy, for as long as its script runs; `denied` keeps the hosts it refused."""

    def __init__(self, sock: Path, allowed: set[str]):
        self.sock, self.allowed, self.denied = sock, allowed, set()
        self.server: asyncio.AbstractServer | None = None

    async def __aenter__(self) -> IndexProxy:
        self.server = await asyncio.start_unix_server(self._handle, path=str(self.sock))
        return self

    async def __aexit__(self, *exc) -> None:
        self.server.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.server.wait_closed(), 5)
        self.sock.unlink(missing_ok=True)

    async def _handle(self, r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(r.readuntil(b"\r\n\r\n"), 60)
            method, target, _ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ValueError, ConnectionError):
            w.close()
            return
        if method == "CONNECT":
            host, _, port_s = target.rpartition(":")
            host = host.strip("[]")
        else:
            url = urlsplit(target)
            host, port_s = url.hostname or "", str(url.port or 80) if url.scheme == "http" else ""
        if not port_s.isdigit() or int(port_s) not in (80, 443) or not allows(self.allowed, host):
            self.denied.add(host or target[:100])
            return await _answer(w, 403, f"pertask's verifier proxy does not reach {host or target[:100]}")
        try:
            up_r, up_w = await asyncio.wait_for(asyncio.open_connection(host, int(port_s)), 20)
        except (OSError, TimeoutError) as exc:
            return await _answer(w, 502, f"{host}: {exc}")
        if method == "CONNECT":
            w.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        else:  # origin-form, one request per connection: a next request on it could be for another host
            up_w.write(_origin_form(head, target))
        await asyncio.gather(pipe(r, up_w), pipe(up_r, w))


def _origin_form(head: bytes, target: str) -> bytes:
    url = urlsplit(target)
    first, *lines = head.decode("latin-1").split("\r\n")
    method, _, version = first.split(" ", 2)
    keep = [ln for ln in lines if ln and ln.split(":", 1)[0].strip().lower() not in
            ("connection", "proxy-connection", "keep-alive", "proxy-authorization")]
    path = (url.path or "/") + (f"?{url.query}" if url.query else "")
    return "\r\n".join([f"{method} {path} {version}", *keep, "Connection: close", "", ""]).encode("latin-1")


async def _answer(w: asyncio.StreamWriter, code: int, why: str) -> None:
    body = why.encode() + b"\n"
    reason = {403: "Forbidden", 502: "Bad Gateway"}[code]
    w.write(f"HTTP/1.1 {code} {reason}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
    with contextlib.suppress(ConnectionError):
        await w.drain()
    w.close()


def verifier_env(port: int, ca: str | None) -> dict[str, str]:
    """What the verifier's processes read to use the proxy (loopback excepted: the services the agent left running
    are reached directly), and the host's CA bundle where the host's own TLS needs it (copied in at `ca`)."""
    url = f"http://127.0.0.1:{port}"
    env = {k: url for k in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY")}
    env |= {k: "localhost,127.0.0.1,::1" for k in ("no_proxy", "NO_PROXY")}
    if ca:
        env |= {k: ca for k in ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "PIP_CERT",
                                "NODE_EXTRA_CA_CERTS")}
    return env
