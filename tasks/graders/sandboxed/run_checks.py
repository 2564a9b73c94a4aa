"""Runs inside the grading sandbox: python -I run_checks.py CHECKS.py WORKSPACE OUT.json

A copy of this file sits beside the task's grader, outside the workspace, both read-only. -I keeps
the working directory (the workspace), PYTHONPATH and the user's site off sys.path, so nothing the
model wrote (a sitecustomize.py, a module named like this one) is imported in its place. The process
ends with os._exit right after writing the verdict, so no exit hook can rewrite it.
"""

import importlib.util
import inspect
import json
import os
import sys
from pathlib import Path


def main(checks_file: str, workspace: str, out: str) -> None:
    spec = importlib.util.spec_from_file_location("pertask_checks", checks_file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    funcs = [f for name, f in inspect.getmembers(module, inspect.isfunction)
             if name.startswith("check_") and f.__module__ == module.__name__]
    funcs.sort(key=lambda f: f.__code__.co_firstlineno)
    results = []
    for f in funcs:
        try:
            ok, msg = f(Path(workspace)) is not False, ""
        except Exception as exc:  # any failure of a check is that check failing, with its reason
            ok, msg = False, f"{type(exc).__name__}: {exc}"[:500]
        results.append({"name": f.__name__, "passed": ok, "message": msg})
    Path(out).write_text(json.dumps(results))


if __name__ == "__main__":
    main(*sys.argv[1:4])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
