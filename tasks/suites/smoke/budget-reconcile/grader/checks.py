import re

EXPECTED = {
    "Engineering": (410000, 417500, 7500),
    "Marketing": (152000, 130200, -21800),
    "Sales": (198000, 196400, -1600),
    "Support": (87000, 88050, 1050),
}


def _num(text):
    return int(round(float(text.replace(",", "").replace("$", "").replace("−", "-").strip())))


def _rows(ws):
    rows = {}
    for line in (ws / "summary.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] in EXPECTED:
            rows[cells[0]] = tuple(_num(c) for c in cells[1:])
    return rows


def check_table_has_every_department(ws):
    assert set(_rows(ws)) == set(EXPECTED), f"rows found: {sorted(_rows(ws))}"


def check_engineering_and_sales(ws):
    rows = _rows(ws)
    assert rows["Engineering"] == EXPECTED["Engineering"] and rows["Sales"] == EXPECTED["Sales"]


def check_duplicate_invoice_removed(ws):
    assert _rows(ws)["Marketing"] == EXPECTED["Marketing"], "Print House INV-2002 counts once"


def check_late_accrual_added(ws):
    assert _rows(ws)["Support"] == EXPECTED["Support"], "INV-4002 (4,100) belongs to Support"


def check_total_variance(ws):
    m = re.search(r"Total variance:\s*\$?\s*([-−]?[\d,]+)", (ws / "summary.md").read_text())
    assert m, "no 'Total variance: N' line"
    assert _num(m.group(1)) == -14850


def check_superseded_figure_absent(ws):
    assert "162000" not in (ws / "summary.md").read_text().replace(",", ""), "uncorrected Marketing actual"
