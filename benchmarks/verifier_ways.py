"""What each way of running a Harbor verifier adds to a sample, in the container sandbox, on this machine: a verifier
command (`true`, with /tests and /logs copied in and out as for test.sh) run

- in place: in the agent's container, what the agent left running killed first (`verifier_needs_processes = false`);
- in a twin: a container on an overlay of the agent's (harness/sandboxes/twin.py), the agent's processes kept;
- in a twin with one service the agent left listening, relayed onto the twin's loopback;
- in a twin with the package indexes (pertask's proxy relayed in, the host's CA bundle copied in).

Each is timed from the end of the agent's phase (its sandbox closed and its container saved, as a run does) to the
verifier's /logs back on the host. Prints p50 and max in milliseconds over N samples each.

    .venv/bin/python benchmarks/verifier_ways.py [N]
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness.sandboxes.container import ContainerSandbox  # noqa: E402
from harness.sandboxes.images import base_image  # noqa: E402

SERVE = "(setsid nohup python3 -m http.server 8123 --bind 127.0.0.1 > /dev/null 2>&1 &); sleep 1"
WAYS = {  # name: (keep the agent's processes, start a service, give the indexes)
    "in place, processes killed": (False, False, False),
    "twin": (True, False, False),
    "twin, one service relayed": (True, True, False),
    "twin, package indexes": (True, False, True),
}


async def one(image: str, keep: bool, serve: bool, index: bool) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        box = ContainerSandbox(root / "s", image, "/app", keep_processes=keep)
        await asyncio.to_thread(box.prepare, root / "src")
        if serve:
            await box.run(SERVE, timeout_s=30)
        for d in ("tests", "logs"):
            (root / d).mkdir()
        try:
            t = time.perf_counter()
            await box.close()
            await asyncio.to_thread(box.persist, root / "saved")
            res = await box.run("true", timeout_s=60, mounts={"/tests": root / "tests", "/logs": root / "logs"},
                                index=set() if index else None)
            took = time.perf_counter() - t
            assert res.exit_code == 0, res.output
            return took
        finally:
            await box.destroy()
            ContainerSandbox.forget(root / "saved")


async def main(n: int) -> None:
    image = base_image()
    if not ContainerSandbox.verifier_index:
        sys.exit("the twin takes root (its relays join namespaces with nsenter)")
    print(f"{'way':<30} {'p50 ms':>8} {'max ms':>8}   ({n} samples each)")
    for name, (keep, serve, index) in WAYS.items():
        times = [await one(image, keep, serve, index) for _ in range(n)]
        print(f"{name:<30} {statistics.median(times) * 1000:>8.0f} {max(times) * 1000:>8.0f}")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5))
