"""The documents suite: budget reconciliation tasks."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

from .docfiles import READING, address, docx_bytes, eml, noise, pdf_bytes, person, write, xlsx_bytes
from .docfiles import money as _money


def budget(root: Path, v: dict, rnd: random.Random) -> tuple[str, str, str, dict]:
    domain, depts = v["domain"], v["depts"]
    cfo, ap, fpa = person(rnd), person(rnd), person(rnd)
    plan = {d: rnd.randrange(120, 900) * 1000 for d in depts}
    old_plan = {d: plan[d] + rnd.choice([-1, 1]) * rnd.randrange(5, 60) * 1000 for d in depts}
    tx = []
    n = 10000 + rnd.randrange(80000)
    for d in depts:
        for _ in range(rnd.randrange(8, 26)):
            n += rnd.randrange(1, 40)
            tx.append({"date": dt.date(2026, 7, 1) + dt.timedelta(days=rnd.randrange(92)), "invoice": f"INV-{n}",
                       "vendor": rnd.choice(["Northwind", "Contoso", "Globex", "Initech", "Umbrella", "Stark Supply",
                                             "Acme Corp", "Vandelay", "Hooli", "Soylent"]),
                       "department": d, "amount": round(rnd.uniform(400, 45000), 2)})
    dup_d, accr_d, corr_d, refc_d = rnd.sample(depts, 4)
    dup = rnd.choice([t for t in tx if t["department"] == dup_d])
    accr = rnd.choice([t for t in tx if t["department"] == accr_d])
    corr = rnd.choice([t for t in tx if t["department"] == corr_d])
    true_amount = corr["amount"]
    keyed = round(true_amount * 10, 2) if true_amount < 4000 else round(true_amount + 9000, 2)
    new_budget = plan[refc_d] + rnd.choice([-1, 1]) * rnd.randrange(20, 90) * 1000
    export = sorted(tx + [dict(dup)], key=lambda t: (t["date"], t["invoice"]))
    lines = ["date,invoice,vendor,department,amount"]
    for t in export:
        amount = keyed if t is corr else t["amount"]
        lines.append(f"{t['date']},{t['invoice']},{t['vendor']},{t['department']},{amount:.2f}")
    write(root / "finance" / "exports" / "gl_export_q3_2026.csv", "\n".join(lines) + "\n")
    budget_of = dict(plan, **{refc_d: new_budget})
    actual = {d: round(sum(t["amount"] for t in tx if t["department"] == d and t is not accr), 2) for d in depts}
    write(root / "finance" / "plan" / "plan_q3_2026.xlsx",
          xlsx_bytes({"Plan": [["Department", "Q3 2026 budget (USD)"]] + [[d, plan[d]] for d in depts]}))
    write(root / "finance" / "archive" / "plan_q3_2026_v1.xlsx",
          xlsx_bytes({"Plan": [["Department", "Q3 2026 budget (USD)"]] + [[d, old_plan[d]] for d in depts]}))
    t0 = dt.datetime(2026, 9, 1, 9)
    eml(root / "mail" / "finance" / "01-plan-approved.eml", address(cfo, domain), f"finance@{domain}", t0,
        "Q3 plan approved", f"Team,\n\nThe board approved the Q3 plan: use finance/plan/plan_q3_2026.xlsx. "
        f"The v1 file in the archive is obsolete; do not use its figures.\n\n{cfo}")
    eml(root / "mail" / "finance" / "02-duplicate.eml", address(fpa, domain), f"finance@{domain}",
        t0 + dt.timedelta(days=12), f"Fwd: {dup['invoice']} imported twice",
        "FYI, see below. Please count it once in the reconciliation.",
        forwarded=f"From: {address(ap, domain)}\nSubject: {dup['invoice']} imported twice\n\n"
                  f"The GL import ran twice for {dup['invoice']} ({dup['vendor']}, {_money(dup['amount'])}). "
                  "It was paid once. The export shows it twice until the next close.")
    eml(root / "mail" / "finance" / "03-accrual.eml", address(ap, domain), f"finance@{domain}",
        t0 + dt.timedelta(days=15), f"{accr['invoice']} belongs to Q2",
        f"Hi,\n\n{accr['invoice']} from {accr['vendor']} ({_money(accr['amount'])}, {accr_d}) was accrued in Q2 "
        "and must not count against Q3 actuals. It shows in the Q3 export only because of its payment date.\n\n"
        f"{ap}")
    eml(root / "mail" / "finance" / "04-keying-error.eml", address(ap, domain), f"finance@{domain}",
        t0 + dt.timedelta(days=18), f"Keying error on {corr['invoice']}",
        f"Hi,\n\nThe export has the wrong amount for {corr['invoice']} ({corr_d}); it was keyed by hand. "
        "The vendor's invoice is attached and is correct.\n\n" + ap,
        attachments=[(f"{corr['invoice']}.pdf", pdf_bytes(f"{corr['vendor']} - Invoice {corr['invoice']}", [
            f"Bill to: {v['company']}, {corr_d}", f"Invoice date: {corr['date']}",
            "Description: services as per order", f"Amount due: USD {true_amount:,.2f}", "Terms: net 30"]))])
    write(root / "finance" / "memos" / "reforecast_q3.docx", docx_bytes("Q3 reforecast", [
        f"Date: 2026-09-20. Author: {fpa}.",
        f"Following the mid-quarter reforecast, the {refc_d} budget for Q3 2026 is revised from "
        f"{_money(plan[refc_d])} to {_money(new_budget)}. This supersedes the approved plan for that "
        "department only; all other budgets are unchanged."]))
    noise(root, rnd, v["noise"], domain, dt.datetime(2026, 7, 1))
    out = v["out"]
    rows = [(d, budget_of[d], actual[d], round(budget_of[d] - actual[d], 2)) for d in depts]
    total = ("TOTAL", sum(r[1] for r in rows), round(sum(r[2] for r in rows), 2),
             round(sum(r[3] for r in rows), 2))
    instruction = f"""
