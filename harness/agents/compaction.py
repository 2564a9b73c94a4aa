"""Compaction: a conversation that nears its model's context is cut down so the agent can go on, as long-horizon
harnesses do (AA-Briefcase's summarises its history when the context fills). The system prompt and the task stay
verbatim, and so do the latest KEEP turns with their tool results; the turns between are summarised by the same model
(a call billed to the sample like any other) into one message that says how many turns it replaced. It happens before
a call whose prompt would pass NEAR of the model's context (`#context=N`), or after the provider refuses a prompt as
too long; `#compaction=off` lets the overflow end the sample, the model's failure. What was summarised is kept in the
transcript (its messages are the whole history; the conversation sent is the model's view), so nothing is lost.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from providers.base import ChatRequest, Model, ModelOutput, Sampling

KEEP, NEAR = 4, 0.8  # latest assistant turns kept verbatim; share of the context that triggers a compaction
TOOL_CHARS = 2_000  # of each tool result, what the summariser reads (a long output's head and tail)
MARKER = "[pertask: {n} earlier turns summarised to fit the context]"
MARKED = re.compile(r"\[pertask: (\d+) earlier turns summarised to fit the context\]")
SYSTEM = ("You write the working notes an agent needs to continue a task after its earlier turns are dropped from its "
          "context. Keep every fact it established (file names, figures, decisions, what failed and why), what is "
          "done, and what remains. Be complete but brief; no preamble.")
OVERFLOW = re.compile(r"context.{0,20}(length|window|limit)|too long|maximum context|context_length_exceeded|"
                      r"too many tokens|exceeds? the (model'?s )?(maximum|context)", re.I)


@dataclass
class Compaction:
    turn: int  # the agent's turn after which it happened
    reason: str  # "near the context" or the provider's refusal
    replaced_messages: int  # what it took out of the conversation (the transcript's history keeps them all)
    replaced_turns: int  # the assistant turns those held, earlier compactions' included
    usd: float | None = None


def overflowed(detail: str) -> bool:
    """Whether a provider's refusal says the prompt was too long for the model."""
    return bool(OVERFLOW.search(detail or ""))


def prompt_estimate(messages: list[dict[str, Any]], last_prompt: int, last_len: int) -> int:
    """The next prompt's tokens: the last call's prompt as the provider counted it, plus what came since (~4 chars
    a token)."""
    return last_prompt + sum(len(json.dumps(m, default=str)) for m in messages[last_len:]) // 4


def earlier_turns(messages: list[dict[str, Any]]) -> int:
    """Assistant turns a conversation holds, counting those its compactions replaced."""
    # A note starts with the marker; a command's output that prints one (the text protocol's results are user
    # messages) does not start with it, so it counts nothing.
    replaced = sum(int(m.group(1)) for msg in messages if msg.get("role") == "user" and isinstance(msg.get("content"), str)
                   for m in [MARKED.match(msg["content"])] if m)
    return replaced + sum(1 for m in messages if m.get("role") == "assistant")


def cut_point(messages: list[dict[str, Any]], keep: int = KEEP) -> int | None:
    """Where the kept tail starts (an assistant message, so each tool call keeps its result); None when there is
    nothing before it to summarise but the task."""
    starts = [i for i, m in enumerate(messages) if m.get("role") == "assistant"]
    if len(starts) <= keep:
        return None
    cut = starts[-keep] if keep else len(messages)
    return cut if any(m.get("role") == "assistant" for m in messages[2:cut]) else None


def _as_text(messages: list[dict[str, Any]]) -> str:
    lines = []
    for m in messages:
        content = m.get("content") if isinstance(m.get("content"), str) else ""
        if m.get("role") == "tool" or (m.get("role") == "user" and not MARKED.match(content)):
            if len(content) > TOOL_CHARS:
                content = f"{content[:TOOL_CHARS // 2]}\n[... {len(content) - TOOL_CHARS} characters ...]\n" \
                          f"{content[-TOOL_CHARS // 2:]}"
            lines.append(f"[{'result' if m.get('role') == 'tool' else 'user'}]\n{content}")
        elif m.get("role") == "user":  # an earlier compaction's notes, without its marker (they are summarised anew)
            lines.append(f"[notes from earlier turns]\n{MARKED.sub('', content).strip()}")
        else:
            calls = [f"{c['function']['name']}({c['function']['arguments'][:TOOL_CHARS]})" for c in m.get("tool_calls") or []]
            lines.append("[agent]\n" + "\n".join([content, *calls]).strip())
    return "\n\n".join(lines)


async def compact(model: Model, messages: list[dict[str, Any]], sampling: Sampling, turn: int, reason: str,
                  budget_chars: int) -> tuple[list[dict[str, Any]], Compaction, ModelOutput] | None:
    """The conversation with its middle summarised, what was done, and the summary call's output (to bill); None
    when there is nothing to summarise."""
    cut = cut_point(messages)
    if cut is None:
        return None
    middle = messages[2:cut]
    text = _as_text(middle)
    if len(text) > budget_chars:  # the summariser's own prompt must fit: the most recent part is worth most
        text = "[... the oldest part is cut ...]\n" + text[-budget_chars:]
    ask = (f"The task:\n{messages[1].get('content')}\n\nThe agent's turns so far, to be replaced by your notes:\n\n"
           f"{text}\n\nWrite the notes.")
    out = await model.generate(ChatRequest([{"role": "system", "content": SYSTEM}, {"role": "user", "content": ask}],
                                           None, Sampling(sampling.temperature, 4_000)))
    replaced = earlier_turns(middle)
    summary = (out.message.get("content") or "").strip() or "(the summary came back empty)"
    note = {"role": "user", "content": f"{MARKER.format(n=replaced)}\n{summary}"}
    done = Compaction(turn, reason, len(middle), replaced)
    return [*messages[:2], note, *messages[cut:]], done, out
