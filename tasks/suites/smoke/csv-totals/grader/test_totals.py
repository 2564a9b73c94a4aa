import os
import subprocess
import sys
from pathlib import Path

WS = Path(os.environ.get("PYTHONPATH", ".")).resolve()


def run(tmp_path, text):
    f = tmp_path / "in.csv"
    f.write_text(text)
    out = subprocess.run([sys.executable, "-m", "ledger", "totals", str(f)], cwd=WS,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_sample_file():
    out = subprocess.run([sys.executable, "-m", "ledger", "totals", "data/sample.csv"], cwd=WS,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "infrastructure\t200.00\nlegal\t1250.50\nmeals\t69.40\ntravel\t54.10\n"


def test_quoted_commas(tmp_path):
    text = 'date,payee,category,amount\n2026-01-01,"A, B",x,1.00\n2026-01-02,"C, D, E",x,2.50\n'
    assert run(tmp_path, text) == "x\t3.50\n"


def test_thousands_separator(tmp_path):
    text = 'date,payee,category,amount\n2026-01-01,P,big,"12,000.25"\n'
    assert run(tmp_path, text) == "big\t12000.25\n"


def test_escaped_quotes(tmp_path):
    text = 'date,payee,category,amount\n2026-01-01,"Say ""hi"", ok",q,5\n'
    assert run(tmp_path, text) == "q\t5.00\n"


def test_simple_rows_still_work(tmp_path):
    text = "date,payee,category,amount\n2026-01-01,P,b,1\n2026-01-02,Q,a,2\n\n"
    assert run(tmp_path, text) == "a\t2.00\nb\t1.00\n"
