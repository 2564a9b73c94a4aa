"""`pertask run --config experiment.toml`: a whole comparison in one file, recorded in the manifest.

    suite = "coding"                      # a built-in suite or a folder (relative to this file)
    epochs = 3
    concurrency = 8
    prices = "my-prices.toml"             # relative to this file
    [node]
    gpu_type = "H200"
    gpus = 8
    gpu_hour_usd = 3.59
    [[model]]
    spec = "anthropic:claude-opus-4-8"
    thinking_budget = 8000                # any #option of a --model spec
    [[model]]
    spec = "openai:gpt-5.5"
    reasoning_effort = "xhigh"

Flags on the command line win over the file (a flag left at its default does not); `--model` on the
command line replaces the file's models.
"""

from __future__ import annotations

import argparse
import tomllib
from pathlib import Path
from typing import Any

from providers.registry import OPTIONS, with_options

RUN_KEYS = {"suite": str, "epochs": int, "concurrency": int, "limit": int, "task": list, "out": str, "prices": str,
            "budget_usd": float, "temperature": float, "max_tokens": int, "stream": bool, "max_turns": int,
            "protocol": str, "sandbox": str, "judge": list, "panel": str, "max_connections": int, "task_format": str,
            "container_engine": str, "agent": str, "disk_gb": float}
NODE_KEYS = {"gpu_type": str, "gpus": int, "gpu_hour_usd": float}
PATHS = ("prices", "out")


class ExperimentError(ValueError):
    pass


def _check(where: str, key: str, value: Any, kind: type) -> Any:
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool)) or kind is float and isinstance(
        value, int) and not isinstance(value, bool)
    if not ok:
        raise ExperimentError(f"{where}: '{key}' must be {kind.__name__}, not {value!r}")
    return value


def model_spec(where: str, row: dict[str, Any]) -> str:
    if not isinstance(row.get("spec"), str) or not row["spec"]:
        raise ExperimentError(f"{where}: 'spec' is required (a --model spec)")
    unknown = sorted(set(row) - {"spec", *OPTIONS})
    if unknown:
        raise ExperimentError(f"{where}: unknown key(s) {', '.join(unknown)} (valid: spec, {', '.join(OPTIONS)})")
    return with_options(row["spec"], {k: row[k] for k in OPTIONS if k in row})


def apply(a: argparse.Namespace, ap: argparse.ArgumentParser, path: Path) -> dict[str, Any]:
    """Fill `a` from the file; returns what the manifest records of it."""
    name = str(path)
    try:
        data = tomllib.loads(path.read_text())
    except (OSError, UnicodeError, tomllib.TOMLDecodeError) as exc:
        raise ExperimentError(f"{name}: {exc}") from None
    unknown = sorted(set(data) - set(RUN_KEYS) - {"node", "model"})
    if unknown:
        raise ExperimentError(f"{name}: unknown key(s) {', '.join(unknown)} (valid: {', '.join([*RUN_KEYS, 'node', 'model'])})")
    base = path.resolve().parent
    for key, kind in RUN_KEYS.items():
        if key not in data:
            continue
        raw = [data[key]] if key == "judge" and isinstance(data[key], str) else data[key]  # one judge, or a panel
        value = _check(name, key, raw, kind)
        if key in PATHS or key == "suite" and (base / value).exists():
            value = base / value
        if getattr(a, key, None) in (None, ap.get_default(key), []):  # the command line wins
            setattr(a, key, value)
    node = data.get("node", {})
    if not isinstance(node, dict) or set(node) - set(NODE_KEYS):
        raise ExperimentError(f"{name}: [node] takes {', '.join(NODE_KEYS)}")
    for key, kind in NODE_KEYS.items():
        if key in node and getattr(a, key, None) is None:
            setattr(a, key, _check(f"{name}: [node]", key, node[key], kind))
    rows = data.get("model", [])
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ExperimentError(f"{name}: 'model' must be an array of tables: [[model]]")
    specs = [model_spec(f"{name}: [[model]] #{i + 1}", r) for i, r in enumerate(rows)]
    if not a.model:
        a.model = specs
    return {"path": str(path.resolve()), "content": data}
