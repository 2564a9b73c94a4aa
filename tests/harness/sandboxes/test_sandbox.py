"""The sandbox holds: real bubblewrap where installed, a clear fallback where not."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path

import pytest

from harness.sandboxes.bwrap import OUTPUT_LIMIT, BwrapSandbox, bwrap_path
from tasks.loader import SUITES_ROOT

needs_bwrap = pytest.mark.skipif(not bwrap_path(), reason="bubblewrap not installed")


def tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


@pytest.fixture
def box(tmp_path):
    src = tree(tmp_path / "src", {"hello.txt": "hi"})
    secret_dir = tree(tmp_path / "run-dir", {"other-sample.txt": "private"})
    sb = BwrapSandbox(tmp_path / "sample", hidden=[SUITES_ROOT, secret_dir])
    sb.prepare(src)
    return sb, secret_dir


def run(sb: BwrapSandbox, cmd: str, timeout: float = 30):
    async def go():
        try:
            return await sb.run(cmd, timeout_s=timeout)
        finally:
            await sb.close()  # the session belongs to this event loop
    return asyncio.run(go())


def test_workspace_is_a_private_copy(box):
    sb, _ = box
    res = run(sb, "cat hello.txt && echo more > new.txt && echo changed > hello.txt")
    assert res.exit_code == 0 and res.output.strip() == "hi"
    assert sb.files.locate("new.txt").read_text() == "more\n"
    assert (sb.root.parent / "src" / "hello.txt").read_text() == "hi", "the task's own file is untouched"


def test_environment_is_cleared(box, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-should-not-leak")
    sb, _ = box
    assert "sk-should-not-leak" not in run(sb, "env").output


def test_python3_reads_office_files(box):
    # Document tasks tell the agent these readers exist; in the sandbox `python3` is pertask's own interpreter.
    sb, _ = box
    res = run(sb, "python3 -c 'import openpyxl, docx, pypdf, sys; print(sys.executable)'")
    assert res.exit_code == 0, res.output
    assert res.output.strip() == sys.executable or Path(res.output.strip()).parent == Path(sys.executable).parent


def test_timeout_kills_the_command(box):
    sb, _ = box
    res = run(sb, "sleep 30", timeout=1)
    assert res.timed_out and res.exit_code == 124 and "timed out" in res.output


def test_long_output_is_truncated(box):
    sb, _ = box
    res = run(sb, "yes x | head -c 200000")
    assert res.truncated and len(res.output) < OUTPUT_LIMIT + 200 and "characters cut" in res.output


@needs_bwrap
def test_no_network(box):
    sb, _ = box
    # A server on the host's loopback: reachable from here, not from inside the sandbox.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    try:
        res = run(sb, f"python3 -c \"import socket; socket.create_connection(('127.0.0.1', {port}), 2)\" 2>&1; "
                      "python3 -c \"import socket; socket.create_connection(('1.1.1.1', 80), 2)\" 2>&1; "
                      "cut -d: -f1 /proc/net/dev | tail -n +3")
    finally:
        listener.close()
    assert "Connection refused" in res.output and "Network is unreachable" in res.output
    assert res.output.split()[-1] == "lo", "its own network namespace holds only loopback"


@needs_bwrap
def test_cannot_write_outside_the_workspace(box, tmp_path):
    sb, _ = box
    res = run(sb, f"touch /usr/pertask-x; touch {tmp_path}/escape; echo ok > /tmp/private && cat /tmp/private")
    assert "Read-only file system" in res.output and not (tmp_path / "escape").exists()
    assert res.output.strip().endswith("ok"), "the sample's own /tmp is writable"


@needs_bwrap
def test_hidden_paths_are_invisible(box):
    sb, secret_dir = box
    res = run(sb, f"ls {SUITES_ROOT}; cat {secret_dir}/other-sample.txt; echo done")
    assert "smoke" not in res.output and "private" not in res.output and "done" in res.output


@needs_bwrap
def test_container_paths_map_onto_the_sample(tmp_path):
    src = tree(tmp_path / "src", {"main.py": "print('hi')"})
    tests_dir = tree(tmp_path / "tests", {"t.sh": "echo tested"})
    sb = BwrapSandbox(tmp_path / "sample", hidden=[], workdir="/app")
    sb.prepare(src, copies=[(src / "main.py", "pkg/main.py")])
    res = asyncio.run(sb.run("pwd; ls pkg; bash /tests/t.sh; echo out > /app/made.txt", timeout_s=30,
                             mounts={"/tests": tests_dir}))
    assert res.output.split() == ["/app", "main.py", "tested"]
    assert (sb.workspace / "made.txt").read_text() == "out\n"
    assert sb.to_workspace("/app/pkg/main.py") == "pkg/main.py" and sb.to_workspace("rel.txt") == "rel.txt"


@needs_bwrap
def test_hidden_file_outside_tmp_cannot_be_read(tmp_path):
    import tempfile

    with tempfile.NamedTemporaryFile("w", dir="/var/tmp", suffix=".jsonl", delete=False) as fh:
        fh.write('{"patch": "the answer"}')
    secret = Path(fh.name)
    try:
        src = tmp_path / "src"
        src.mkdir()
        sb = BwrapSandbox(tmp_path / "sample", hidden=[secret])
        sb.prepare(src)
        res = asyncio.run(sb.run(f"cat {secret}; echo end", timeout_s=30))
        assert "the answer" not in res.output and res.output.strip().endswith("end")
    finally:
        secret.unlink()


# -- limits: the command fails, the run goes on -----------------------------------------------------
def test_fork_bomb_is_contained(box):
    from harness.sandboxes.limits import cgroup_support

    if "pids" not in cgroup_support():
        pytest.skip("this machine gives no pids cgroup to cap a process tree")
    sb, _ = box
    res = run(sb, ":(){ :|:& };: ; sleep 1; echo still-here", timeout=20)
    assert "still-here" in res.output and not res.timed_out
    assert run(sb, "echo after").output.strip() == "after"


def test_memory_hog_hits_the_limit(box):
    sb, _ = box
    res = run(sb, "python3 -c 'x = bytearray(6 << 30); print(len(x))'", timeout=60)
    assert res.exit_code != 0 and "6442450944" not in res.output
    assert "MemoryError" in res.output or "memory limit" in res.output or res.exit_code in (137, -9)


def test_endless_output_is_killed_early(box):
    sb, _ = box
    res = run(sb, "yes pertask-flood", timeout=120)
    assert not res.timed_out and "printed more than" in res.output and res.truncated


def test_huge_file_write_stops_at_the_file_limit(box, tmp_path):
    from harness.sandboxes.limits import ResourceLimits

    sb = BwrapSandbox(tmp_path / "s2", hidden=[], limits=ResourceLimits(file_bytes=1 << 20))
    sb.prepare(tree(tmp_path / "src2", {"a.txt": "a"}))
    res = run(sb, "head -c 5000000 /dev/zero > big.bin; echo rc=$?; stat -c %s big.bin")
    assert "rc=153" in res.output or "File size limit exceeded" in res.output
    assert sb.files.locate("big.bin").stat().st_size <= 1 << 20


def test_the_command_leaves_no_cgroup_behind(box):
    from harness.sandboxes.limits import _own_cgroup, cgroup_support

    sb, _ = box

    def groups():  # other runs on this machine (the other test worker) have theirs: only this process's must go
        return {p for c in cgroup_support() for p in _own_cgroup(c).glob(f"pertask-{os.getpid()}-*")}

    before = groups()
    run(sb, "sleep 0.1 & echo hi")
    run(sb, ":(){ :|:& };: ; sleep 0.5", timeout=10)
    assert groups() <= before


@needs_bwrap
def test_one_session_runs_the_commands_and_nothing_outlives_a_command(box):
    sb, _ = box

    async def body():
        a = await sb.run("sleep 300 & echo $PPID", timeout_s=30)
        b = await sb.run("echo $PPID; ps -e -o comm=", timeout_s=30)
        assert a.output.split()[0] == b.output.split()[0], "both ran under the same server"
        assert "sleep" not in b.output, "the background process died with its command"
        await sb.run(":(){ :|:& };: ; sleep 0.5", timeout_s=10)
        after_bomb = (await sb.run("echo alive; ps -e -o comm=", timeout_s=30)).output.split()
        assert after_bomb[0] == "alive" and "bash" not in after_bomb and len(after_bomb) == 4  # bwrap, the server, ps
        # A command may kill the server (it shares the sandbox): it fails, and the next gets a new one.
        dead = await sb.run("kill -9 $PPID; sleep 1", timeout_s=30)
        assert dead.exit_code == -1 and "sandbox stopped" in dead.output
        again = await sb.run("echo more >> hello.txt; cat hello.txt", timeout_s=30)
        assert again.output == "himore\n", "the workspace outlives the session"

    async def main():
        try:
            await body()
        finally:
            await sb.close()
    asyncio.run(main())


@needs_bwrap
def test_a_sandbox_that_cannot_start_is_the_machines_trouble(box, cli, tmp_path, monkeypatch):
    # Bubblewrap refusing to start (no user namespaces, say) must never reach the agent as a failed
    # command it is scored on: the sample is infra, re-run on resume.
    from harness.sandboxes.session import SandboxUnavailable

    sb, _ = box
    sb.bwrap = "/bin/false"
    with pytest.raises(SandboxUnavailable):
        run(sb, "echo hi")
    monkeypatch.setattr("harness.sandboxes.bwrap._which", lambda name, path: "/bin/false")
    code, _, err = cli("run", "--suite", "smoke", "--task", "fix-median", "--model", "oracle", "--out", tmp_path / "r")
    assert code == 1 and "ended in infra errors" in err and "sandbox could not start" in err


@needs_bwrap
def test_hidden_paths_inside_the_bound_interpreter_stay_hidden(tmp_path):
    # Installed without -e, the suites and their generator live in the venv the sandbox must bind for its
    # python3: the runner hides them there, and what lies beside them in the venv stays readable.
    import shutil as sh
    import uuid

    secret = Path(sys.prefix) / f"pertask-hidden-test-{uuid.uuid4().hex[:8]}"
    (secret / "suites").mkdir(parents=True)
    (secret / "suites" / "answer.txt").write_text("the reference solution")
    try:
        src = tree(tmp_path / "src", {"a.txt": "a"})
        for hidden, expect in (([secret], False), ([], True)):
            sb = BwrapSandbox(tmp_path / f"s{len(hidden)}", hidden=hidden)
            sb.prepare(src)
            out = run(sb, f"cat {secret}/suites/answer.txt; echo end").output
            assert ("the reference solution" in out) is expect and out.strip().endswith("end")
    finally:
        sh.rmtree(secret)
