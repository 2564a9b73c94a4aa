from pathlib import Path

from tabula.pipeline import load_pipeline

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_example_pipeline(tmp_path):
    p = load_pipeline(EXAMPLES / "pipeline.toml")
    p.output = {"path": str(tmp_path / "totals.csv")}
    rows = p.run()
    assert [r["customer"] for r in rows] == ["Acme GmbH", "Borealis Ltd", "Cobalt Inc", "Dunmore & Co"]
    assert (tmp_path / "totals.csv").read_text().splitlines()[0] == "customer,n,amount_sum,qty_mean"
