"""Copy-on-write workspaces: the task's folders are an overlay's read-only layers; commands see the
merged view in the sandbox, and the harness's file tools must see exactly the same files."""

from __future__ import annotations

import asyncio
import json
import random
from pathlib import Path

import pytest

from harness.agents.judge import deliverables
from harness.agents.tools import ToolError, execute
from harness.sandboxes import overlay
from harness.sandboxes.bwrap import BwrapSandbox, bwrap_path
from tasks.loader import load_suite

pytestmark = pytest.mark.skipif(not (bwrap_path() and overlay.supported()),
                                reason="needs bubblewrap and overlay mounts in a user namespace")


def tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def session(sb: BwrapSandbox, body):
    """Run the async `body` in one event loop, as the agent does, and close the sandbox's session."""
    async def go():
        try:
            return await body()
        finally:
            await sb.close()
    return asyncio.run(go())


async def run(sb: BwrapSandbox, cmd: str) -> str:
    res = await sb.run(cmd, timeout_s=30)
    assert res.exit_code == 0, res.output
    return res.output


async def inside(sb: BwrapSandbox) -> dict[str, str]:
    """Every regular file as a command in the sandbox sees it."""
    out = await run(sb, "python3 -c \"import json,pathlib; print(json.dumps({str(p): p.read_text() for p in "
                        "sorted(pathlib.Path('.').rglob('*')) if p.is_file() and not p.is_symlink()}))\"")
    return json.loads(out)


def outside(sb: BwrapSandbox) -> dict[str, str]:
    """What the harness reads from the overlay's layers once the session is closed (the judge does)."""
    return {rel: path.read_text() for rel, path in sb.files.files()}


async def through_tools(sb: BwrapSandbox, files: dict[str, str]) -> dict[str, str]:
    return {rel: (await execute("read_file", {"path": rel}, sb, 30))[0] for rel in files}


@pytest.fixture
def layered(tmp_path):
    base = tree(tmp_path / "base", {"a.txt": "base a", "pkg/m.py": "m = 1", "pkg/deep/x.txt": "x", "only.txt": "b"})
    top = tree(tmp_path / "top", {"a.txt": "top a", "pkg/n.py": "n = 2"})
    sb = BwrapSandbox(tmp_path / "sample", hidden=[tmp_path / "base", tmp_path / "top"])
    sb.prepare(base, copies=[(base, "."), (top, ".")])
    return sb, base, top


def test_start_up_copies_nothing_and_commands_see_the_layers(layered):
    sb, base, top = layered
    assert sb.overlay is not None and not any(sb.workspace.iterdir()) and not any((sb.root / "upper").iterdir())
    merged = {"a.txt": "top a", "only.txt": "b", "pkg/m.py": "m = 1", "pkg/n.py": "n = 2", "pkg/deep/x.txt": "x"}
    assert session(sb, lambda: inside(sb)) == outside(sb) == merged

    async def edit():
        await run(sb, "echo changed > a.txt && rm -r pkg && rm only.txt")
        return await inside(sb)
    assert session(sb, edit) == outside(sb) == {"a.txt": "changed\n"}
    # The task's own files are untouched: a command writes only to the sample's upper layer.
    assert (top / "a.txt").read_text() == "top a" and (base / "pkg" / "m.py").is_file()


def test_file_tools_commands_and_the_layers_agree_through_random_edits(layered):
    sb, _, _ = layered
    rng = random.Random(7)
    names = ["a.txt", "only.txt", "pkg/m.py", "pkg/n.py", "pkg/deep/x.txt", "pkg/deep/y.txt", "new/z.txt"]
    dirs = ["pkg", "pkg/deep", "new"]
    for round_ in range(4):  # each round one session, as one sample's agent loop; the layers checked between
        async def edits():
            for step in range(8):
                op, name = rng.choice(["write", "edit", "shell_write", "append", "rm", "rmdir", "mv"]), rng.choice(names)
                try:
                    if op == "write":
                        await execute("write_file", {"path": name, "content": f"w{step}"}, sb, 30)
                    elif op == "edit":
                        text = (await inside(sb)).get(name)
                        if text:
                            await execute("edit_file", {"path": name, "old": text, "new": f"e{step}"}, sb, 30)
                    elif op == "shell_write":
                        await run(sb, f"mkdir -p $(dirname {name}) && echo s{step} > {name} || true")
                    elif op == "append":
                        await run(sb, f"[ -f {name} ] && echo app{step} >> {name} || true")
                    elif op == "rm":
                        await run(sb, f"rm -f {name}")
                    elif op == "rmdir":
                        await run(sb, f"rm -rf {rng.choice(dirs)}")
                    else:
                        await run(sb, f"[ -f {name} ] && mkdir -p new && mv {name} new/moved{step}.txt || true")
                except ToolError:
                    pass  # e.g. a write under a path that is now a file
                seen = await inside(sb)
                assert await through_tools(sb, seen) == seen, f"step {step}: {op} {name}"
            return seen
        seen = session(sb, edits)
        assert outside(sb) == seen, f"round {round_}"


def test_links_and_escapes_are_refused(layered):
    sb, _, _ = layered

    async def body():
        await run(sb, "ln -s /etc/hostname host && ln -s ../.. up")
        for path in ("host", "up/sample/upper/a.txt", "../sample/upper/a.txt", "/etc/hostname"):
            with pytest.raises(ToolError):
                await execute("read_file", {"path": path}, sb, 30)
        with pytest.raises(ToolError):
            await execute("write_file", {"path": "a.txt/under-a-file", "content": "x"}, sb, 30)
    session(sb, body)
    with pytest.raises(PermissionError):  # and the host-side reader does not follow the agent's links
        sb.files.locate("host")


def test_kept_workspaces_are_plain_copies(tmp_path):
    src = tree(tmp_path / "src", {"f.txt": "f"})
    sb = BwrapSandbox(tmp_path / "sample", hidden=[])
    sb.prepare(src, cow=False)
    assert sb.overlay is None and (sb.workspace / "f.txt").read_text() == "f"


def test_the_judge_sees_only_what_the_agent_wrote_through_an_overlay(tmp_path):
    task = next(t for t in load_suite("documents").tasks if t.id == "budget-harrow")
    sb = BwrapSandbox(tmp_path / "sample", hidden=[])
    sb.prepare(task.workspace, task.copies)
    assert sb.overlay is not None
    session(sb, lambda: run(sb, "printf 'department,budget\\nSales,1\\n' > reconciled.csv && mkdir -p notes "
                                "&& echo s > notes/extra.md"))
    assert set(asyncio.run(deliverables(task, sb.files))) == {"reconciled.csv", "notes/extra.md"}
