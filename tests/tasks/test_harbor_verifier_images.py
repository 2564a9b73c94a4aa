"""The published verifier shapes of tests/tasks/test_harbor_verifier.py in a container of the Debian base: its python3
without pytest, as in a python:3.x-slim image, so only what the verifier installs is there (the old rewrite failed
here with "pytest: command not found")."""

from __future__ import annotations

from tests.tasks.test_harbor_verifier import check_shapes


def test_published_verifier_shapes_prove_their_grader_in_a_container(tmp_path, cli, write_script):
    check_shapes("container", tmp_path, cli, write_script)
