"""A real HTTP server on loopback that replays a script, in the dialect each request comes in.

It is the test double for every provider test and the `scripted:FILE` model: Chat Completions,
Responses and Anthropic Messages, each with its provider's rules when the script says which to
emulate (providers/fakes/).
Each response goes out in one write with TCP_NODELAY: a stub that writes
headers and body separately adds ~44 ms of delayed-ACK per request and would
measure itself instead of the harness.

Run standalone: python -m providers.scripted SCRIPT.json [--port N] [--log FILE]  (prints its base URL)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from .fakes import Refusal, count_images
from .fakes import anthropic as anthropic_fake
from .fakes import chat as chat_fake
from .fakes import responses as responses_fake
from .script_file import Script, Turn, estimate_tokens
from .wire.base import route_of, server_half

CONVERSATION = ("messages", "input", "tools", "system", "instructions")
FAKES: dict[str, Any] = {"chat": chat_fake, "responses": responses_fake, "anthropic": anthropic_fake}

REASONS = {200: "OK", 401: "Unauthorized", 404: "Not Found", 400: "Bad Request", 429: "Too Many Requests",
           500: "Internal Server Error"}


def _http(status: int, body: bytes, ctype: str = "application/json", extra: str = "") -> bytes:
    head = (f"HTTP/1.1 {status} {REASONS.get(status, 'X')}\r\nContent-Type: {ctype}\r\n"
            f"Content-Length: {len(body)}\r\n{extra}Connection: keep-alive\r\n\r\n")
    return head.encode() + body


class ScriptedServer:
    def __init__(self, script: Script, host: str = "127.0.0.1", port: int = 0, log: Path | None = None):
        self.script, self.host, self.port = script, host, port
        self.log_path = log
        self.requests: list[dict[str, Any]] = []  # what was asked and what usage was sent, in order
        self._faults_fired: Counter[tuple[int, int]] = Counter()
        self._cache = anthropic_fake.PromptCache()  # what this server's earlier Messages requests wrote
        self.in_flight = self.max_in_flight = 0  # concurrent chat requests: what a client's limiter allows
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    # -- lifecycle: own thread and loop, so it never competes with the harness's loop ---------
    def start(self) -> str:
        self._thread = threading.Thread(target=self._run, name="scripted-server", daemon=True)
        self._thread.start()
        self._ready.wait(10)
        return self.url

    def stop(self) -> None:
        if self._loop and self._thread and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)

    def _run(self) -> None:
        loop = self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        server = loop.run_until_complete(asyncio.start_server(self._conn, self.host, self.port))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        loop.run_forever()
        # Stopped: close the listener and end open keep-alive connections before the loop goes.
        server.close()
        pending = asyncio.all_tasks(loop)
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.close()

    # -- HTTP ------------------------------------------------------------------------------------
    async def _conn(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                headers = {k.strip().lower(): v.strip() for k, v in (ln.split(":", 1) for ln in lines[1:] if ":" in ln)}
                body = await reader.readexactly(int(headers.get("content-length", 0)))
                reply = await self._route(method, path, body, headers)
                if reply is None:  # the "drop" fault: close without answering
                    break
                if isinstance(reply, tuple):  # a stream sent in two parts, the second after a wait (late usage)
                    first, wait, rest = reply
                    writer.write(first)
                    await writer.drain()
                    await asyncio.sleep(wait)
                    reply = rest
                writer.write(reply)
                await writer.drain()
                if b"Connection: close" in reply[:300]:  # a truncated stream: the peer hangs up mid-body
                    break
        except (asyncio.IncompleteReadError, ConnectionError, ValueError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def _route(self, method: str, path: str, body: bytes, headers: dict[str, str]) -> bytes | tuple[bytes, float, bytes] | None:
        path = path.split("?")[0].rstrip("/")
        if method == "GET" and path in ("/v1/models", "/models"):
            names = self.script.models or [self.script.model]
            data = {"object": "list", "data": [{"id": n, "object": "model", "owned_by": "pertask"} for n in names]}
            return _http(200, json.dumps(data).encode())
        if method == "GET" and path == "/health":
            return _http(200, b"{}")
        if method == "GET" and path == "/metrics":
            return _http(200, self._metrics().encode(), "text/plain; version=0.0.4")
        dialect = route_of(path)
        if method == "POST" and dialect:
            limit = self.script.rate_limit_in_flight
            if limit is not None and self.in_flight >= limit:
                return self._refuse(dialect, 429, "too many requests in flight", "rate_limit_error", "Retry-After: 0.2\r\n")
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            try:
                return await self._answer(dialect, json.loads(body), headers)
            finally:
                self.in_flight -= 1
        return _http(404, b'{"error": {"message": "not found"}}')

    def _refuse(self, dialect: str, status: int, message: str, kind: str = "invalid_request_error",
                extra: str = "") -> bytes:
        return _http(status, json.dumps(server_half(dialect).error(message, kind)).encode(), extra=extra)

    def _gate(self, dialect: str, req: dict[str, Any], headers: dict[str, str]) -> None:
        """What any provider checks before it reads the conversation: the key, the model, tool support."""
        s = self.script
        if s.api_key is not None:
            if server_half(dialect).key(headers) != s.api_key:
                raise Refusal(401, "invalid x-api-key" if dialect == "anthropic" else "Incorrect API key provided",
                              "authentication_error")
        if dialect == "anthropic" and not headers.get("anthropic-version"):
            raise Refusal(400, "anthropic-version: header is required")
        if s.models and req.get("model") not in s.models:
            raise Refusal(404, f"The model `{req.get('model')}` does not exist or you do not have access to it.",
                          "not_found_error")
        if req.get("tools") and not s.tools_supported:
            raise Refusal(400, '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set')

    async def _answer(self, dialect: str, req: dict[str, Any], headers: dict[str, str]) -> bytes | tuple[bytes, float, bytes] | None:
        fake = FAKES[dialect]
        first_user, turn_no = fake.view(req)
        conv, idx, turn = self.script.pick_at(first_user, turn_no)
        turn = turn or Turn(content="[scripted: script exhausted]")
        entry: dict[str, Any] = {"dialect": dialect, "conversation": conv, "turn": idx, "fault": None, "usage": None,
                                 "reasoning_back": fake.reasoning_back(req), "t": time.time(),
                                 "images": count_images(req),
                                 # the request's settings as sent (what is not the conversation itself)
                                 "request": {k: v for k, v in req.items() if k not in CONVERSATION}}
        try:
            self._gate(dialect, req, headers)
            fake.check(req, self.script)
            if self.script.context and (n := estimate_tokens(req)) > self.script.context:
                raise Refusal(400, f"This model's maximum context length is {self.script.context} tokens. However, "
                                   f"your messages resulted in {n} tokens. Please reduce the length of the messages.",
                              "context_length_exceeded")
        except Refusal as r:
            entry["refused"] = r.message
            self._record(entry)
            return self._refuse(dialect, r.status, r.message, r.kind)
        fault = None
        if turn.fault and self._faults_fired[(conv, idx)] < turn.fault_times:
            self._faults_fired[(conv, idx)] += 1
            fault = entry["fault"] = turn.fault
        if dialect == "chat":
            message = fake.message(turn, conv, idx, req, self.script)
            usage = fake.usage(req, message, turn, self.script)
        elif dialect == "anthropic":
            message = fake.reply(turn, conv, idx, req, self.script, self._cache)
            usage = message["usage"]
        else:
            message = fake.reply(turn, conv, idx, req, self.script)
            usage = message["usage"]
        if fault == "no_usage":
            usage = None
            message.pop("usage", None) if dialect != "chat" else None
        entry["usage"] = usage
        self._record(entry)
        if turn.delay_s:  # logged on arrival: a client that gives up while waiting still asked
            await asyncio.sleep(turn.delay_s)
        if fault == "drop":
            return None
        if fault == "hang":  # longer than any client waits: the client's timeout must fire
            await asyncio.sleep(3600)
        if fault in ("http_400", "http_401", "http_404"):  # by default, a conversation past the model's context
            return self._refuse(dialect, int(fault[5:]), turn.error_message or "maximum context length exceeded")
        if fault in ("http_500", "http_502", "http_503"):
            return self._refuse(dialect, int(fault[5:]), "scripted fault", "server_error")
        if fault == "http_429":
            return self._refuse(dialect, 429, "slow down", "rate_limit_error", f"Retry-After: {turn.retry_after_s:g}\r\n")
        if fault == "malformed_json":
            return _http(200, b'{"id": "x", "choices": [')
        if dialect != "chat":
            events = fake.sse(message) if req.get("stream") else None
            if events is None:
                return _http(200, json.dumps(message).encode())
            return _sse_events(dialect, events, cut=fault == "truncated_stream")
        finish = turn.finish_reason or ("tool_calls" if turn.tool_calls else "stop")
        rid, created = f"chatcmpl-{conv}-{idx}", int(time.time())
        base = {"id": rid, "object": "chat.completion.chunk", "created": created, "model": self.script.model}
        if req.get("stream"):
            chunks = fake.sse(base, message, finish, usage, req)
            if turn.usage_delay_s and chunks[-1].get("usage"):
                half = server_half(dialect)
                late = half.sse(chunks[-1]) + half.done  # the usage chunk and the end, sent after a pause
                whole = _sse_events(dialect, [("", c) for c in chunks])
                return whole[:-len(late)], turn.usage_delay_s, late
            return _sse_events(dialect, [("", c) for c in chunks], cut=fault == "truncated_stream")
        data = {"id": rid, "object": "chat.completion", "created": created, "model": self.script.model,
                "choices": [{"index": 0, "message": message, "finish_reason": finish}]}
        if usage:
            data["usage"] = usage
        return _http(200, json.dumps(data).encode())

    def _metrics(self) -> str:
        """The few series of vLLM's /metrics a harness reads, under vLLM's names, from what this server answered:
        the token counters and the requests running now."""
        used = [r["usage"] for r in self.requests if r.get("usage")]
        prompt = sum(u.get("prompt_tokens", u.get("input_tokens", 0)) for u in used)
        gen = sum(u.get("completion_tokens", u.get("output_tokens", 0)) for u in used)
        label = f'{{model_name="{self.script.model}"}}'
        return "".join(f"# TYPE {n} {kind}\n{n}{label} {v}\n" for n, kind, v in (
            ("vllm:num_requests_running", "gauge", float(self.in_flight)), ("vllm:num_requests_waiting", "gauge", 0.0),
            ("vllm:prompt_tokens_total", "counter", float(prompt)),
            ("vllm:generation_tokens_total", "counter", float(gen))))

    def _record(self, entry: dict[str, Any]) -> None:
        self.requests.append(entry)
        if self.log_path:
            with open(self.log_path, "a") as fh:
                fh.write(json.dumps(entry) + "\n")


def _sse_events(dialect: str, events: list[tuple[str, dict[str, Any]]], cut: bool = False) -> bytes:
    half = server_half(dialect)
    body = b"".join(half.sse(data, name or None) for name, data in events) + half.done
    if cut:  # the connection ends mid-event: no finish, no usage, no [DONE]
        body = f"data: {json.dumps(events[0][1])}\n\ndata: {{\"id\": "
        head = (f"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: {len(body) + 100}\r\n"
                "Connection: close\r\n\r\n")
        return head.encode() + body.encode()
    return _http(200, body, ctype="text/event-stream")


def main() -> None:
    ap = argparse.ArgumentParser(description="Serve a pertask script as an OpenAI-compatible endpoint.")
    ap.add_argument("script", type=Path)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--log", type=Path, help="append one JSON line per request")
    args = ap.parse_args()
    server = ScriptedServer(Script.load(args.script), args.host, args.port, args.log)
    print(server.start(), flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
