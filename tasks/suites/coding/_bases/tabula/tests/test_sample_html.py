from decimal import Decimal

import pytest

from tabula import writers
from tabula.errors import PipelineError
from tabula.sample import head, random_sample, stratified, tail

ROWS = [{"i": i, "country": "FR" if i == 7 else ("DE" if i % 2 else "US")} for i in range(100)]


def test_head_tail_random():
    assert [r["i"] for r in head(ROWS, 3)] == [0, 1, 2] and [r["i"] for r in tail(ROWS, 2)] == [98, 99]
    assert head(ROWS, -1) == [] and tail(ROWS, 0) == []
    a, b = random_sample(ROWS, 10, seed=1), random_sample(ROWS, 10, seed=1)
    assert a == b and len(a) == 10 and [r["i"] for r in a] == sorted(r["i"] for r in a)
    assert random_sample(ROWS[:3], 10) == ROWS[:3]


def test_stratified_keeps_rare_groups_and_shares():
    s = stratified(ROWS, "country", 0.1, seed=3)
    countries = [r["country"] for r in s]
    assert countries.count("FR") == 1 and countries.count("US") == 5 and countries.count("DE") == 5
    assert stratified(ROWS, "country", 0.1, seed=3) == s
    with pytest.raises(PipelineError):
        stratified(ROWS, "country", 0)
    with pytest.raises(PipelineError, match="no column"):
        stratified(ROWS, "region", 0.5)


def test_html_writer(tmp_path):
    path = writers.write([{"name": "<Ada>", "amount": Decimal("1.50")}], tmp_path / "out.html")
    page = path.read_text()
    assert "<title>out</title>" in page and "<td>&lt;Ada&gt;</td>" in page and '<td class="n">1.50</td>' in page
