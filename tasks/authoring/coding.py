"""Generates the `coding` suite's task folders from specs.

Every task is built on a shared, working code base in tasks/suites/coding/_bases/NAME.
A bug-fix, refactor or performance task *mutates* files of that base: the mutated
copies become the task's workspace/ overlay and the base's originals its reference
solution. A feature task's base lacks the feature, and its solution/files are
written by hand. Hidden tests (grader/) are always written by hand.

    python -m tasks.authoring.coding          # (re)write task.toml, instruction.md, workspace/, solution/
    python -m tasks.authoring.coding --check  # exit 1 when the committed folders differ from the specs
"""

from __future__ import annotations

import sys
from pathlib import Path

from .coding_specs import TASKS

SUITE = Path(__file__).resolve().parents[1] / "suites" / "coding"


def _toml(spec: dict) -> str:
    tags = ", ".join(f'"{t}"' for t in spec["tags"])
    lines = [f'id = "{spec["id"]}"', 'kind = "coding"', f'version = "{spec.get("version", "1")}"',
             f'difficulty = "{spec["difficulty"]}"', f"tags = [{tags}]", f'base = "{spec["base"]}"', "",
             "[limits]", f"max_turns = {spec.get('max_turns', 40)}", f"timeout_s = {spec.get('timeout_s', 1200)}",
             "", "[grader]", 'type = "pytest"', f"timeout_s = {spec.get('grader_timeout_s', 300)}", ""]
    return "\n".join(lines)


def render(spec: dict) -> dict[Path, str]:
    """Every generated file of one task: path relative to the suite -> content."""
    base, out = SUITE / "_bases" / spec["base"], {}
    tid = Path(spec["id"])
    out[tid / "task.toml"] = _toml(spec)
    out[tid / "instruction.md"] = spec["instruction"].strip() + "\n"
    for rel, edits in spec.get("mutate", {}).items():
        original = (base / rel).read_text()
        mutated = original
        for old, new in edits:
            if mutated.count(old) != 1:
                raise SystemExit(f"{spec['id']}: {rel}: expected exactly one {old!r}")
            mutated = mutated.replace(old, new)
        out[tid / "workspace" / rel] = mutated
        out[tid / "solution" / "files" / rel] = original
    return out


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for spec in TASKS:
        for rel, content in render(spec).items():
            path = SUITE / rel
            if check:
                if not path.is_file() or path.read_text() != content:
                    stale.append(str(rel))
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(content)
    for s in stale:
        print(f"stale: {s} (run python -m tasks.authoring.coding)")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