You are helping {v['company']}'s finance team close Q3 2026. Reconcile each department's Q3 budget
with its actual spend, using the general-ledger export, the approved plan, and whatever the
mail and memos say about corrections.

Write `{out}` in this folder with the columns `department`, `budget`, `actual`, `variance`
(variance = budget − actual), one row per department, then a last row whose department is `TOTAL`.
Amounts are in US dollars.

{READING}
"""
    expected = {"out": out, "depts": depts, "budget": budget_of, "actual": actual, "old_plan": old_plan,
                "refc": [refc_d, plan[refc_d], new_budget], "dup": [dup_d, dup["amount"]],
                "accr": [accr_d, accr["amount"]], "corr": [corr_d, keyed, true_amount],
                "total": list(total[1:])}
    checks = '''
def _rows(ws):
    return _table(ws, EXPECTED["out"])


def check_columns(ws):
    assert {"department", "budget", "actual", "variance"} <= set(_rows(ws)[0]), "missing columns"


def check_one_row_per_department(ws):
    names = [r["department"].lower() for r in _rows(ws)]
    for d in EXPECTED["depts"]:
        assert names.count(d.lower()) == 1, f"{d}: {names.count(d.lower())} rows"


def check_reforecast_budget_used(ws):
    d, old, new = EXPECTED["refc"]
    got = _num(_row(_rows(ws), "department", d)["budget"])
    assert abs(got - new) < 0.51, f"{d} budget {got}, expected the reforecast {new} (not {old})"


def check_other_budgets_from_approved_plan(ws):
    for d in EXPECTED["depts"]:
        got = _num(_row(_rows(ws), "department", d)["budget"])
        assert abs(got - EXPECTED["budget"][d]) < 0.51, f"{d} budget {got} != {EXPECTED['budget'][d]}"


def check_duplicate_counted_once(ws):
    d, amount = EXPECTED["dup"]
    got = _num(_row(_rows(ws), "department", d)["actual"])
    assert abs(got - EXPECTED["actual"][d]) < 0.51, f"{d} actual {got} != {EXPECTED['actual'][d]}"


def check_q2_accrual_excluded(ws):
    d, amount = EXPECTED["accr"]
    got = _num(_row(_rows(ws), "department", d)["actual"])
    assert abs(got - EXPECTED["actual"][d]) < 0.51, f"{d} actual {got} != {EXPECTED['actual'][d]}"


def check_keying_error_corrected(ws):
    d, keyed, true = EXPECTED["corr"]
    got = _num(_row(_rows(ws), "department", d)["actual"])
    assert abs(got - EXPECTED["actual"][d]) < 0.51, f"{d} actual {got} != {EXPECTED['actual'][d]}"


def check_all_actuals(ws):
    for d in EXPECTED["depts"]:
        got = _num(_row(_rows(ws), "department", d)["actual"])
        assert abs(got - EXPECTED["actual"][d]) < 0.51, f"{d} actual {got} != {EXPECTED['actual'][d]}"


def check_variances(ws):
    for d in EXPECTED["depts"]:
        r = _row(_rows(ws), "department", d)
        want = EXPECTED["budget"][d] - EXPECTED["actual"][d]
        assert abs(_num(r["variance"]) - want) < 1.01, f"{d} variance {r['variance']} != {want:.2f}"


def check_total_row(ws):
    r = _row(_rows(ws), "department", "TOTAL")
    for col, want in zip(("budget", "actual", "variance"), EXPECTED["total"]):
        assert abs(_num(r[col]) - want) < 1.01, f"TOTAL {col} {r[col]} != {want:.2f}"


def check_obsolete_plan_not_used(ws):
    for d in EXPECTED["depts"]:
        got = _num(_row(_rows(ws), "department", d)["budget"])
        if EXPECTED["old_plan"][d] != EXPECTED["budget"][d]:
            assert abs(got - EXPECTED["old_plan"][d]) > 0.5, f"{d} uses the obsolete v1 budget"
'''
    table = [["department", "budget", "actual", "variance"]] + [[r[0], f"{r[1]:.2f}", f"{r[2]:.2f}", f"{r[3]:.2f}"]
                                                               for r in rows + [total]]
    if out.endswith(".xlsx"):
        solve = ("python3 - <<'PY'\nfrom openpyxl import Workbook\nwb = Workbook()\nws = wb.active\n"
                 f"for row in {json.dumps(table)}:\n    ws.append(row)\nwb.save({out!r})\nPY\n")
    else:
        solve = f"cat > {out} <<'CSV'\n" + "\n".join(",".join(r) for r in table) + "\nCSV\n"
    return instruction, checks, solve, expected
