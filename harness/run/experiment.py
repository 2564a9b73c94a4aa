"""`pertask run --config experiment.toml`: a whole run in one file, recorded in the manifest (its path and content).

Every flag of `run` is a key (its long name, `-` or `_`), typed as the flag is: `epochs = 3`, `stream = true`,
`task = ["fix-median"]`, `node = "h200x8@3.59"`, `project_on = "zai:glm-5.2"`, `judge = ["openai:gpt-5.5", …]`.
Every path is relative to the file: `suite` (where such a folder exists), `prices`, `out`, a model's file or folder
(`scripted:FILE`, `vllm:PATH`), and any other flag that takes a path. `[node]` may give `gpu_type`, `gpus` and `gpu_hour_usd` one by one; each
`[[model]]` is a `spec` with any `#option` as a key. examples/experiment.toml is a complete one.

Flags given on the command line win over the file, even at their default value; `--model` on the command line
replaces the file's models. `--print` shows the command the file and the flags make, and runs nothing.
"""

from __future__ import annotations

import argparse
import shlex
import tomllib
from pathlib import Path
from typing import Any

from providers.registry import OPTIONS, absolute_spec, with_options

NODE_KEYS = {"gpu_type": str, "gpus": int, "gpu_hour_usd": float}
NOT_IN_FILES = {"help", "config", "print", "model"}  # the file itself, and models as [[model]] tables


class ExperimentError(ValueError):
    pass


def run_keys(run: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    """Every flag of `run`, by the key a file gives it."""
    return {a.dest: a for a in run._actions if a.option_strings and a.dest not in NOT_IN_FILES}


def _kind(action: argparse.Action) -> type:
    if isinstance(action, argparse._StoreTrueAction):
        return bool
    if isinstance(action, argparse._AppendAction):
        return list
    return action.type if action.type in (int, float) else str


def _check(where: str, key: str, value: Any, kind: type) -> Any:
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool)) or kind is float and isinstance(
        value, int) and not isinstance(value, bool)
    if not ok:
        raise ExperimentError(f"{where}: '{key}' must be {kind.__name__}, not {value!r}")
    return float(value) if kind is float else value


def model_spec(where: str, row: dict[str, Any], base: Path) -> str:
    if not isinstance(row.get("spec"), str) or not row["spec"]:
        raise ExperimentError(f"{where}: 'spec' is required (a --model spec)")
    unknown = sorted(set(row) - {"spec", *OPTIONS})
    if unknown:
        raise ExperimentError(f"{where}: unknown key(s) {', '.join(unknown)} (valid: spec, {', '.join(OPTIONS)})")
    # A model's file or folder, beside this one.
    return with_options(absolute_spec(row["spec"], base), {k: row[k] for k in OPTIONS if k in row})


def _given(a: argparse.Namespace, action: argparse.Action) -> bool:
    """Whether the command line gave this flag (its value may be the default: it still wins over the file)."""
    return any(w.split("=", 1)[0] in action.option_strings for w in getattr(a, "argv", []))


def apply(a: argparse.Namespace, ap: argparse.ArgumentParser, path: Path) -> dict[str, Any]:
    """Fill `a` from the file; returns what the manifest records of it."""
    name = str(path)
    try:
        content = tomllib.loads(path.read_text())
    except (OSError, UnicodeError, tomllib.TOMLDecodeError) as exc:
        raise ExperimentError(f"{name}: {exc}") from None
    data = {k.replace("-", "_"): v for k, v in content.items()}
    keys = run_keys(ap)
    unknown = sorted(set(data) - set(keys) - {"node", "model"})
    if unknown:
        raise ExperimentError(f"{name}: unknown key(s) {', '.join(unknown)} (valid: every flag of run, as "
                              f"`pertask run --help` lists them, and [node], [[model]])")
    base = path.resolve().parent
    node = data.pop("node") if isinstance(data.get("node"), dict) else {}
    for key, value in data.items():
        if key == "model":
            continue
        action = keys[key]
        kind = _kind(action)
        value = _check(name, key, [value] if kind is list and isinstance(value, str) else value, kind)
        if action.type is Path or key == "suite" and (base / value).exists():
            value = base / value
        if not _given(a, action):  # the command line wins
            setattr(a, key, value)
    if set(node) - set(NODE_KEYS):
        raise ExperimentError(f"{name}: [node] takes {', '.join(NODE_KEYS)} (or node = \"PROFILE[xN][@USD]\")")
    for key, kind in NODE_KEYS.items():
        if key in node and getattr(a, key, None) is None:
            setattr(a, key, _check(f"{name}: [node]", key, node[key], kind))
    rows = data.get("model", [])
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ExperimentError(f"{name}: 'model' must be an array of tables: [[model]]")
    specs = [model_spec(f"{name}: [[model]] #{i + 1}", r, base) for i, r in enumerate(rows)]
    if not a.model:
        a.model = specs
    return {"path": str(path.resolve()), "content": content}


def command(a: argparse.Namespace, ap: argparse.ArgumentParser) -> str:
    """The `pertask run` command line that `a` amounts to: what --print shows."""
    words = ["pertask", "run"]
    for spec in a.model or []:
        words += ["--model", spec]
    for key, action in run_keys(ap).items():
        value = getattr(a, key, None)
        if value in (None, ap.get_default(key), [], False) and not (_given(a, action) and value is not None):
            continue
        flag = action.option_strings[-1]
        words += [flag] if value is True else [w for v in value for w in (flag, str(v))] if isinstance(value, list) \
            else [flag, str(value)]
    return " ".join(shlex.quote(w) for w in words)
