"""The agent's tools: schemas for native tool calls, the text protocol, and execution.

File tools see the workspace as commands do: with bubblewrap they are served by the sample's
sandbox session (no process start); they refuse any path that resolves outside the workspace,
symlinks included.
"""

from __future__ import annotations

import json
import re
from typing import Any

from harness.sandboxes import Sandbox
from harness.sandboxes.output import truncate


def _fn(name: str, desc: str, props: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"type": "function", "function": {"name": name, "description": desc, "parameters": {
        "type": "object", "properties": props, "required": required, "additionalProperties": False}}}


_S = {"type": "string"}
TOOLS = [
    _fn("bash", "Run a shell command in the workspace (no network). Output is truncated when long.",
        {"command": _S}, ["command"]),
    _fn("read_file", "Read a text file of the workspace.", {"path": _S}, ["path"]),
    _fn("write_file", "Create or overwrite a file of the workspace.", {"path": _S, "content": _S}, ["path", "content"]),
    _fn("edit_file", "Replace the exact string old with new in a file; old must occur exactly once.",
        {"path": _S, "old": _S, "new": _S}, ["path", "old", "new"]),
    _fn("submit", "Finish the task. Call it once the work is done.", {}, []),
]
# AA-Briefcase's two ways to end (a task's `finish_tools`): finish with the deliverables, or abandon with a reason.
FINISH_TOOLS = [*TOOLS[:-1],
                _fn("finish", "End the task once the deliverables are saved: give their paths.",
                    {"deliverables": {"type": "array", "items": _S}}, ["deliverables"]),
                _fn("abandon", "Give up the task and say why; it counts as not done.", {"reason": _S}, ["reason"])]
TOOL_NAMES = {t["function"]["name"] for t in TOOLS}
MAX_COMMAND = 100_000  # bytes; Linux refuses longer single arguments


class ToolError(Exception):
    """Goes back to the model as the tool's result; the run continues."""


def parse_args(name: str, raw: str, tools: list[dict[str, Any]] = TOOLS) -> dict[str, Any]:
    names = sorted(t["function"]["name"] for t in tools)
    if name not in names:
        raise ToolError(f"unknown tool '{name}' (tools: {', '.join(names)})")
    try:
        args = json.loads(raw or "{}")
    except json.JSONDecodeError as exc:
        raise ToolError(f"arguments of {name} are not valid JSON: {exc}") from exc
    if not isinstance(args, dict):
        raise ToolError(f"arguments of {name} must be a JSON object")
    schema = next(t for t in tools if t["function"]["name"] == name)["function"]["parameters"]
    for k in schema["required"]:
        v, kind = args.get(k), schema["properties"][k]["type"]
        if not (isinstance(v, str) if kind == "string" else isinstance(v, list) and all(isinstance(x, str) for x in v)):
            raise ToolError(f"{name} needs {'a string' if kind == 'string' else 'a list of strings'} as '{k}'")
    return args


async def execute(name: str, args: dict[str, Any], sandbox: Sandbox, timeout_s: float) -> tuple[str, int]:
    """(text for the model, exit code: 0 ok, else failure). Raises ToolError for bad requests."""
    if name == "bash":
        if len(args["command"].encode()) > MAX_COMMAND:
            raise ToolError(f"command longer than {MAX_COMMAND} bytes; write a script file first")
        res = await sandbox.run(args["command"], timeout_s=timeout_s)
        return f"exit code: {res.exit_code}\n{res.output}", res.exit_code
    rel = sandbox.to_workspace(args["path"])
    try:
        if name == "read_file":
            if (text := await sandbox.read_text(rel)) is None:
                raise ToolError(f"no such file: {args['path']}")
            return truncate(text)[0], 0
        if name == "write_file":
            await sandbox.write_text(rel, args["content"])
            return f"wrote {len(args['content'])} characters to {args['path']}", 0
        if name == "edit_file":
            if (text := await sandbox.read_text(rel, errors="strict")) is None:
                raise ToolError(f"no such file: {args['path']}")
            n = text.count(args["old"]) if args["old"] else 0
            if n != 1:
                raise ToolError(f"old string occurs {n} times in {args['path']}; it must occur exactly once")
            await sandbox.write_text(rel, text.replace(args["old"], args["new"], 1))
            return f"edited {args['path']}", 0
    except (OSError, UnicodeError) as exc:  # outside the workspace, a link, not a directory, not text
        raise ToolError(f"{name} {args['path']}: {exc}") from exc
    raise ToolError(f"tool '{name}' cannot be executed")


# -- text protocol, for endpoints without tool calls ------------------------------------------
TEXT_FORMAT = """Reply with your reasoning and then exactly one shell command block:

```bash
your command here
```

The command runs in the workspace and you see its output. When the task is done,
reply with a block that contains only the word: submit"""

_BLOCK = re.compile(r"```(?:bash|sh|shell)?[ \t]*\n(.*?)```", re.S)


def parse_text_action(content: str | None) -> str:
    """The one command of a text-protocol reply, or ToolError explaining the format."""
    blocks = _BLOCK.findall(content or "")
    if len(blocks) != 1:
        raise ToolError(f"format error: found {len(blocks)} command blocks, expected exactly one.\n{TEXT_FORMAT}")
    return blocks[0].strip()
