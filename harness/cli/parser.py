"""The command line's grammar: every subcommand, flag and help text (a contract users rely on; adding is
fine). harness/cli/main.py does what they say."""

from __future__ import annotations

import argparse
from pathlib import Path

from harness.run.executors import EXECUTORS
from harness.run.server_watch import SCRAPE_EVERY_S
from harness.sandboxes import SANDBOXES
from harness.sandboxes.bases import RELEASES
from harness.sandboxes.engines import ENGINES
from results.cost import BILL_FROM
from results.reports import REPORTS
from results.reports import files as report_files
from tasks import builtin_suites
from tasks.formats import FORMATS


def make_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="pertask", description="Accuracy, tokens and dollars per task.")
    sub = ap.add_subparsers(dest="cmd", metavar="COMMAND")
    r = sub.add_parser("run", help="run a suite against one or more models")
    r.add_argument("--config", type=Path, metavar="FILE",
                   help="an experiment file (TOML): every flag of run as a key, [[model]] tables, paths relative "
                        "to the file (examples/experiment.toml). Flags given here win over it")
    r.add_argument("--print", action="store_true", help="print the command --config and the flags make, and stop")
    r.add_argument("--suite", help=f"built-in ({', '.join(builtin_suites())}), a public benchmark by name "
                                   "(terminal-bench@2.0, swe-bench-verified, ...: `pertask datasets list`), a folder "
                                   "of tasks, a SWE-bench task repo, a .jsonl of instances, or hf:OWNER/NAME[@REV]")
    r.add_argument("--task-format", metavar="NAME", help=f"read the suite as this format ({', '.join(FORMATS)}; "
                                                          "default: the first that claims each path)")
    r.add_argument("--model", action="append", metavar="SPEC",
                   help="oracle | null | local | vllm:PATH | vllm:NAME@URL | scripted:FILE | "
                        "openai-compatible:NAME@URL | PROVIDER:MODEL[@URL] (openai, zai, deepseek, moonshot, "
                        "openrouter, anthropic, … : `pertask providers` lists them); repeat for side by side; options "
                        "after #, joined by commas: protocol=text|tools, client=direct|sdk (HTTP transport), label=NAME "
                        "(the model's name in the run; default: the spec without its address, a path by its file or folder "
                        "name), per-model settings "
                        "reasoning_effort=, thinking_budget=N, thinking=on|off, temperature=, max_tokens=N, "
                        "cache_ttl=5m|1h (each where the endpoint takes it), and for vLLM preset=NAME, port=N")
    r.add_argument("--epochs", type=int, default=1, help="samples per task and model (default 1)")
    r.add_argument("--concurrency", type=int, default=4,
                   help="agents at work at once (default 4); finished ones are graded beside them")
    r.add_argument("--limit", type=int, help="only the first N tasks")
    r.add_argument("--task", action="append", metavar="ID", help="only these task ids (repeatable)")
    r.add_argument("--shard", metavar="I/N", help="only every Nth task from the Ith (after --task and --limit)")
    r.add_argument("--sample", type=int, metavar="N", help="only N tasks drawn at random, the same every time (a "
                                                           "pilot for --estimate)")
    r.add_argument("--out", type=Path, help="run directory; give an existing one to resume (default: runs/SUITE-DIGEST, the same for the same command, so running it again resumes it; --fresh: a new dated one)")
    r.add_argument("--prices", type=Path, help="a price file that overrides or adds catalog entries")
    r.add_argument("--protocol", choices=["tools", "text"], help="agent protocol for every model (default: per model)")
    r.add_argument("--temperature", type=float, help="sampling temperature for every model (default: the provider's)")
    r.add_argument("--max-tokens", type=int, help="max output tokens per model call")
    r.add_argument("--stream", action="store_true", help="stream responses (records time to first token)")
    r.add_argument("--no-preflight", action="store_true",
                   help="skip the one check request per model (key, model name, tools, usage) before the first sample")
    r.add_argument("--max-turns", type=int, help="cap every task's turn limit (short local runs)")
    r.add_argument("--budget-usd", type=float, metavar="USD",
                   help="start no new sample once the run's spent dollars plus an estimate for those in flight "
                        "reach USD; in-flight samples finish, and the report says how many were not started")
    r.add_argument("--max-connections", type=int, default=32, metavar="N",
                   help="requests in flight to one endpoint at most (halved while it answers 429, then regrown)")
    r.add_argument("--judge", metavar="MODEL", action="append",
                   help="also rate each document deliverable (and tasks with a grader/rubric.md) with this model "
                        "against the task's rubric; its tokens and dollars are reported apart from the agent's. "
                        "Repeat it for a panel: a task with grader/checks.jsonl (AA-Briefcase's rubric form) has each "
                        "binary check judged by one judge of the panel (--panel)")
    r.add_argument("--panel", choices=["draw", "majority"], default="draw",
                   help="how a panel of judges decides a rubric check: one judge drawn per check, as AA-Briefcase "
                        "grades (the default), or the majority of the panel")
    r.add_argument("--keep-workspaces", action="store_true", help="keep each sample's final workspace")
    r.add_argument("--disk-gb", type=float, default=4.0, metavar="GB",
                   help="what one sample's commands may keep on disk, workspace and /tmp together (default 4); a "
                        "command that goes over is stopped with a message the model reads")
    r.add_argument("--sandbox", choices=list(SANDBOXES),
                   help="where model-written commands run: bwrap (no network, no privileges, an allow-list of what "
                        "is visible; the default where bubblewrap is installed), container (podman or docker: the task's own "
                        "image; the default for tasks that bring one) or none (unisolated, warned)")
    r.add_argument("--substitute-image", action="append", default=[], metavar="NAME=LOCAL",
                   help="build FROM NAME (or a task's docker_image NAME) from the local image LOCAL instead, on a "
                        "machine without registry access; recorded in the manifest (repeatable)")
    r.add_argument("--offline-images", action="store_true", help="with no image registry: build every python:, "
                   "debian: and ubuntu: image on the closest local Debian base (`pertask images base`); the manifest "
                   "says which Python and release stood in")
    r.add_argument("--image-namespace", metavar="NS", help="SWE-bench's instance images (swebench/NAME) from NS/NAME: "
                                                           "a mirror of docker.io's swebench namespace")
    r.add_argument("--agent", metavar="SPEC", help="who works on each task: builtin (pertask's own loop, the default), "
                                                 "mini-swe-agent, aider (PyPI), claude-code, codex (npm), each installed "
                                                 "into the cache on first use, NAME:PATH (that agent from your own "
                                                 "executable) or 'cmd:TEMPLATE', any CLI agent; run in the sample's "
                                                 "sandbox, its model calls metered through the proxy "
                                                 "({instruction_file} and {model} in TEMPLATE); harness/agents/external.py")
    r.add_argument("--container-engine", choices=list(ENGINES),
                   help="what runs the container sandbox: podman (the default where installed) or docker (a running "
                        "dockerd; its root is mapped only with --userns-remap)")
    r.add_argument("--executor", choices=list(EXECUTORS), default="local",
                   help="where samples run: local (this process, the default) or ray (Ray tasks on a cluster's "
                        "nodes, each in a sandbox there; pip install 'pertask[ray]'); harness/run/executors.py")
    r.add_argument("--ray-address", metavar="ADDR",
                   help="the Ray cluster to run on (e.g. 10.0.0.5:6379); without it a local Ray starts with the run")
    r.add_argument("--vllm-arg", action="append", default=[], metavar="FLAG",
                   help="extra flag for launched vLLM servers, e.g. --vllm-arg=--tensor-parallel-size=8 (repeatable)")
    r.add_argument("--batch-pricing", action="store_true",
                   help="price API calls at the provider's batch discount (unknown discount: null dollars)")
    r.add_argument("--node", metavar="PROFILE[xN][@USD]",
                   help="the serving node as a hardware profile, e.g. h200x8, h200x8@3.59, cpu2 (a 2-vCPU VM): "
                        "type, count and the profile's dated price in one; `pertask prices --hardware` lists them")
    r.add_argument("--gpu-type", help="the node's GPU type, e.g. H200; a known profile (h100, h200, b200) "
                                      "supplies a dated on-demand price when --gpu-hour-usd is not given")
    r.add_argument("--gpus", type=int, help="GPUs the node rents (self-hosted dollars need it; default for a vLLM "
                                            "pertask launches on GPUs: those its replicas take)")
    r.add_argument("--gpu-hour-usd", type=float, help="dollars per GPU-hour of the node")
    r.add_argument("--bill-from", choices=BILL_FROM, default="launch",
                   help="what the node cost covers: from the server's launch (default: the renter's bill, start-up "
                        "included) or from when it was ready; the idle tail until it stops is billed either way")
    r.add_argument("--project-on", metavar="TARGETS",
                   help="after the run, price the same measured tokens elsewhere, as report --project-on does "
                        "(e.g. h200x8,zai:glm-5.2); checked before the run starts")
    r.add_argument("--scrape-every", type=float, default=SCRAPE_EVERY_S, metavar="S",
                   help=f"seconds between scrapes of a vLLM server's /metrics: the resolution of its load over time "
                        f"and busy share (default {SCRAPE_EVERY_S:g})")
    r.add_argument("--estimate", nargs="*", type=Path, metavar="RUN",
                   help="run nothing: print each model's samples, tokens and dollars at list prices (a 95%% range), "
                        "from earlier runs of the suite (these, or every one under ./runs; a pilot: --limit 5)")
    r.add_argument("--skip-broken", action="store_true", help="run the suite's other tasks when some are broken "
                                                               "(they are listed in the report); else a broken task stops the run")
    r.add_argument("--fresh", action="store_true",
                   help="without --out: a new dated run directory, instead of the one this same command resumes")
    r.add_argument("--json", action="store_true", help="print the summary as JSON instead of a table")
    p = sub.add_parser("report", help="summarize run directories")
    p.add_argument("runs", nargs="+", type=Path, help="run directories (a model in several is one row per run)")
    p.add_argument("--json", action="store_true", help=REPORTS["json"].help)
    p.add_argument("--project-on", metavar="TARGETS",
                   help="price the same measured tokens elsewhere: comma-separated PROFILExN[@USD][:ratio=R] "
                        "(h100, h200, b200, mi300x, ascend910b, ascend910c) and PROVIDER:MODEL, "
                        "e.g. h200x8@3.59,ascend910c-x8,zai:glm-5.2")
    p.add_argument("--prices", type=Path, help="a price file that overrides or adds catalog entries")
    p.add_argument("--baseline", metavar="RUN_OR_MODEL",
                   help="what the paired comparisons are against: a model (as the report labels it; a model in "
                        "several runs is 'SPEC @ RUN') or a run (its first model); default: the first model")
    for name in report_files():  # one flag per report format that is written to a file
        p.add_argument(f"--{name}", type=Path, metavar="FILE", help=REPORTS[name].help)
    t = sub.add_parser("tasks", help="list or check task suites")
    t.add_argument("action", choices=["list", "check"])
    t.add_argument("--suite", help="as for run (default: every built-in suite)")
    t.add_argument("--task-format", metavar="NAME", help="as for run")
    t.add_argument("--concurrency", type=int, default=4, help="samples checked at once (default 4)")
    t.add_argument("--task", action="append", metavar="ID", help="as for run")
    t.add_argument("--limit", type=int, help="as for run")
    t.add_argument("--shard", metavar="I/N", help="as for run: N machines check one shard each")
    t.add_argument("--sandbox", choices=list(SANDBOXES), help="as for run (default: each task where it needs)")
    t.add_argument("--substitute-image", action="append", default=[], metavar="NAME=LOCAL", help="as for run")
    t.add_argument("--offline-images", action="store_true", help="as for run")
    t.add_argument("--image-namespace", metavar="NS", help="as for run")
    t.add_argument("--executor", choices=list(EXECUTORS), default="local", help="as for run: ray spreads the check")
    t.add_argument("--ray-address", metavar="ADDR", help="as for run")
    t.add_argument("--container-engine", choices=list(ENGINES), help="as for run")
    t.add_argument("--skip-broken", action="store_true", help="broken task files do not fail the check (grader "
                                                               "problems still do)")
    rp = sub.add_parser("reprice", help="recompute a run's dollars from stored usage (no model is called)")
    rp.add_argument("run", type=Path)
    rp.add_argument("--prices", type=Path, help="a price file that overrides or adds catalog entries")
    rp.add_argument("--gpu-hour-usd", type=float, help="new $/GPU-hour for self-hosted sessions")
    rp.add_argument("--gpus", type=int, help="new GPU count for self-hosted sessions")
    rp.add_argument("--bill-from", choices=BILL_FROM, help="as for run: launch or ready")
    sv = sub.add_parser("serve", help="start a vLLM server with a preset; other flags go to vLLM",
                        epilog="example: pertask serve --preset glm-5 --model /models/GLM-5.2-FP8 --tensor-parallel-size 8")
    sv.add_argument("--model", required=True, help="model folder (or a hub id whose weights are cached locally)")
    sv.add_argument("--preset", help="family preset (default: detected from the model's name and config)")
    sv.add_argument("--port", type=int, help="default: a free port")
    sv.add_argument("--host", default="127.0.0.1", help="the address vLLM listens on (default 127.0.0.1)")
    sv.add_argument("--name", help="served model name (default: the folder's name)")
    pr = sub.add_parser("prices", help="show the price catalog")
    pr.add_argument("model", nargs="?", help="only entries whose model name contains this text")
    pr.add_argument("--prices", type=Path, help="a price file that overrides or adds catalog entries")
    pr.add_argument("--wide", action="store_true", help="every column (sources, long context, batch) at any width")
    pr.add_argument("--all", action="store_true", help="every dated entry, not only those in force today")
    pr.add_argument("--json", action="store_true", help="print the entries as JSON")
    pr.add_argument("--hardware", action="store_true",
                    help="the hardware profiles instead: memory, bandwidth and each dated, sourced $/hour tier")
    vw = sub.add_parser("view", help="a local web app over run directories: runs, summaries, filtered samples, "
                                     "transcripts with their failed checks; follows a run that is still writing")
    vw.add_argument("where", nargs="?", type=Path, default=Path("runs"), help="a folder of runs, or one run (default ./runs)")
    vw.add_argument("--port", type=int, default=8765, help="on 127.0.0.1 (default 8765; 0: any free port)")
    rl = sub.add_parser("runs", help="list run directories: suite, models, samples done, state (running, complete, "
                                     "resumable)")
    rl.add_argument("where", nargs="?", type=Path, default=Path("runs"), help="default: ./runs")
    rl.add_argument("--json", action="store_true")
    sub.add_parser("datasets", help="list the public benchmarks --suite fetches by name").add_argument(
        "action", choices=["list"])
    im = sub.add_parser("images", help="build pertask's local Debian bases from the package archive (no registry)")
    im.add_argument("action", choices=["base"])
    im.add_argument("release", nargs="*", choices=list(RELEASES), help="default: all three")
    sub.add_parser("providers", help="list the endpoint profiles: wire, base URL, key variable, reasoning, settings")
    px = sub.add_parser("proxy", help="serve one model through the metering proxy, for an agent run outside pertask")
    px.add_argument("--model", required=True, metavar="SPEC", help="as for run (its key stays in this process)")
    px.add_argument("--port", type=int, default=0, help="default: any free port on 127.0.0.1")
    px.add_argument("--ledger", type=Path, metavar="FILE", help="append each metered call here (JSON lines)")
    px.add_argument("--prices", type=Path, help="a price file that overrides or adds catalog entries")
    pb = sub.add_parser("probe", help="before a full run: each model's tool-call fidelity on 32 shipped prompts against a "
                                      "reference, or (--sweep) the concurrency it takes before rate limits")
    pb.add_argument("--model", action="append", required=True, metavar="SPEC", help="as for run; repeat it")
    pb.add_argument("--reference", metavar="SPEC", help="what the others are compared with (default: the first)")
    pb.add_argument("--repeats", type=int, default=3, help="times each prompt is sent (default 3)")
    pb.add_argument("--sweep", action="store_true", help="concurrency 1, 2, 4, ...: throughput, latency, first 429s")
    pb.add_argument("--max-concurrency", type=int, default=32, help="the sweep's last step (default 32)")
    pb.add_argument("--max-calls", type=int, default=400, help="the sweep's calls per model, at most (default 400)")
    pb.add_argument("--budget-usd", type=float, help="the sweep stops a model once it has spent this")
    pb.add_argument("--prices", type=Path, help="a price file that overrides or adds catalog entries")
    pb.add_argument("--json", action="store_true", help="print one JSON object")
    sub.add_parser("claims", help="every published claim, as stated and recomputed from the price catalog (a report "
                                  "shows those its runs include)").add_argument("--prices", type=Path, help="as for run")
    pw = sub.add_parser("pairwise", help="rank the models of judged runs by pairwise comparison of their deliverables "
                                         "(Elo with 95%% intervals, per check type and overall)")
    pw.add_argument("runs", nargs="+", type=Path, help="run directories made with --judge (their transcripts keep "
                                                       "what the judges saw)")
    gr = sub.add_parser("grade", help="grade deliverables pertask did not make (FOLDER/MODEL/TASK_ID/...) by a judge "
                                      "panel: rubric checks, then pairwise Elo; no model is called but the judges")
    gr.add_argument("suite", help="the suite the deliverables answer (its tasks' grader/checks.jsonl)")
    gr.add_argument("folder", type=Path, nargs="?", help="a folder per model, each with a folder per task id "
                                                         "(default: the suite's own submissions/, as AA publishes)")
    gr.add_argument("--panel", choices=["draw", "majority"], default="draw", help="as for run")
    for p in (pw, gr):
        p.add_argument("--judge", action="append", required=True, metavar="MODEL",
                       help="a judge of the panel (repeat it): one is drawn per check or comparison; each pair of "
                            "deliverables is judged in both orders")
        p.add_argument("--anchor", metavar="MODEL=SCORE", help="fix a model's Elo (default: the models' mean is 1000)")
        p.add_argument("--prices", type=Path, help="a price file that overrides or adds catalog entries")
        p.add_argument("--json", action="store_true", help="print one JSON object")
    ap.run_parser = r  # its defaults tell an experiment file's values from flags left unset
    return ap
