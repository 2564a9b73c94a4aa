"""The published verifier shapes of tests/tasks/test_harbor_verifier.py in a container of the Debian base: its python3
without pytest, as in a python:3.x-slim image, so only what the verifier installs is there (the old rewrite failed
here with "pytest: command not found")."""

from __future__ import annotations

from harness.sandboxes.images import BASE_IMAGE
from tests.conftest import call, load_samples, run_json
from tests.tasks.test_harbor import TOML, write
from tests.tasks.test_harbor_verifier import FORMS, REWARD, check_shapes, task


def test_published_verifier_shapes_prove_their_grader_in_a_container(tmp_path, cli, write_script):
    check_shapes("container", tmp_path, cli, write_script)


SERVE = "(setsid nohup python3 -m http.server 8123 --bind 127.0.0.1 > /dev/null 2>&1 &); sleep 1\n"
ASKS = ("python3 -c \"import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8123/answer.txt', "
        "timeout=10).read().strip() != b'42')\"\n" + REWARD)
# The code under test fetches from a host no index is on while it is verified (through the proxy's variables).
FETCHES = ("import urllib.request\ntry:\n    urllib.request.urlopen('https://example.org/', timeout=10)\n"
           "    print(42)\nexcept Exception as exc:\n    print('refused', exc)\n")


def test_the_verifier_runs_as_written_online_with_what_the_agent_left_running(tmp_path, cli, write_script):
    """Harbor's way: test.sh unmodified, the package indexes reachable (PyPI through pertask's proxy, as image builds
    reach it), and the service the reference solution started still answering. Had the service been killed (the task
    says so), the same reference fails; what the code under test fetches beyond the indexes is refused and named."""
    service = {**task(ASKS), "solution/solve.sh": "cd /app && echo 42 > answer.txt && " + SERVE}
    write(tmp_path / "tb2" / "service", service)
    write(tmp_path / "tb2" / "service-killed", {**service, "task.toml": TOML + "[pertask]\nverifier_needs_processes = false\n"})
    write(tmp_path / "tb2" / "online", task(FORMS["bare-pytest"]))
    fetcher = write_script({"model": "m", "default": [
        {"tool_calls": [call("write_file", path="/app/answer.py", content=FETCHES)]}, {"tool_calls": [call("submit")]}]})
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", tmp_path / "tb2", "--model", "oracle", "--model", "null", "--model",
             f"scripted:{fetcher}", "--out", out, "--sandbox", "container", "--substitute-image",
             f"python:3.11-slim={BASE_IMAGE}")
    got = {(s["task_id"], s["model"].split(":")[0]): s for s in load_samples(out)}
    ways = {key: s["grader"]["checks"][0]["verifier"] for key, s in got.items() if s["grader"]["checks"]}
    assert got[("service", "oracle")]["score"] == 1.0, got[("service", "oracle")]["grader"]
    assert got[("service-killed", "oracle")]["score"] == 0.0, got[("service-killed", "oracle")]["grader"]
    assert got[("online", "oracle")]["score"] == 1.0 and ways[("online", "oracle")] == "as-written", ways
    attacker = got[("online", "scripted")]
    assert attacker["score"] == 0.0 and "pertask's verifier proxy refused: example.org" in attacker["grader"]["detail"], \
        attacker["grader"]
    assert all(got[(t, "null")]["score"] == 0.0 for t in ("service", "service-killed", "online"))
