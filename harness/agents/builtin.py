"""The agent loop: model turn, tool calls, repeat until submit or a limit.

Messages are append-only and the system prompt is fixed text (no dates, no ids),
so each request extends the previous one and a prefix-caching server reuses it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from harness.sandboxes import Sandbox
from providers.base import ChatRequest, Model, ModelCallError, Sampling
from results.prices import call_usd, priced, sample_usd
from results.records import ErrorClass, now_iso

from .base import AgentResult, Assignment
from .compaction import NEAR, compact, overflowed, prompt_estimate
from .tools import FINISH_TOOLS, TEXT_FORMAT, TOOLS, ToolError, execute, parse_args, parse_text_action

SYSTEM = ("You are an autonomous agent working in a workspace folder that is your current directory. "
          "Complete the user's task by inspecting and changing files there. "
          "Nobody will answer questions; decide for yourself.")


T = TypeVar("T")
REPLY_LIMIT = 100_000  # characters of one model reply kept in the conversation

class BuiltinAgent:
    """pertask's own loop, as an Agent: it runs in the harness's process and calls the model itself."""
    name = "builtin"
    external = False

    def __init__(self) -> None:
        self.mounts: list = []

    def unsuitable(self, model: Model) -> str:
        return ""

    def container_problem(self) -> str:
        return ""

    def prepare(self, note: Callable[[str], None]) -> None:
        return None

    async def run(self, job: Assignment) -> AgentResult:
        return await run_agent(job.model, job.instruction, job.sandbox, limits=job.limits, sampling=job.sampling,
                               reference=job.reference, on_call=job.on_call, system=job.system, finish=job.finish)

    def open_spend(self) -> float:
        return 0.0  # its samples' spending is in their records once they end

    async def aclose(self) -> None:
        return None


async def run_agent(model: Model, instruction: str, sandbox: Sandbox, *, limits: Any, sampling: Sampling,
                    reference: dict[str, Any] | None = None,
                    on_call: Callable[[dict[str, Any]], None] | None = None, system: str | None = None,
                    finish: bool = False) -> AgentResult:
    """`on_call` gets each model call as soon as its response is in (the run's call ledger). `system`: the task's
    own system prompt (a published benchmark's, used as written); `finish`: its finish and abandon tools."""
    text = model.info.protocol == "text"
    tools = None if text else FINISH_TOOLS if finish else TOOLS
    if system is None:
        system = f"{SYSTEM} Use the tools; call {'finish' if finish else 'submit'} when done."
    res = AgentResult(messages=[{"role": "system", "content": f"{system}\n\n{TEXT_FORMAT}" if text else system},
                                {"role": "user", "content": instruction}])
    try:
        async with asyncio.timeout(limits.timeout_s) as clock:
            await _loop(model, sandbox, res, limits, sampling, tools, reference, clock, on_call)
    except TimeoutError:
        res.error, res.error_detail = ErrorClass.limit, f"wall-time limit of {limits.timeout_s:.0f}s"
    except ModelCallError as exc:
        res.error, res.error_detail = ErrorClass(exc.kind), exc.detail
    return res


async def _off_the_clock(clock: asyncio.Timeout, call: Awaitable[T]) -> T:
    """The wall-time limit is the agent's own time (its commands, the loop): it stops while a model call
    is out — queued for a connection, waiting out Retry-After, retried, generating — because a slow,
    rate-limited or hanging server is not the model's doing. Such a call ends in the client's timeout
    and retries, as an infra error; the model's own length is bounded by its turn and token limits."""
    loop = asyncio.get_running_loop()
    left = clock.when() - loop.time()
    clock.reschedule(None)
    try:
        return await call
    finally:
        clock.reschedule(loop.time() + left)


async def _loop(model: Model, sandbox: Sandbox, res: AgentResult, limits: Any, sampling: Sampling,
                tools: list[dict[str, Any]] | None, reference: dict[str, Any] | None, clock: asyncio.Timeout,
                on_call: Callable[[dict[str, Any]], None] | None) -> None:
    """res.messages is the whole history (the transcript); `live` is what the model is sent, the same until a
    compaction (harness/agents/compaction.py) replaces its middle with a summary."""
    live, synced = list(res.messages), len(res.messages)
    last_prompt, last_len = 0, 0  # the last call's prompt tokens as the provider counted them, and its messages
    window = model.info.context
    while not res.submitted:
        if res.turns >= limits.max_turns:
            res.error, res.error_detail = ErrorClass.limit, f"turn limit of {limits.max_turns}"
            return
        live += res.messages[synced:]
        synced = len(res.messages)
        if model.info.compaction and window and prompt_estimate(live, last_prompt, last_len) > NEAR * window:
            # The summariser reads at most half a window (~4 characters a token) of the turns it replaces.
            if (shorter := await _compact(model, live, sampling, res, "near the context", window * 2, clock,
                                          on_call)) is not None:
                live, synced, last_prompt, last_len = shorter, len(res.messages), 0, 0
        req = ChatRequest(live, tools, sampling, reference if model.wants_reference else None)
        try:
            out = await _off_the_clock(clock, model.generate(req))
        except ModelCallError as exc:  # a prompt the provider finds too long: compacted once, then it stands
            if not (exc.kind == "model" and overflowed(exc.detail) and model.info.compaction):
                raise
            shorter = await _compact(model, live, sampling, res, f"the provider refused the prompt: {exc.detail}"[:300],
                                     max(last_prompt, 8_000) * 2, clock, on_call)
            if shorter is None:
                raise
            live, synced, last_prompt, last_len = shorter, len(res.messages), 0, 0
            continue
        last_prompt, last_len = out.usage.input_uncached + out.usage.input_cached + out.usage.cache_write, len(live)
        res.turns += 1
        res.usage = res.usage + out.usage
        content = out.message.get("content")
        if isinstance(content, str) and len(content) > REPLY_LIMIT:
            # Kept whole, every later call would re-send (and pay for) it: the history holds its head.
            out.message["content"] = content[:REPLY_LIMIT] + f"\n[... reply cut: {len(content):,} characters ...]"
            res.format_errors += 1
        res.messages.append(out.message)
        _bill(model, res, out, on_call, turn=res.turns)
        if tools is None:
            await _text_turn(out.message, sandbox, res, limits)
        else:
            await _tool_turn(out.message, sandbox, res, limits, tools)
        if res.usage.total >= limits.max_tokens:
            res.error, res.error_detail = ErrorClass.limit, f"token limit of {limits.max_tokens}"
            return
        spent = sample_usd(res.calls, priced(model.info))
        if limits.max_usd is not None and spent is not None and spent >= limits.max_usd:
            res.error, res.error_detail = ErrorClass.limit, f"dollar limit of ${limits.max_usd}"
            return


def _bill(model: Model, res: AgentResult, out: Any, on_call: Callable[[dict[str, Any]], None] | None,
          **extra: Any) -> dict[str, Any]:
    """A call in the sample's record and the run's ledger, priced when its answer came (a price may change mid-run)."""
    at = now_iso()
    res.calls.append({**extra, "message_index": len(res.messages) - 1, "at": at, "usage": out.usage.model_dump(),
                      "usd": call_usd(model.info, out.usage, at), "finish_reason": out.finish_reason,
                      "raw_usage": out.raw_usage, "reasoning": out.reasoning})
    if on_call is not None:
        on_call(res.calls[-1])
    return res.calls[-1]


async def _compact(model: Model, live: list[dict[str, Any]], sampling: Sampling, res: AgentResult, reason: str,
                   budget_chars: int, clock: asyncio.Timeout,
                   on_call: Callable[[dict[str, Any]], None] | None) -> list[dict[str, Any]] | None:
    """The conversation compacted, its summary call billed to the sample and its note in the history."""
    got = await _off_the_clock(clock, compact(model, live, sampling, res.turns, reason, budget_chars))
    if got is None:
        return None
    shorter, done, out = got
    res.usage = res.usage + out.usage
    res.messages.append({**shorter[2], "compaction": {"turn": done.turn, "reason": done.reason,
                                                      "replaced_messages": done.replaced_messages,
                                                      "replaced_turns": done.replaced_turns}})
    done.usd = _bill(model, res, out, on_call, turn=res.turns, compaction=True)["usd"]
    res.compactions.append(done)
    return shorter


async def _tool_turn(msg: dict[str, Any], sandbox: Sandbox, res: AgentResult, limits: Any,
                     tools: list[dict[str, Any]]) -> None:
    calls = msg.get("tool_calls") or []
    if not calls:
        res.format_errors += 1
        done = "finish" if tools is FINISH_TOOLS else "submit"
        res.messages.append({"role": "user", "content": "No tool was called. Use the tools to work on the "
                             f"task, and call {done} when it is done."})
        return
    for call in calls:
        name, raw = call["function"]["name"], call["function"]["arguments"]
        t0 = time.perf_counter()
        try:
            args = parse_args(name, raw, tools)
            if name in ("submit", "finish"):
                res.submitted, output, code = True, "submitted", 0
            elif name == "abandon":
                res.submitted, res.abandoned, output, code = True, args["reason"].strip() or "(no reason)", "abandoned", 0
            else:
                output, code = await execute(name, args, sandbox, limits.command_timeout_s)
        except (ToolError, OSError, UnicodeError) as exc:
            res.format_errors += isinstance(exc, ToolError)
            res.bad_tool_calls += isinstance(exc, ToolError)
            output, code, args = f"error: {exc}", -1, raw
        res.messages.append({"role": "tool", "tool_call_id": call["id"], "content": output})
        res.tools.append({"turn": res.turns, "name": name, "args": args, "exit_code": code,
                          "duration_s": round(time.perf_counter() - t0, 4)})


async def _text_turn(msg: dict[str, Any], sandbox: Sandbox, res: AgentResult, limits: Any) -> None:
    t0 = time.perf_counter()
    try:
        command = parse_text_action(msg.get("content"))
        if command == "submit":
            res.submitted = True
            return
        output, code = await execute("bash", {"command": command}, sandbox, limits.command_timeout_s)
    except ToolError as exc:
        res.format_errors += 1
        res.messages.append({"role": "user", "content": str(exc)})
        return
    res.messages.append({"role": "user", "content": output})
    res.tools.append({"turn": res.turns, "name": "bash", "args": {"command": command}, "exit_code": code,
                      "duration_s": round(time.perf_counter() - t0, 4)})


def transcript_json(res: AgentResult) -> dict[str, Any]:
    out = {"messages": res.messages, "calls": res.calls, "tools": res.tools,
           "usage": json.loads(res.usage.model_dump_json())}
    if res.compactions:  # each one's note is in the messages where it happened, marked "compaction"
        out["compactions"] = [dataclasses.asdict(c) for c in res.compactions]
    return out
