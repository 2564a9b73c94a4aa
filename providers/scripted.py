"""A real OpenAI-compatible HTTP server on loopback that replays a script.

It is the test double for every provider test and the `scripted:FILE` model.
Each response goes out in one write with TCP_NODELAY: a stub that writes
headers and body separately adds ~44 ms of delayed-ACK per request and would
measure itself instead of the harness (see shared/facts/benchmarking.md).

Run standalone: python -m providers.scripted SCRIPT.json [--port N] [--log FILE]
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

from .script import Script, Turn, auto_usage, usage_body

REASONS = {200: "OK", 401: "Unauthorized", 404: "Not Found", 400: "Bad Request", 429: "Too Many Requests", 500: "Internal Server Error"}


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
                reply = await self._route(method, path, body)
                if reply is None:  # the "drop" fault: close without answering
                    break
                writer.write(reply)
                await writer.drain()
                if b"Connection: close" in reply[:300]:  # a truncated stream: the peer hangs up mid-body
                    break
        except (asyncio.IncompleteReadError, ConnectionError, ValueError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def _route(self, method: str, path: str, body: bytes) -> bytes | None:
        path = path.split("?")[0].rstrip("/")
        if method == "GET" and path in ("/v1/models", "/models"):
            data = {"object": "list", "data": [{"id": self.script.model, "object": "model", "owned_by": "pertask"}]}
            return _http(200, json.dumps(data).encode())
        if method == "GET" and path == "/health":
            return _http(200, b"{}")
        if method == "POST" and path in ("/v1/chat/completions", "/chat/completions"):
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            try:
                return await self._chat(json.loads(body))
            finally:
                self.in_flight -= 1
        return _http(404, b'{"error": {"message": "not found"}}')

    async def _chat(self, req: dict[str, Any]) -> bytes | None:
        messages = req.get("messages", [])
        conv, idx, turn = self.script.pick(messages)
        turn = turn or Turn(content="[scripted: script exhausted]")
        fault = None
        if turn.fault and self._faults_fired[(conv, idx)] < turn.fault_times:
            self._faults_fired[(conv, idx)] += 1
            fault = turn.fault
        message = self._message(turn, conv, idx)
        flat = turn.usage or auto_usage(messages, req.get("tools"), message, self.script.block_size)
        usage = None if fault == "no_usage" else usage_body(flat)
        self._record({"conversation": conv, "turn": idx, "fault": fault, "usage": usage, "t": time.time()})
        if turn.delay_s:  # logged on arrival: a client that gives up while waiting still asked
            await asyncio.sleep(turn.delay_s)
        if fault == "drop":
            return None
        if fault == "hang":  # longer than any client waits: the client's timeout must fire
            await asyncio.sleep(3600)
        if fault in ("http_400", "http_401", "http_404"):  # by default, a conversation past the model's context
            text = turn.error_message or "maximum context length exceeded"
            return _http(int(fault[5:]), json.dumps({"error": {"message": text, "type": "invalid_request_error"}}).encode())
        if fault in ("http_500", "http_502", "http_503"):
            return _http(int(fault[5:]), b'{"error": {"message": "scripted fault", "type": "server_error"}}')
        if fault == "http_429":
            return _http(429, b'{"error": {"message": "slow down", "type": "rate_limit"}}',
                         extra=f"Retry-After: {turn.retry_after_s:g}\r\n")
        if fault == "malformed_json":
            return _http(200, b'{"id": "x", "choices": [')
        finish = "tool_calls" if turn.tool_calls else "stop"
        rid, created = f"chatcmpl-{conv}-{idx}", int(time.time())
        if req.get("stream"):
            return self._sse(rid, created, message, finish, usage, req, cut=fault == "truncated_stream")
        data = {"id": rid, "object": "chat.completion", "created": created, "model": self.script.model,
                "choices": [{"index": 0, "message": message, "finish_reason": finish}]}
        if usage:
            data["usage"] = usage
        return _http(200, json.dumps(data).encode())

    def _message(self, turn: Turn, conv: int, idx: int) -> dict[str, Any]:
        msg: dict[str, Any] = {"role": "assistant", "content": turn.content}
        if turn.reasoning:
            msg["reasoning_content"] = turn.reasoning
        if turn.tool_calls:
            msg["tool_calls"] = [
                {"id": f"call_{conv}_{idx}_{i}", "type": "function",
                 "function": {"name": c.name,
                              "arguments": c.arguments if isinstance(c.arguments, str) else json.dumps(c.arguments)}}
                for i, c in enumerate(turn.tool_calls)]
        return msg

    def _sse(self, rid: str, created: int, message: dict[str, Any], finish: str, usage: Any, req: dict,
             cut: bool = False) -> bytes:
        base = {"id": rid, "object": "chat.completion.chunk", "created": created, "model": self.script.model}
        delta: dict[str, Any] = {"role": "assistant", "content": message.get("content")}
        if message.get("tool_calls"):
            delta["tool_calls"] = [dict(c, index=i) for i, c in enumerate(message["tool_calls"])]
        chunks = [dict(base, choices=[{"index": 0, "delta": delta, "finish_reason": None}]),
                  dict(base, choices=[{"index": 0, "delta": {}, "finish_reason": finish}])]
        if usage and (req.get("stream_options") or {}).get("include_usage"):
            chunks.append(dict(base, choices=[], usage=usage))
        body = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"
        if cut:  # the connection ends mid-event: no finish, no usage, no [DONE]
            body = f"data: {json.dumps(chunks[0])}\n\ndata: {{\"id\": "
            head = (f"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: {len(body) + 100}\r\n"
                    "Connection: close\r\n\r\n")
            return head.encode() + body.encode()
        return _http(200, body.encode(), ctype="text/event-stream")

    def _record(self, entry: dict[str, Any]) -> None:
        self.requests.append(entry)
        if self.log_path:
            with open(self.log_path, "a") as fh:
                fh.write(json.dumps(entry) + "\n")


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
