"""pertask command line: a table of commands, each in its own module and imported on use; the work lives in
harness/run, harness/sandboxes, harness/agents, tasks, providers and results."""

from __future__ import annotations

import importlib
import os
import signal
import sys

from harness.run.experiment import ExperimentError
from harness.run.plan import RunError
from harness.sandboxes import SandboxError
from harness.sandboxes.engines import EngineError
from harness.sandboxes.per_task import BackendError
from providers.base import EndpointConfigError, SpecError
from providers.vllm.process import ServerError
from results.hardware import NodeError
from results.prices import PriceFileError
from results.projection import ProjectionError
from results.store import RunDirError
from tasks import SuiteError, TaskError

from .console import UsageError, err
from .parser import make_parser

# name -> "module:function"; each takes the parsed arguments and returns the exit status.
COMMANDS = {
    "run": "harness.cli.run:cmd_run",
    "report": "harness.cli.report:cmd_report",
    "tasks": "harness.cli.commands:cmd_tasks",
    "reprice": "harness.cli.report:cmd_reprice",
    "serve": "harness.cli.commands:cmd_serve",
    "prices": "harness.cli.commands:cmd_prices",
    "view": "harness.cli.report:cmd_view",
    "runs": "harness.cli.report:cmd_list_runs",
    "providers": "harness.cli.commands:cmd_listing",
    "datasets": "harness.cli.commands:cmd_listing",
    "images": "harness.cli.commands:cmd_images",
    "proxy": "harness.cli.commands:cmd_proxy",
    "probe": "providers.probe_run:cmd_probe",
    "claims": "results.claims:cmd_claims",
    "pairwise": "harness.cli.report:cmd_judged",
    "grade": "harness.cli.report:cmd_judged",
}
# What a user can get wrong (a flag, a file, a spec, a key, this machine's set-up): one line, exit status 2.
SETUP_ERRORS = (UsageError, SpecError, SuiteError, TaskError, RunError, PriceFileError, FileNotFoundError, BackendError,
                ServerError, ProjectionError, NodeError, EndpointConfigError, RunDirError, ExperimentError, EngineError,
                SandboxError)


def main(argv: list[str] | None = None) -> int:
    ap = make_parser()
    a, extra = ap.parse_known_args(argv)
    if a.cmd is None:  # bare `pertask`: what it does and where to start, not an argparse complaint
        ap.print_help()
        print("\nStart with: pertask run --suite smoke --model oracle --model null   (pertask COMMAND --help for more)")
        return 2
    a.argv = list(sys.argv[1:] if argv is None else argv)  # recorded with the run: what made its figures
    if extra and a.cmd != "serve":  # only `serve` passes unknown flags on (to vLLM)
        ap.error(f"unrecognized arguments: {' '.join(extra)}")
    a.extra, a.parser = extra, ap
    module, _, func = COMMANDS[a.cmd].partition(":")
    signal.signal(signal.SIGTERM, _terminated)  # a `kill` says what Ctrl-C says, and stops the same way
    try:
        return getattr(importlib.import_module(module), func)(a)
    except SETUP_ERRORS as exc:
        # the console takes no markup: a message that names "[[model]]" or "[limits]" is printed as it is
        err.print(f"pertask: error: {exc}", style="red", highlight=False, soft_wrap=True)
        return 2
    except BrokenPipeError:  # the reader went away (| head): nothing more to say to it
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (interpreter shutdown flushes stdout once more)
        return 0
    except KeyboardInterrupt:
        err.print("interrupted: finished samples are saved; run the same command again to resume"
                  if a.cmd == "run" else "stopped", style="yellow")
        return 130


def _terminated(_sig, _frame) -> None:
    """SIGTERM as a Ctrl-C: through SIGINT's handler (asyncio's, in a run: it cancels the run cleanly), else raised."""
    if signal.getsignal(signal.SIGINT) in (signal.SIG_IGN, signal.SIG_DFL, None):
        raise KeyboardInterrupt
    signal.raise_signal(signal.SIGINT)


if __name__ == "__main__":
    sys.exit(main())
