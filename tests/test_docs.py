"""The documentation as a newcomer meets it: a README of at most 150 lines that opens with the two set-up commands
and links only to pages that exist; the docs site built with warnings as errors (a broken link fails); the CLI
reference generated from the parser and up to date; the pictures made from a real run by the project's own script."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT, subprocess_env


def test_the_readme_starts_short_and_links_only_to_what_exists():
    text = (ROOT / "README.md").read_text()
    assert len(text.splitlines()) <= 150
    first = re.search(r"```bash\n(.*?)```", text, re.S).group(1)
    assert first.splitlines()[0].startswith("make demo ") and first.splitlines()[1].startswith("make test ")
    for target in re.findall(r"\]\(([^)#]+)\)", text):
        assert (ROOT / target).exists(), target


def test_the_docs_site_builds_with_warnings_as_errors(tmp_path):
    mkdocs = shutil.which("mkdocs", path=os.path.dirname(sys.executable))
    proc = subprocess.run([mkdocs, "build", "--strict", "-d", str(tmp_path / "site")], cwd=ROOT, capture_output=True,
                          text=True, env={**subprocess_env(), "NO_MKDOCS_2_WARNING": "1"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (tmp_path / "site" / "providers" / "index.html").is_file()


def test_the_cli_reference_is_the_parser_s():
    proc = subprocess.run([sys.executable, "scripts/cli_reference.py", "--check"], cwd=ROOT, env=subprocess_env())
    assert proc.returncode == 0, "docs/cli.md is out of date: run scripts/cli_reference.py"


@pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")), reason="needs chromium")
def test_the_pictures_are_made_from_a_real_run(tmp_path):
    proc = subprocess.run([sys.executable, "scripts/screenshots.py", str(tmp_path)], cwd=ROOT, capture_output=True,
                          text=True, env=subprocess_env(), timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    for name in ("cost-accuracy.png", "report.png", "viewer.png"):
        assert (tmp_path / name).stat().st_size > 5_000 and (ROOT / "docs" / "img" / name).is_file(), name
