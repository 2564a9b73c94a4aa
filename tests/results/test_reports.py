"""Report formats are looked up by name in REPORTS; `report` takes a flag for each that writes a file."""

from __future__ import annotations

import json

import pytest

from harness.cli.parser import make_parser
from results.reports import REPORTS, ReportFormat


def test_a_format_added_to_the_table_alone_is_a_report_flag(cli, tmp_path, monkeypatch):
    out = tmp_path / "run"
    code, _, err = cli("run", "--suite", "smoke", "--task", "fix-median", "--model", "oracle", "--model", "null",
                       "--out", out)
    assert code == 0, err
    monkeypatch.setitem(REPORTS, "lines", ReportFormat("tests.results.one_line_report:write", "one line a model"))
    report = next(a for a in make_parser()._subparsers._group_actions[0].choices.values() if a.prog.endswith("report"))
    assert "--lines FILE" in report.format_help() and "one line a model" in report.format_help()
    code, printed, err = cli("report", out, "--json", "--lines", tmp_path / "r.tsv", "--csv", tmp_path / "r.csv")
    assert code == 0, err
    models = {m["model"]: m for m in json.loads(printed)["models"]}
    rows = [line.split("\t") for line in (tmp_path / "r.tsv").read_text().splitlines()]
    assert {r[0]: float(r[1]) for r in rows} == {"oracle": 1.0, "null": 0.0} == {k: m["accuracy"] for k, m in models.items()}
    assert f"wrote {tmp_path / 'r.tsv'}" in err and f"wrote {tmp_path / 'r.csv'}" in err
    monkeypatch.delitem(REPORTS, "lines")  # gone from the table: gone from the command line
    with pytest.raises(SystemExit):
        cli("report", out, "--lines", tmp_path / "x")
    assert not (tmp_path / "x").exists()
