"""SWE-bench grading as the `swebench` package grades it: the instance's tests run once, their whole
log goes to a file (never through the model's output truncation), and that log is read by the
package's own parser for the repo and judged by its own rules (get_eval_report: every FAIL_TO_PASS
test passes and no PASS_TO_PASS test breaks; the test command's exit status cross-checked).
Resolved scores 1, anything else 0; each test's outcome is kept as a check.

In an image (tasks/swebench.py): the agent's work leaves its container as a patch (`git diff` against
the base commit, made there), which is applied to a fresh container of the instance's image — the
agent never touched its system or its installed packages — with swebench's own sequence of apply
commands; then the instance's eval script runs there.

On the host (a local clone): the test files go back to the base commit, the test patch is applied,
and pytest runs on the test files of the patch with pertask's interpreter, as SWE-bench runs pytest
repos (whole files, never one id per test on the command line).
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

from .base import GradeResult, RunCommand, kept, no_verdict, read_verdict, read_verdict_bytes, started_cmd

WORKDIR = "/testbed"
# swebench's run_evaluation.GIT_APPLY_CMDS, in its order, with its reset between attempts.
APPLY = ("git apply --verbose", "git apply --verbose --3way", "git apply --verbose --reject",
         "patch --batch --forward --fuzz=5 -p1 -i")
PATCH_LIMIT, LOG_LIMIT = 32 << 20, 64 << 20
NON_TEST = (".json", ".png", "csv", ".txt", ".md", ".jpg", ".jpeg", ".pkl", ".yml", ".yaml", ".toml")  # swebench's


class SwebenchGrader:
    def missing(self, grader_dir: Path) -> str:
        return "" if (grader_dir / "spec.json").is_file() and (grader_dir / "test.patch").is_file() else \
            "spec.json and test.patch are needed"

    async def grade(self, grader_dir: Path, workspace: Path, out_dir: Path, run: RunCommand,
                    timeout_s: float) -> GradeResult:
        spec = json.loads((grader_dir / "spec.json").read_text())
        (out_dir / "logs").mkdir(parents=True, exist_ok=True)
        if spec["mode"] == "image":
            return await _in_image(spec, out_dir, run, timeout_s)
        return await _on_host(spec, grader_dir, out_dir, run, timeout_s)


async def _in_image(spec: dict, out_dir: Path, run: RunCommand, timeout_s: float) -> GradeResult:
    logs = out_dir / "logs"
    diff = (f"cd {WORKDIR} && git add -A >/dev/null 2>&1; "
            f"git -c core.fileMode=false diff --cached --binary {shlex.quote(spec['base_commit'])} > /logs/patch.diff")
    res = await run(started_cmd(diff), timeout_s=300, binds=[], mounts={"/logs": logs})
    try:
        patch = read_verdict_bytes(logs / "patch.diff", out_dir, PATCH_LIMIT + 1)
    except OSError:
        return no_verdict(res.output, "git diff of the agent's work")
    if len(patch) > PATCH_LIMIT:
        return GradeResult(0.0, False, [], f"the agent's patch is over {PATCH_LIMIT >> 20} MiB")
    if not patch.strip():
        return GradeResult(0.0, False, [], "the agent changed nothing: an empty patch is not graded")
    ev = out_dir / "eval"
    ev.mkdir()
    (ev / "patch.diff").write_bytes(patch)
    (ev / "eval.sh").write_text(eval_script(spec["eval_script"]))
    attempts = " ".join(shlex.quote(a) for a in APPLY)
    cmd = (f"cd {WORKDIR}; ok=; for how in {attempts}; do "
           "if $how /swebench/patch.diff; then ok=1; break; fi; git checkout -- . ; git clean -fdq; done; "
           "[ -z \"$ok\" ] && git apply --check --reverse /swebench/patch.diff >/dev/null 2>&1 && ok=1; "
           "if [ -z \"$ok\" ]; then echo '>>>>> Patch Apply Failed'; exit 0; fi; echo '>>>>> Applied Patch'; "
           "/bin/bash /swebench/eval.sh > /logs/test_output.txt 2>&1")
    res = await run(started_cmd(cmd), timeout_s=timeout_s, binds=[], mounts={"/swebench": ev, "/logs": logs},
                    fresh=True)
    if ">>>>> Patch Apply Failed" in res.output:
        return GradeResult(0.0, False, [], f"the agent's patch does not apply to a fresh copy\n{res.output[-2000:]}")
    return _judge(spec, patch.decode("utf-8", "replace"), res, logs / "test_output.txt", out_dir, timeout_s)


async def _on_host(spec: dict, grader_dir: Path, out_dir: Path, run: RunCommand, timeout_s: float) -> GradeResult:
    q = shlex.quote
    # The agent may have edited the tests: they go back to the base commit (or away, if new) first.
    reset = "; ".join(f"(git checkout -q HEAD -- {q(f)} 2>/dev/null || rm -f {q(f)})" for f in spec["test_files"])
    tests = " ".join(q(f) for f in spec["test_files"] if not f.endswith(NON_TEST))
    log = out_dir / "logs" / "test_output.txt"
    cmd = (f"{reset}; git apply --whitespace=nowarn {q(str(grader_dir / 'test.patch'))} || "
           f"{{ echo 'pertask: test_patch does not apply'; exit 3; }}; "
           f"{{ echo '>>>>> Start Test Output'; "
           f"[ -d src ] && export PYTHONPATH=\"$PWD/src${{PYTHONPATH:+:$PYTHONPATH}}\"; "  # src layouts: the patched copy
           f"{_pytest(spec)} {tests}; rc=$?; "
           f"echo '>>>>> End Test Output'; echo \">>>>> Test Exit Code: $rc\"; }} > {q(str(log))} 2>&1")
    res = await run(started_cmd(cmd), timeout_s=timeout_s, binds=[out_dir], env={"PYTHONDONTWRITEBYTECODE": "1"})
    if res.exit_code == 3 and "test_patch does not apply" in res.output:
        return GradeResult(0.0, False, [], res.output[-2000:], infra_error="the instance's test_patch does not apply")
    return _judge(spec, "(the workspace)", res, log, out_dir, timeout_s)


def _judge(spec: dict, patch: str, res, log: Path, out_dir: Path, timeout_s: float) -> GradeResult:
    if res.timed_out:
        return GradeResult(0.0, False, [], f"tests timed out after {timeout_s:.0f}s")
    try:
        content = read_verdict(log, out_dir, LOG_LIMIT)
    except OSError:
        return no_verdict(res.output, "the tests wrote no log")
    own = out_dir / "test_output.read.txt"  # what was read, in a file of the harness's own for the parser
    own.write_text(content)
    from swebench.harness.grading import get_eval_report
    from swebench.types import TestSpec

    iid = spec["instance_id"]
    test_spec = TestSpec(instance_id=iid, image="", eval_script_list=[], repo=spec["repo"], version=spec["version"],
                         FAIL_TO_PASS=spec["FAIL_TO_PASS"], PASS_TO_PASS=spec["PASS_TO_PASS"],
                         log_parser=spec["log_parser"], eval_type=spec["eval_type"])
    report = get_eval_report(test_spec, {"instance_id": iid, "model_patch": patch}, str(own), True)[iid]
    if not report["patch_successfully_applied"]:
        # The log shows no run of the tests. swebench's own guess at an environment fault is kept as advice
        # only: the code under test prints what it likes, so it cannot make its failure unscored.
        why = report.get("infra_failure_reason", "")
        return GradeResult(0.0, False, [], f"no test results in the log{f' (swebench: {why})' if why else ''}\n"
                           f"{content[-2000:]}", output=kept(content))
    status = report["tests_status"]
    checks = [{"name": t, "passed": ok, "message": f"{kind}: {'PASSED' if ok else 'FAILED'}"}
              for kind in ("FAIL_TO_PASS", "PASS_TO_PASS")
              for ok, tests in ((True, status[kind]["success"]), (False, status[kind]["failure"])) for t in tests]
    order = {t: i for i, t in enumerate(spec["FAIL_TO_PASS"] + spec["PASS_TO_PASS"])}
    checks.sort(key=lambda c: order.get(c["name"], len(order)))
    resolved = bool(report["resolved"])
    # What a 0 means, named: the tests that still fail and the ones the change broke.
    failing = [f"{kind} {'failing' if kind == 'FAIL_TO_PASS' else 'broken'}: {', '.join(tests[:5])}"
               + (f" and {len(tests) - 5} more" if len(tests) > 5 else "")
               for kind in ("FAIL_TO_PASS", "PASS_TO_PASS") if (tests := status[kind]["failure"])]
    detail = "resolved" if resolved else "not resolved" + (f": {'; '.join(failing)}" if failing else "")
    return GradeResult(1.0 if resolved else 0.0, resolved, checks, f"{detail} (swebench {spec['log_parser']})",
                       output=kept(content))


def _pytest(spec: dict) -> str:
    """The instance's environment's pytest as swebench's specification runs it (the sandbox puts that environment first
    on PATH); for a repository swebench does not know, pertask's own interpreter. `python -m`: the workspace is on the
    path."""
    cmd = spec.get("test_cmd", "")
    if cmd.startswith("pytest"):
        return f"python -m {cmd}" + ("" if "cacheprovider" in cmd else " -p no:cacheprovider")
    return f"{shlex.quote(sys.executable)} -m pytest -rA -p no:cacheprovider"


def eval_script(text: str) -> str:
    """The instance's eval script as swebench runs it: its test command's own exit status recorded."""
    from swebench.harness.utils import parse_eval_script, record_test_exit_code

    lines = record_test_exit_code(parse_eval_script(text))
    return "\n".join(["#!/bin/bash", "set -uxo pipefail", *lines]) + "\n"
