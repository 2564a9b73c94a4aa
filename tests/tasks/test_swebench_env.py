"""SWE-bench on the host in each repository's own environment (tasks/swebench_env.py): the Python version, packages
and install step swebench's specification gives for the repository and version, never pertask's interpreter or its
site-packages. A small repository stands in for marshmallow 2.20 (Python 3.9, `pip install -e '.[dev]'`), cloned under
$PERTASK_REPOS as a user's clone would be."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tasks.swebench_env import interpreter
from tests.conftest import bash, call, load_samples, run_json

pytestmark = pytest.mark.skipif(interpreter("3.9") is None, reason="needs a Python 3.9 (marshmallow 2.20's, as "
                                                                   "swebench specifies it) on this machine")
SETUP = ("from setuptools import setup, find_packages\nsetup(name='marshmallow', version='2.20.0', "
         "package_dir={'': 'src'}, packages=find_packages('src'), extras_require={'dev': ['pytest']})\n")
CODE = "def nested(data, key):\n    return data[key]\n"
FIXED = "def nested(data, key):\n    try:\n        return data[key]\n    except (KeyError, TypeError):\n        return None\n"
TESTS = "from marshmallow.core import nested\n\n\ndef test_present():\n    assert nested({'a': 1}, 'a') == 1\n"
# The new test also says where it runs: Python 3.9, the environment's pytest, and none of pertask's packages.
NEW = TESTS + ("\n\ndef test_wrong_type():\n    assert nested('not a dict', 'a') is None\n\n\n"
               "def test_its_own_environment():\n    import importlib.util, sys\n    import pytest\n"
               "    assert sys.version_info[:2] == (3, 9)\n    assert pytest.__version__.startswith('8.3')\n"
               "    assert importlib.util.find_spec('rich') is None\n")


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t"}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env).stdout


def _instance(repos: Path) -> dict:
    clone = repos / "marshmallow-code__marshmallow"
    for rel, text in {"setup.py": SETUP, "src/marshmallow/__init__.py": "", "src/marshmallow/core.py": CODE,
                      "tests/test_core.py": TESTS}.items():
        (clone / rel).parent.mkdir(parents=True, exist_ok=True)
        (clone / rel).write_text(text)
    _git(clone, "init", "-q")
    _git(clone, "add", "-A")
    _git(clone, "commit", "-qm", "base")
    base = _git(clone, "rev-parse", "HEAD").strip()
    (clone / "src/marshmallow/core.py").write_text(FIXED)
    gold = _git(clone, "diff")
    _git(clone, "checkout", "-q", "--", ".")
    (clone / "tests/test_core.py").write_text(NEW)
    test_patch = _git(clone, "diff")
    _git(clone, "checkout", "-q", "--", ".")
    return {"instance_id": "marshmallow-code__marshmallow-1", "repo": "marshmallow-code/marshmallow", "version": "2.20",
            "base_commit": base, "environment_setup_commit": base, "patch": gold, "test_patch": test_patch,
            "problem_statement": "nested() raises TypeError on a value that is not a dict.",
            "FAIL_TO_PASS": ["tests/test_core.py::test_wrong_type", "tests/test_core.py::test_its_own_environment"],
            "PASS_TO_PASS": ["tests/test_core.py::test_present"]}


def test_each_repository_is_tested_in_the_environment_swebench_specifies(cli, tmp_path, monkeypatch, write_script):
    monkeypatch.setenv("PERTASK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("PERTASK_REPOS", str(tmp_path / "repos"))
    rows = tmp_path / "instances.jsonl"
    rows.write_text(json.dumps(_instance(tmp_path / "repos")) + "\n")
    look = write_script({"model": "m", "default": [{"tool_calls": [bash("python --version; command -v python")]},
                                                   {"tool_calls": [call("submit")]}]})
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", rows, "--model", "oracle", "--model", "null", "--model", f"scripted:{look}",
             "--out", out)
    got = {s["model"].split(":")[0]: s for s in load_samples(out)}
    assert got["oracle"]["score"] == 1.0, got["oracle"]["grader"]
    assert got["null"]["score"] == 0.0 and got["null"]["grader"]["detail"].startswith(
        "not resolved: FAIL_TO_PASS failing: tests/test_core.py::test_wrong_type")
    said = json.loads((out / got["scripted"]["transcript"]).read_text())["messages"]
    tool = next(m["content"] for m in said if m["role"] == "tool")
    assert "Python 3.9" in tool and "swebench/envs/marshmallow-code__marshmallow-2.20-" in tool, \
        "the agent's commands have the repository's environment first too"
    env = next((tmp_path / "cache" / "swebench" / "envs").glob("marshmallow-code__marshmallow-2.20-*"))
    assert not (env / "src").exists(), "the setup commit's code is gone: the agent never sees it"
    assert json.loads((env / ".built").read_text())["python"] == "3.9"
