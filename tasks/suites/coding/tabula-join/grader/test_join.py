from decimal import Decimal

import pytest

from tabula.errors import PipelineError
from tabula.pipeline import load_pipeline

ORDERS = "order_id,customer_id,amount,note\n1,10,5.00,a\n2,11,7.50,b\n3,99,1.00,c\n4,10,2.00,d\n"
CUSTOMERS = "customer_id,name,credit_limit,note\n10,Acme,1000,vip\n11,Borealis,250.5,\n"


def _run(tmp_path, step, customers=CUSTOMERS, cname="customers.csv", sub=""):
    (tmp_path / "orders.csv").write_text(ORDERS)
    target = tmp_path / sub / cname
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(customers)
    (tmp_path / "p.toml").write_text(
        '[input]\npath = "orders.csv"\n[schema]\norder_id = "int"\ncustomer_id = "int"\namount = "decimal"\n'
        '[[steps]]\nop = "join"\n' + step)
    return load_pipeline(tmp_path / "p.toml").run()


def test_left_join_enriches_and_keeps_unmatched(tmp_path):
    rows = _run(tmp_path, 'path = "customers.csv"\non = ["customer_id"]\nschema = { customer_id = "int" }\n')
    assert [r["order_id"] for r in rows] == [1, 2, 3, 4]
    assert rows[0]["name"] == "Acme" and rows[3]["name"] == "Acme" and rows[1]["name"] == "Borealis"
    assert rows[2]["name"] is None and rows[2]["credit_limit"] is None


def test_left_is_the_default(tmp_path):
    rows = _run(tmp_path, 'path = "customers.csv"\non = ["customer_id"]\nschema = { customer_id = "int" }\n')
    assert len(rows) == 4


def test_inner_join_drops_unmatched(tmp_path):
    rows = _run(tmp_path, 'path = "customers.csv"\non = ["customer_id"]\nhow = "inner"\n'
                          'schema = { customer_id = "int" }\n')
    assert [r["order_id"] for r in rows] == [1, 2, 4]


def test_other_schema_types_columns(tmp_path):
    rows = _run(tmp_path, 'path = "customers.csv"\non = ["customer_id"]\n'
                          'schema = { customer_id = "int", credit_limit = "decimal" }\n')
    assert rows[1]["credit_limit"] == Decimal("250.5")


def test_clashing_column_gets_right_suffix(tmp_path):
    rows = _run(tmp_path, 'path = "customers.csv"\non = ["customer_id"]\nschema = { customer_id = "int" }\n')
    assert rows[0]["note"] == "a" and rows[0]["note_right"] == "vip"


def test_duplicate_key_in_other_file_names_the_key(tmp_path):
    dup = CUSTOMERS + "11,Borealis Again,1,\n"
    with pytest.raises(PipelineError, match="11"):
        _run(tmp_path, 'path = "customers.csv"\non = ["customer_id"]\nschema = { customer_id = "int" }\n', dup)


def test_path_is_relative_to_the_pipeline_file(tmp_path, monkeypatch):
    monkeypatch.chdir("/")
    rows = _run(tmp_path, 'path = "ref/customers.csv"\non = ["customer_id"]\nschema = { customer_id = "int" }\n',
                sub="ref")
    assert rows[0]["name"] == "Acme"


def test_jsonl_other_file(tmp_path):
    data = '{"customer_id": 10, "name": "Acme"}\n{"customer_id": 11, "name": "Borealis"}\n'
    rows = _run(tmp_path, 'path = "customers.jsonl"\non = ["customer_id"]\n', data, cname="customers.jsonl")
    assert rows[1]["name"] == "Borealis"


def test_python_api():
    from tabula.transforms import join

    left = [{"k": 1, "x": "a"}, {"k": 2, "x": "b"}]
    right = [{"k": 2, "y": "B"}]
    assert join(left, right, on=["k"]) == [{"k": 1, "x": "a", "y": None}, {"k": 2, "x": "b", "y": "B"}]
    assert join(left, right, on=["k"], how="inner") == [{"k": 2, "x": "b", "y": "B"}]


def test_join_is_a_registered_step():
    from tabula.transforms import TRANSFORMS

    assert "join" in TRANSFORMS
