"""Where runs live: the default run directory (the same command resumes the same run) and `pertask runs`, a
table of run directories (results/rundirs.py)."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

# What makes two commands the same run: the samples they plan and how those are produced.
IDENTITY = ("suite", "task_format", "model", "task", "limit", "epochs", "max_turns", "max_tokens", "temperature",
            "protocol", "agent", "judge", "sandbox", "vllm_arg", "stream", "batch_pricing")


def default_out(a: Any, suite_name: str) -> Path:
    """runs/SUITE-DIGEST: a digest of what the command plans, so running it again resumes it; --fresh makes a new,
    dated one instead."""
    if a.fresh:
        return Path("runs") / f"{datetime.now():%Y%m%d-%H%M%S}-{suite_name}"
    given = {k: getattr(a, k, None) for k in IDENTITY}
    if given["model"]:  # paths made absolute: the same command from another folder is the same run
        from providers.registry import absolute_spec

        given["model"] = [absolute_spec(m) for m in given["model"]]
    if isinstance(given["judge"], list) and len(given["judge"]) == 1:
        given["judge"] = given["judge"][0]  # one judge: the same run as before judges could be repeated
    given |= {k: getattr(a, k) for k in ("panel", "shard", "sample") if getattr(a, k, None) not in (None, "draw")}
    key = json.dumps(given, sort_keys=True, default=str)
    return Path("runs") / f"{suite_name}-{hashlib.sha256(key.encode()).hexdigest()[:10]}"
