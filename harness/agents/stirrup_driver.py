"""Runs Artificial Analysis's Stirrup (PyPI `stirrup`, a library: AA-Briefcase is built on it) on one task, in the
sample's sandbox: `--agent stirrup`. Copied beside the agent's installation and run by its own interpreter (Stirrup
needs Python 3.12 or newer); pertask's own code is not importable here and is not needed.

Stirrup as AA uses it: its Chat Completions client, its local code-execution tool (its `code_exec`, its relative-path
rule), its summarising of a conversation that nears the context window, and AA-Briefcase's two ways to end: `finish`
(a reason and the files made) and `abandon` (a reason). The one change: its code tool runs in the task's workspace
(the sandbox's working directory) instead of a temporary folder of its own, so the grader finds the deliverables.

The model is reached through pertask's metering proxy (OPENAI_BASE_URL, OPENAI_API_KEY: the sample's key), which
meters every call; Stirrup itself records no cached tokens and no cost. A task that brings its own system prompt
(AA-Briefcase-Lite's) has it as Stirrup's system prompt (PERTASK_SYSTEM_FILE). Its history goes to /tmp/stirrup.json.
"""

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, Field
from stirrup import Agent
from stirrup.clients.chat_completions_client import ChatCompletionsClient
from stirrup.core.models import Tool, ToolResult, ToolUseCountMetadata
from stirrup.tools import SIMPLE_FINISH_TOOL
from stirrup.tools.code_backends import LocalCodeExecToolProvider


class Workspace(LocalCodeExecToolProvider):
    """Stirrup's local code execution, in the working directory (the sample's workspace), which it never deletes."""

    async def __aenter__(self):
        self._temp_dir = Path.cwd()
        return self.get_code_exec_tool(description=self._description)

    async def __aexit__(self, *exc) -> None:
        self._temp_dir = None


class AbandonParams(BaseModel):
    """Why the task cannot be done."""

    reason: Annotated[str, Field(description="Why you are abandoning the task.")]


async def _abandon(params: AbandonParams) -> ToolResult[ToolUseCountMetadata]:
    return ToolResult(content=params.reason, metadata=ToolUseCountMetadata(), success=True)


ABANDON = Tool[AbandonParams, ToolUseCountMetadata](
    name="abandon", description="Give up on the task, with the reason, when it cannot be completed.",
    parameters=AbandonParams, executor=_abandon)


def _dump(obj):
    return obj.model_dump(mode="json") if hasattr(obj, "model_dump") else str(obj)


async def main() -> int:
    instruction = Path(os.environ["PERTASK_INSTRUCTION_FILE"]).read_text()
    client = ChatCompletionsClient(
        model=os.environ["PERTASK_MODEL"], base_url=os.environ["OPENAI_BASE_URL"], api_key=os.environ["OPENAI_API_KEY"],
        max_tokens=int(os.environ.get("PERTASK_MAX_OUTPUT", "32768")),
        context_window_tokens=int(os.environ.get("PERTASK_CONTEXT") or 128_000), max_retries=0)
    system = os.environ.get("PERTASK_SYSTEM_FILE")  # the task's own (AA-Briefcase's agent prompt), where it has one
    agent = Agent(client=client, name="pertask", max_turns=int(os.environ.get("PERTASK_MAX_TURNS", "500")),
                  system_prompt=Path(system).read_text() if system else None,
                  tools=[Workspace()], finish_tool=[SIMPLE_FINISH_TOOL, ABANDON])
    async with agent.session(cache_on_interrupt=False, clear_cache_on_success=True) as session:
        finish, history, metadata = await session.run(instruction)
    log = {"finish": _dump(finish) if finish else None, "history": [[_dump(m) for m in h] for h in history]}
    Path("/tmp/stirrup.json").write_text(json.dumps(log, default=str))
    if finish is None:
        print("stirrup: no finish or abandon within its turns", file=sys.stderr)
        return 1
    if isinstance(finish, AbandonParams):
        print(f"stirrup: abandoned: {finish.reason}", file=sys.stderr)
        return 3
    print(f"stirrup: finished: {finish.reason}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
