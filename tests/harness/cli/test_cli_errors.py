"""Bad invocations: one clear error line and a non-zero exit, before any task starts."""

from __future__ import annotations

import pytest

from tests.conftest import pertask_proc, subprocess_env


def one_error_line(proc) -> str:
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("pertask: error:")
    return lines[0]


def test_missing_api_key(tmp_path):
    proc = pertask_proc("run", "--suite", "smoke", "--model", "zai:glm-5.2", "--out", tmp_path / "r",
                        env=subprocess_env())
    assert "ZAI_API_KEY" in one_error_line(proc)
    assert not (tmp_path / "r").exists(), "nothing starts without the key"


def test_missing_key_of_the_second_model_stops_the_first_too(tmp_path):
    proc = pertask_proc("run", "--suite", "smoke", "--model", "oracle", "--model", "deepseek:deepseek-chat",
                        "--out", tmp_path / "r")
    assert "DEEPSEEK_API_KEY" in one_error_line(proc)
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("spec,needle", [("foo:bar", "unknown model kind 'foo'"),
                                         ("openai-compatible:nameonly", "NAME@URL"),
                                         ("scripted:/nonexistent.json", "/nonexistent.json"),
                                         ("oracle#colour=red", "unknown option")])
def test_bad_model_spec(tmp_path, spec, needle):
    assert needle in one_error_line(pertask_proc("run", "--suite", "smoke", "--model", spec, "--out", tmp_path / "r"))


def test_unknown_suite(tmp_path):
    line = one_error_line(pertask_proc("run", "--suite", "nope", "--model", "oracle", "--out", tmp_path / "r"))
    assert "unknown suite 'nope'" in line and "smoke" in line


def test_unknown_task_and_bad_numbers(tmp_path):
    assert "no-such-task" in one_error_line(
        pertask_proc("run", "--suite", "smoke", "--model", "oracle", "--task", "no-such-task"))
    assert "--concurrency" in one_error_line(
        pertask_proc("run", "--suite", "smoke", "--model", "oracle", "--concurrency", "0"))


def test_report_of_a_missing_directory(tmp_path):
    assert "not a pertask run directory" in one_error_line(pertask_proc("report", tmp_path))


def test_key_value_never_reaches_disk(tmp_path):
    # The key's value must appear nowhere in the run: only its variable's name.
    secret = "sk-test-NEVER-WRITE-THIS-4242"
    proc = pertask_proc("run", "--suite", "smoke", "--model", "zai:glm-5.2@http://127.0.0.1:9/v1", "--task",
                        "fix-median", "--out", tmp_path / "r", "--no-preflight", env=subprocess_env(ZAI_API_KEY=secret),
                        timeout=300)
    # Nothing listens there and no preflight stops the run: the sample is infra, and the exit status says so.
    assert proc.returncode == 1 and "1 of 1 samples ended in infra errors" in proc.stderr, proc.stderr
    blob = b"".join(p.read_bytes() for p in (tmp_path / "r").rglob("*") if p.is_file())
    assert secret.encode() not in blob and b"ZAI_API_KEY" in blob
