"""Every report format carries the same figures: Markdown as the terminal writes them, CSV as numbers, and the
projections in each (JSON, HTML, Markdown, CSV), with a warning for a target that has nothing to project."""

from __future__ import annotations

import csv
import json

from tests.conftest import ROOT, run_json


def test_projections_and_readable_figures_in_every_format(cli, tmp_path):
    out = tmp_path / "run"
    run_json(cli, "run", "--suite", "smoke", "--model", "oracle", "--model",
             f"scripted:{ROOT / 'examples' / 'scripted-smoke.json'}", "--prices", ROOT / "examples" / "scripted-prices.toml",
             "--out", out)
    files = {k: tmp_path / f"r.{k}" for k in ("html", "md", "csv")}
    code, stdout, err = cli("report", out, "--project-on", "zai:glm-5.2,h200x8", "--json", "--html", files["html"],
                            "--markdown", files["md"], "--csv", files["csv"])
    assert code == 0, err
    summary = json.loads(stdout)
    (row,) = summary["projections"]  # h200x8 has no self-hosted session: a warning, not a silent drop
    assert row["target"] == "zai:glm-5.2" and row["run"] == str(out) and row["usd_per_task"] > 0
    assert any("--project-on h200x8: nothing to project" in w for w in summary["warnings"])
    scripted = next(m for m in summary["models"] if m["model"].startswith("scripted:"))

    md = files["md"].read_text()
    assert "**Projections**" in md and "| zai:glm-5.2 |" in md and "nothing to project" in md
    assert f"| {scripted['accuracy']:.0%} [" in md and "$0.00" in md and "0.4 " not in md

    with open(files["csv"]) as fh:
        rows = list(csv.DictReader(fh))
    got = next(r for r in rows if r["model"] == scripted["model"])
    assert float(got["accuracy"]) == scripted["accuracy"]
    assert [float(got["accuracy_low"]), float(got["accuracy_high"])] == scripted["accuracy_ci"]
    assert float(got["usd_per_task"]) == scripted["usd_per_task"] and int(got["errors_infra"]) == 0
    with open(tmp_path / "r-projections.csv") as fh:
        (p,) = list(csv.DictReader(fh))
    assert p["target"] == "zai:glm-5.2" and float(p["usd_per_task"]) == row["usd_per_task"]

    page = files["html"].read_text()
    assert '<table class="projections" id=\'projections\'>' in page and "zai:glm-5.2" in page
    assert "nothing to project" in page


def test_the_assumptions_block_in_html_markdown_and_json_comes_from_the_manifest(cli, tmp_path):
    out, md, page = tmp_path / "run", tmp_path / "r.md", tmp_path / "r.html"
    args = ["run", "--suite", "smoke", "--task", "fix-median", "--model", "oracle", "--model",
            f"scripted:{ROOT / 'examples' / 'scripted-smoke.json'}#temperature=0.2", "--prices",
            str(ROOT / "examples" / "scripted-prices.toml"), "--node", "h200x8@3.59", "--epochs", "2", "--out", str(out)]
    run_json(cli, *args)
    code, stdout, err = cli("report", out, "--json", "--markdown", md, "--html", page, "--project-on", "zai:glm-5.2")
    assert code == 0, err
    block = json.loads(stdout)["assumptions"]
    manifest = json.loads((out / "manifest.json").read_text())
    (run,) = block["runs"]
    assert (run["suite"], run["suite_version"], run["tasks"], run["epochs"]) == \
        ("smoke", manifest["suite_version"], 1, 2)
    assert run["harness_version"] == manifest["harness_version"] and run["command"] == "pertask " + " ".join(args) + " --json"
    scripted = next(m for m in run["models"] if m["spec"].startswith("scripted:"))
    entry = next(m for m in manifest["models"] if m["spec"] == scripted["spec"])["price"]
    assert scripted["price"]["source"] == entry["source"] and scripted["price"]["date"] == entry["date"]
    assert scripted["settings"] == {"temperature": 0.2}
    assert run["node"]["gpu_type"] == "h200" and run["node"]["gpus"] == 8 and run["node"]["gpu_hour_usd"] == 3.59
    (proj,) = block["projections"]
    assert proj["target"] == "zai:glm-5.2" and "list price" in proj["basis"]

    text = md.read_text()
    assert "**Assumptions**" in text and f"- command: pertask {' '.join(args)} --json" in text
    assert "- node: h200 × 8 GPU(s) at $3.59/h (given)" in text and "- projection: zai:glm-5.2:" in text
    html = page.read_text()
    assert '<ul class="assumptions" id="assumptions">' in html and 'data-kind="node"' in html
    assert f"suite smoke (version {manifest['suite_version'][:12]})" in html
