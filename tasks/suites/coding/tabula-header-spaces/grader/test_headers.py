from decimal import Decimal

from tabula.pipeline import load_pipeline
from tabula.readers import read


def _pipeline(tmp_path, data, name="in.csv", steps=""):
    (tmp_path / name).write_text(data)
    (tmp_path / "p.toml").write_text(f'[input]\npath = "{name}"\n[schema]\namount = "decimal"\nid = "int"\n' + steps)
    return load_pipeline(tmp_path / "p.toml")


def test_spaced_header_names_are_clean(tmp_path):
    (tmp_path / "a.csv").write_text("id, customer, amount\n1, Acme, 5\n")
    assert list(read(tmp_path / "a.csv")[0]) == ["id", "customer", "amount"]


def test_spaced_header_gets_typed(tmp_path):
    rows = _pipeline(tmp_path, "id, amount\n1, 12.50\n2, 3\n").run()
    assert rows == [{"id": 1, "amount": Decimal("12.50")}, {"id": 2, "amount": Decimal("3")}]


def test_filter_on_spaced_header(tmp_path):
    p = _pipeline(tmp_path, "id, amount\n1, 12.50\n2, -3\n", steps='[[steps]]\nop = "filter"\nwhere = "amount > 0"\n')
    assert [r["id"] for r in p.run()] == [1]


def test_tsv_spaced_header(tmp_path):
    rows = _pipeline(tmp_path, "id\t amount \n7\t1,000.25\n", name="in.tsv").run()
    assert rows == [{"id": 7, "amount": Decimal("1000.25")}]


def test_values_keep_their_text(tmp_path):
    (tmp_path / "a.csv").write_text('id, note\n1," padded "\n')
    assert read(tmp_path / "a.csv")[0]["note"] == " padded "


def test_plain_header_still_works(tmp_path):
    rows = _pipeline(tmp_path, "id,amount\n1,2\n").run()
    assert rows == [{"id": 1, "amount": Decimal("2")}]
