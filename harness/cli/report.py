"""The commands that read run directories: report, reprice, view, runs."""

from __future__ import annotations

import argparse

from results.assumptions import assumptions
from results.prices import Catalog
from results.projection import project
from results.report import load_summary, render_table
from results.reports import files as report_files
from results.reports import write as write_report
from results.rundirs import list_runs, render_runs

from .console import UsageError, err


def cmd_report(a: argparse.Namespace) -> int:
    for name in report_files():  # a file that cannot be written is said before anything is printed
        if (path := getattr(a, name)) and not path.parent.is_dir():
            raise UsageError(f"--{name} {path}: the folder {path.parent} does not exist")
    catalog = Catalog.load(a.prices)
    summary = load_summary(a.runs, catalog, a.baseline)
    if a.project_on:
        summary["projections"] = [row for d in a.runs
                                  for row in project(d, a.project_on.split(","), catalog, summary["warnings"])]
        summary["assumptions"] = assumptions(a.runs, summary["projections"])
    write_report("json" if a.json else "terminal", summary, a.runs)
    for name in report_files():
        for path in write_report(name, summary, a.runs, getattr(a, name)) if getattr(a, name) else []:
            err.print(f"wrote {path}", highlight=False)
    return 0


def cmd_reprice(a: argparse.Namespace) -> int:
    from results.reprice import reprice

    r = reprice(a.run, Catalog.load(a.prices), gpu_hour_usd=a.gpu_hour_usd, gpus=a.gpus, bill_from=a.bill_from)
    err.print(f"repriced {r['samples']} samples: ${r['usd_before']:.6f} -> ${r['usd_after']:.6f}"
              + (f" ({r['unpriced']} still without a price: null)" if r["unpriced"] else ""), highlight=False)
    render_table(load_summary([a.run], Catalog.load(a.prices)))
    return 0


def cmd_view(a: argparse.Namespace) -> int:
    from results.viewer_server import serve_viewer

    if not a.where.is_dir():
        raise UsageError(f"pertask view: {a.where} is not a folder of runs")
    server = serve_viewer(a.where, a.port)
    err.print(f"pertask view: http://127.0.0.1:{server.server_address[1]}/ over {a.where} (Ctrl-C stops it)",
              highlight=False)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


def cmd_list_runs(a: argparse.Namespace) -> int:
    render_runs(list_runs(a.where), a.where, a.json)
    return 0



def cmd_judged(a: argparse.Namespace) -> int:
    """`pairwise` (judged runs ranked) and `grade` (a folder of deliverables graded), by a panel of judges."""
    import asyncio

    from harness.run.pairwise import parse_anchor, rank_with
    from harness.run.submissions import grade_folder
    from results.ranking import render_grading, render_ranking
    from tasks import load_suite

    catalog, anchor = Catalog.load(a.prices), parse_anchor(a.anchor)
    if a.cmd == "pairwise":
        render_ranking(asyncio.run(rank_with(a.runs, a.judge, catalog, anchor)), as_json=a.json)
    else:
        out = grade_folder(load_suite(a.suite), a.folder, a.judge, catalog, a.panel, anchor)
        render_grading(asyncio.run(out), as_json=a.json)
    return 0
