"""Generates the `documents` suite: piles of mail, chat, notes and office files, a deliverable
to write, deterministic checks, and a reference solution. Seeded, so a variant is reproducible.

    python -m tasks.authoring.documents      # rewrites tasks/suites/documents/
"""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
from pathlib import Path

from .doc_checks_lib import HELPERS
from .docfiles import address, chat, docx_bytes, eml, noise, pdf_bytes, person, write, xlsx_bytes

SUITE = Path(__file__).resolve().parents[1] / "suites" / "documents"
READING = ("The files are in this folder. Office files can be read with `python3`: `openpyxl` (.xlsx), "
           "`python-docx` (.docx), `pypdf` (.pdf) and the standard `email` module (.eml, with attachments) "
           "are installed. Where sources disagree, the most recent authoritative one wins.")


def _money(x: float) -> str:
    return f"${x:,.2f}"


# ============================================================ budget reconciliation
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


# ============================================================ commitments extraction
def commitments(root: Path, v: dict, rnd: random.Random) -> tuple[str, str, str, dict]:
    domain, project = v["domain"], v["project"]
    people = []
    while len(people) < 7:
        p = person(rnd)
        if p.split()[0] not in {q.split()[0] for q in people}:
            people.append(p)
    lead = people[0]
    actions = [("draft the data migration plan", "migration plan"), ("shortlist three vendors", "vendor"),
               ("complete the security review", "security review"), ("run the customer survey", "survey"),
               ("update the training materials", "training"), ("book the go-live war room", "war room"),
               ("sign off the test strategy", "test strategy")]
    base = dt.date(2026, 3, 2)
    items = []
    for i, (action, key) in enumerate(actions):
        items.append({"owner": people[1 + i % 6], "action": action, "key": key,
                      "due": str(base + dt.timedelta(days=7 + 5 * i + rnd.randrange(4)))})
    reassigned, moved, cancelled, hidden = items[1], items[2], items[3], items[6]
    new_owner = next(p for p in people[1:] if p != reassigned["owner"])
    new_due = str(dt.date.fromisoformat(moved["due"]) + dt.timedelta(days=rnd.randrange(10, 25)))
    notes = [f"# {project} kickoff - {base}", "", f"Attendees: {', '.join(people)}", "", "## Actions"]
    for it in items[:6]:
        notes.append(f"- {it['owner'].split()[0]} to {it['action']} by {it['due']}")
    notes += ["", "## Discussion", "- Budget is on track; nobody needs to do anything about the logo yet.",
              "- Someone should eventually look at archiving old tickets (no owner, not an action)."]
    write(root / "notes" / f"{project.lower().replace(' ', '-')}-kickoff.md", "\n".join(notes) + "\n")
    write(root / "people.csv", "name,email,team\n" + "".join(
        f"{p},{p.lower().replace(' ', '.')}@{domain},{rnd.choice(['ops', 'it', 'finance', 'product'])}\n"
        for p in people))
    t0 = dt.datetime(2026, 3, 3, 10)
    write(root / "chat" / f"{project.lower().replace(' ', '-')}-channel.txt", chat([
        (t0, lead, "thanks all for the kickoff"),
        (t0 + dt.timedelta(hours=26), reassigned["owner"], f"heads up: I'm out from next week, can someone take "
                                                            f"the {reassigned['key']} item?"),
        (t0 + dt.timedelta(hours=27), new_owner.split()[0], "I can take it"),
        (t0 + dt.timedelta(hours=27, minutes=5), lead, f"ok - {new_owner} now owns: {reassigned['action']}, "
                                                        "same due date"),
        (t0 + dt.timedelta(hours=50), people[4], "who has the projector remote?")]))
    eml(root / "mail" / "project" / "01-date-change.eml", address(moved["owner"], domain),
        address(lead, domain), t0 + dt.timedelta(days=4), f"{project}: {moved['key']} date",
        f"Hi {lead.split()[0]},\n\nThe auditors can only start later, so I'm moving my {moved['key']} "
        f"due date from {moved['due']} to {new_due}. Everything else on my list is unchanged.\n\n"
        f"{moved['owner'].split()[0]}")
    write(root / "minutes" / "steering-committee.docx", docx_bytes(f"{project} steering committee", [
        f"Date: {t0.date() + dt.timedelta(days=6)}", f"Chair: {lead}",
        f"Decision: the action to {cancelled['action']} is cancelled; marketing already has the data.",
        "Decision: the go-live date is unchanged."]))
    eml(root / "mail" / "project" / "02-action-log.eml", address(lead, domain), f"{project.lower().replace(' ', '-')}"
        f"@{domain}", t0 + dt.timedelta(days=7), f"{project} action log",
        "Hi all,\n\nAttached is the action log with the one item we added after the kickoff.\n\n" + lead,
        attachments=[("action-log.docx", docx_bytes("Action log", ["Items added after the kickoff:"],
                                                      [["Owner", "Action", "Due"],
                                                       [hidden["owner"], hidden["action"], hidden["due"]]]))])
    noise(root, rnd, v["noise"], domain, dt.datetime(2026, 2, 15))
    final = []
    for it in items:
        if it is cancelled:
            continue
        owner = new_owner if it is reassigned else it["owner"]
        due = new_due if it is moved else it["due"]
        final.append({"owner": owner, "action": it["action"], "due": due, "key": it["key"]})
    instruction = f"""
Our {project} project's commitments are scattered across kickoff notes, chat, mail and
committee minutes. Produce the current list of open commitments.

Write `commitments.json` in this folder: a JSON array with one object per commitment, each
with `owner` (the person's full name), `action` (a short description) and `due` (an ISO date,
`YYYY-MM-DD`). Leave out anything that was cancelled, and reflect every later change of owner or date.

{READING}
"""
    expected = {"items": final, "cancelled": cancelled["key"], "old_owner": [reassigned["key"], reassigned["owner"]],
                "old_due": [moved["key"], moved["due"]]}
    checks = '''
def _items(ws):
    data = json.loads(_text(ws, "commitments.json"))
    assert isinstance(data, list), "commitments.json must hold a JSON array"
    return data


def _find(ws, key):
    hits = [i for i in _items(ws) if key.lower() in str(i.get("action", "")).lower()]
    assert len(hits) == 1, f"{len(hits)} items about '{key}'"
    return hits[0]


def check_shape(ws):
    for i in _items(ws):
        assert {"owner", "action", "due"} <= set(i), f"item without owner/action/due: {i}"
        assert re.fullmatch(r"\\d{4}-\\d{2}-\\d{2}", str(i["due"])), f"due not ISO: {i['due']}"


def check_count(ws):
    assert len(_items(ws)) == len(EXPECTED["items"]), f"{len(_items(ws))} items, expected {len(EXPECTED['items'])}"


def check_cancelled_item_absent(ws):
    assert not [i for i in _items(ws) if EXPECTED["cancelled"] in str(i.get("action", "")).lower()]


def check_reassigned_owner(ws):
    key, old = EXPECTED["old_owner"]
    item = _find(ws, key)
    want = next(i for i in EXPECTED["items"] if i["key"] == key)["owner"]
    assert item["owner"].strip().lower() == want.lower(), f"owner {item['owner']}, expected {want} (not {old})"


def check_moved_due_date(ws):
    key, old = EXPECTED["old_due"]
    want = next(i for i in EXPECTED["items"] if i["key"] == key)["due"]
    assert _find(ws, key)["due"] == want, f"due {_find(ws, key)['due']}, expected {want} (not {old})"


def check_item_from_attachment(ws):
    want = EXPECTED["items"][-1]
    item = _find(ws, want["key"])
    assert (item["owner"].strip().lower(), item["due"]) == (want["owner"].lower(), want["due"])


def check_every_item_owner_and_date(ws):
    for want in EXPECTED["items"]:
        item = _find(ws, want["key"])
        assert item["owner"].strip().lower() == want["owner"].lower(), f"{want['key']}: owner {item['owner']}"
        assert item["due"] == want["due"], f"{want['key']}: due {item['due']}"
'''
    data = [{k: i[k] for k in ("owner", "action", "due")} for i in final]
    solve = "cat > commitments.json <<'JSON'\n" + json.dumps(data, indent=2) + "\nJSON\n"
    return instruction, checks, solve, expected


# ============================================================ board deck outline
def deck(root: Path, v: dict, rnd: random.Random) -> tuple[str, str, str, dict]:
    domain, company = v["domain"], v["company"]
    ceo, cfo, cro = person(rnd), person(rnd), person(rnd)
    months = ["April", "May", "June"]
    revenue = {m: rnd.randrange(900, 3000) * 1000 for m in months}
    restated = revenue["June"] - rnd.randrange(40, 200) * 1000
    old_total, total = sum(revenue.values()), sum(revenue.values()) - revenue["June"] + restated
    margin = round(rnd.uniform(52, 78), 1)
    write(root / "finance" / "q2_2026_revenue.xlsx", xlsx_bytes({"Revenue": [["Month", "Revenue (USD)"]] + [
        [m, revenue[m]] for m in months] + [["Total", old_total]]}))
    t0 = dt.datetime(2026, 7, 6, 9)
    eml(root / "mail" / "board" / "01-restatement.eml", address(cfo, domain), address(ceo, domain), t0,
        "June revenue restated", f"Hi {ceo.split()[0]},\n\nAfter the credit note to a reseller, June revenue is "
        f"restated to {_money(restated)} (from {_money(revenue['June'])}). Please use the restated figure in the "
        f"board pack; the spreadsheet will be updated after the audit.\n\nGross margin for the quarter: {margin}%.\n\n"
        + cfo)
    won = 0
    lines = ["account,stage,close_date,owner,amount"]
    for i in range(rnd.randrange(40, 90)):
        stage = rnd.choice(["Closed Won", "Closed Won", "Closed Lost", "Negotiation", "Proposal"])
        close = dt.date(2026, 3, 1) + dt.timedelta(days=rnd.randrange(150))
        if stage == "Closed Won" and dt.date(2026, 4, 1) <= close <= dt.date(2026, 6, 30):
            won += 1
        lines.append(f"Account {i:03d},{stage},{close},{person(rnd)},{rnd.randrange(5, 200) * 500}")
    write(root / "crm" / "opportunities_export.csv", "\n".join(lines) + "\n")
    churn_rows, churned = ["account,churn_date,reason"], 0
    for i in range(rnd.randrange(8, 20)):
        d = dt.date(2026, 2, 1) + dt.timedelta(days=rnd.randrange(170))
        churned += dt.date(2026, 4, 1) <= d <= dt.date(2026, 6, 30)
        churn_rows.append(f"Former {i:02d},{d},{rnd.choice(['price', 'features', 'merger', 'support'])}")
    write(root / "crm" / "churn_2026.csv", "\n".join(churn_rows) + "\n")
    risks = [["Risk", "Likelihood (1-5)", "Impact (1-5)", "Owner"]]
    names = ["Key supplier insolvency", "Data centre capacity", "Regulatory change in EU", "Loss of top customer",
             "Hiring freeze in engineering", "Currency exposure"]
    scores = rnd.sample([(5, 4), (4, 4), (3, 5), (2, 3), (3, 3), (2, 2)], 6)
    for name, (lk, im) in zip(names, scores, strict=True):
        risks.append([name, str(lk), str(im), person(rnd)])
    top = max(risks[1:], key=lambda r: int(r[1]) * int(r[2]))[0]
    write(root / "risk" / "risk_register_q2.docx", docx_bytes("Risk register, Q2 2026",
                                                             ["Score = likelihood x impact."], risks))
    ask_old, ask = rnd.randrange(8, 20) * 100_000, 0
    ask = ask_old + rnd.randrange(2, 6) * 100_000
    purpose = rnd.choice(["a second data centre in Frankfurt", "the APAC sales expansion",
                          "the platform re-architecture"])
    write(root / "chat" / "exec-team.txt", chat([
        (t0, ceo, f"for the board: we'll ask them to approve {_money(ask_old)} for {purpose}"),
        (t0 + dt.timedelta(hours=30), cro, "pipeline review moved to thursday"),
        (t0 + dt.timedelta(hours=52), cfo, f"correction on the ask: new quotes came in, it's {_money(ask)} "
                                           f"for {purpose}. use that one"),
        (t0 + dt.timedelta(hours=53), ceo, "ok, updated")]))
    noise(root, rnd, v["noise"], domain, dt.datetime(2026, 4, 1))
    instruction = f"""
Prepare the outline of {company}'s Q2 2026 board deck from the material in this folder.

Write `board_deck.md`: one `##` heading per slide, in this order: `Highlights`, `Financials`,
`Customers`, `Risks`, `Asks`. Under each, short bullet points. It must give the quarter's total
revenue and gross margin (Financials), the number of new customers won in the quarter and the
number lost (Customers), the top risk by score (Risks), and what the board is asked to approve,
with the amount (Asks).

{READING}
"""
    expected = {"slides": ["highlights", "financials", "customers", "risks", "asks"], "revenue": total,
                "old_revenue": old_total, "margin": margin, "won": won, "churned": churned, "top_risk": top,
                "ask": ask, "old_ask": ask_old}
    checks = '''
def _deck(ws):
    return _text(ws, "board_deck.md")


def check_slides_in_order(ws):
    titles = list(_sections(_deck(ws)))
    positions = []
    for s in EXPECTED["slides"]:
        hits = [i for i, t in enumerate(titles) if s in t]
        assert hits, f"no slide '{s}'"
        positions.append(hits[0])
    assert positions == sorted(positions), f"slides out of order: {titles}"


def check_restated_revenue(ws):
    assert _has_number(_section(_deck(ws), "financials"), EXPECTED["revenue"]), "quarter revenue missing or wrong"


def check_unrestated_revenue_absent(ws):
    assert not _has_number(_deck(ws), EXPECTED["old_revenue"], 0.0005), "uses the pre-restatement revenue"


def check_gross_margin(ws):
    assert _has_number(_section(_deck(ws), "financials"), EXPECTED["margin"], 0.001), "gross margin missing"


def check_new_customers(ws):
    assert str(EXPECTED["won"]) in re.findall(r"\\d+", _section(_deck(ws), "customers")), "new customers count"


def check_churned_customers(ws):
    assert str(EXPECTED["churned"]) in re.findall(r"\\d+", _section(_deck(ws), "customers")), "churned count"


def check_top_risk(ws):
    assert EXPECTED["top_risk"].lower() in _section(_deck(ws), "risks").lower(), "top risk not named"


def check_ask_amount(ws):
    assert _has_number(_section(_deck(ws), "asks"), EXPECTED["ask"], 0.001), "ask amount missing or wrong"


def check_superseded_ask_absent(ws):
    assert not _has_number(_deck(ws), EXPECTED["old_ask"], 0.0005), "mentions the superseded ask"
'''
    deck_md = f"""# {company} board deck, Q2 2026

## Highlights
- Revenue of {_money(total)} for the quarter; gross margin {margin}%.
- {won} new customers won.

## Financials
- Total Q2 revenue: {_money(total)} (June restated after a reseller credit note)
- Gross margin: {margin}%

## Customers
- New customers won in Q2: {won}
- Customers lost in Q2: {churned}

## Risks
- Top risk by score: {top}

## Asks
- Approve {_money(ask)} for {purpose}
"""
    return instruction, checks, f"cat > board_deck.md <<'MD'\n{deck_md}MD\n", expected


# ============================================================ customer escalation brief
def escalation(root: Path, v: dict, rnd: random.Random) -> tuple[str, str, str, dict]:
    domain, customer = v["domain"], v["customer"]
    am, sre, vp = person(rnd), person(rnd), person(rnd)
    start = dt.datetime(2026, 10, 6, rnd.randrange(1, 20), rnd.choice([0, 10, 25, 40]))
    minutes = rnd.randrange(70, 600)
    end = start + dt.timedelta(minutes=minutes)
    users_first, users = rnd.randrange(600, 1500), rnd.randrange(2000, 6000)
    fee = rnd.randrange(20, 90) * 1000
    availability = 100 * (1 - minutes / (30 * 24 * 60))
    pct = 25 if availability < 99.5 else 10 if availability < 99.9 else 0
    credit = fee * pct / 100
    tickets = [f"SUP-{rnd.randrange(10000, 99999)}" for _ in range(3)]
    cause = rnd.choice([("an expired TLS certificate on the API gateway", "certificate"),
                        ("a database failover that left replicas read-only", "failover"),
                        ("a faulty configuration push to the load balancers", "configuration")])
    log = ["timestamp,service,event,severity"]
    t = start - dt.timedelta(hours=3)
    while t < end + dt.timedelta(hours=2):
        log.append(f"{t:%Y-%m-%dT%H:%M}Z,api,heartbeat,info")
        t += dt.timedelta(minutes=rnd.randrange(10, 40))
    log += [f"{start:%Y-%m-%dT%H:%M}Z,api,OUTAGE START,critical", f"{end:%Y-%m-%dT%H:%M}Z,api,OUTAGE END,critical"]
    write(root / "ops" / "incident_log.csv", "\n".join([log[0]] + sorted(log[1:], key=lambda s: s[:17])) + "\n")
    write(root / "ops" / "postmortem.pdf", pdf_bytes(f"Postmortem: API outage {start:%Y-%m-%d}", [
        f"Author: {sre}", "Status: final", "",
        f"Root cause: {cause[0]}.", "Detection: customer reports before our alerting fired.",
        "Follow-ups: automate the check, add an alert, run a game day within 30 days."]))
    write(root / "contracts" / f"{customer.lower().replace(' ', '_')}_msa.docx", docx_bytes(
        f"Master services agreement: {customer}", [f"Monthly fee: {_money(fee)}.",
                                                   "Service credits, by monthly availability:"],
        [["Availability", "Credit (% of monthly fee)"], ["99.9% or more", "0"], ["99.5% to below 99.9%", "10"],
         ["below 99.5%", "25"]], ["Availability is measured over a 30-day month."]))
    t0 = end + dt.timedelta(hours=2)
    eml(root / "mail" / "escalation" / "01-customer.eml", f"cto@{customer.lower().replace(' ', '')}.example",
        address(am, domain), t0, f"Outage today - tickets {', '.join(tickets)}",
        f"Hello,\n\nToday's outage stopped our teams working. See tickets {', '.join(tickets)}. We expect "
        "a written explanation and the service credit under our agreement.\n\nRegards, their CTO")
    eml(root / "mail" / "escalation" / "02-impact-first.eml", address(sre, domain), address(am, domain),
        t0 + dt.timedelta(hours=1), "Impact estimate", f"First estimate: {users_first:,} of their users affected.")
    eml(root / "mail" / "escalation" / "03-impact-final.eml", address(sre, domain), address(am, domain),
        t0 + dt.timedelta(days=1), "Re: Impact estimate", f"Correction after the log analysis: {users:,} users "
        "were affected, not the first estimate. This number is final.")
    write(root / "chat" / "incident-channel.txt", chat([
        (start, sre, "paging: API errors climbing"), (start + dt.timedelta(minutes=12), vp, "status page updated"),
        (end, sre, "recovered, monitoring"), (end + dt.timedelta(minutes=30), vp, "thanks all, postmortem owner: "
                                                                                  + sre)]))
    noise(root, rnd, v["noise"], domain, dt.datetime(2026, 9, 1))
    instruction = f"""
{customer} escalated yesterday's outage to our VP. Write the customer-escalation brief the VP
will send: `escalation_brief.md`, with the sections (`##` headings) `Summary`, `Timeline`,
`Impact`, `Root cause` and `Next steps`.

It must name the customer and their ticket numbers, give the outage's start and end (UTC) and
its length in minutes (Timeline), the number of affected users (Impact), the root cause, and the
service credit we owe under their contract, in dollars (Next steps).

{READING}
"""
    expected = {"customer": customer, "tickets": tickets, "minutes": minutes, "users": users,
                "users_first": users_first, "cause": cause[1], "credit": credit,
                "sections": ["summary", "timeline", "impact", "root cause", "next steps"]}
    checks = '''
def _brief(ws):
    return _text(ws, "escalation_brief.md")


def check_sections(ws):
    titles = " | ".join(_sections(_brief(ws)))
    for s in EXPECTED["sections"]:
        assert s in titles, f"no section '{s}'"


def check_customer_and_tickets(ws):
    text = _brief(ws)
    assert EXPECTED["customer"].lower() in text.lower(), "customer not named"
    for t in EXPECTED["tickets"]:
        assert t in text, f"ticket {t} missing"


def check_outage_minutes(ws):
    assert str(EXPECTED["minutes"]) in re.findall(r"\\d+", _section(_brief(ws), "timeline")), "outage length"


def check_affected_users(ws):
    assert _has_number(_section(_brief(ws), "impact"), EXPECTED["users"], 0.0001), "affected users"


def check_first_estimate_absent(ws):
    assert not _has_number(_brief(ws), EXPECTED["users_first"], 0.0001), "uses the superseded first estimate"


def check_root_cause(ws):
    assert EXPECTED["cause"] in _section(_brief(ws), "root cause").lower(), "root cause"


def check_service_credit(ws):
    assert _has_number(_section(_brief(ws), "next steps"), EXPECTED["credit"], 0.001), "service credit amount"
'''
    brief = f"""# Escalation brief: {customer}

## Summary
{customer}'s API access failed on {start:%Y-%m-%d}. Tickets: {', '.join(tickets)}.

## Timeline
- Start: {start:%Y-%m-%d %H:%M} UTC
- End: {end:%Y-%m-%d %H:%M} UTC
- Length: {minutes} minutes

## Impact
- {users} users affected

## Root cause
- {cause[0]}

## Next steps
- Service credit of {_money(credit)} ({pct}% of the monthly fee)
- Automate the check and add alerting
"""
    return instruction, checks, f"cat > escalation_brief.md <<'MD'\n{brief}MD\n", expected


# ============================================================ procurement comparison
def procurement(root: Path, v: dict, rnd: random.Random) -> tuple[str, str, str, dict]:
    domain, product, seats = v["domain"], v["product"], v["seats"]
    buyer = person(rnd)
    vendors = v["vendors"]
    quotes = {}
    for name in vendors:
        quotes[name] = {"seat": rnd.randrange(8, 60), "setup": rnd.randrange(0, 40) * 1000,
                        "support": rnd.choice([0, 10, 15, 20]), "sso": rnd.random() > 0.25,
                        "eu": rnd.random() > 0.3}
    # at least two vendors meet the requirements, and one that does not is the cheapest on paper
    names = list(vendors)
    for n in names[:2]:
        quotes[n]["sso"] = quotes[n]["eu"] = True
    quotes[names[-1]].update(sso=False, eu=True, seat=min(q["seat"] for q in quotes.values()) - 3, setup=0)
    revised, old_seat = names[1], quotes[names[1]]["seat"]
    quotes[revised]["seat"] = old_seat - rnd.randrange(2, 6)

    def cost(q, seat=None):
        return round(q["setup"] + 3 * seats * (seat if seat is not None else q["seat"]) * (1 + q["support"] / 100), 2)

    def feature_lines(q):
        return [f"Single sign-on (SAML/OIDC): {'included' if q['sso'] else 'not available'}",
                f"Data residency: {'EU region available' if q['eu'] else 'US only'}"]

    def terms(q, seat):
        return [f"Price per seat per year: USD {seat}", f"One-time setup fee: USD {q['setup']:,}",
                f"Support and maintenance: {q['support']}% of the annual licence fee"]

    fmt = ["pdf", "docx", "eml", "xlsx"]
    for i, name in enumerate(names):
        q, slug = quotes[name], name.lower().replace(" ", "_")
        seat = old_seat if name == revised else q["seat"]
        kind = fmt[i % len(fmt)]
        if kind == "pdf":
            write(root / "quotes" / f"{slug}_quote.pdf", pdf_bytes(f"{name}: quotation for {product}",
                                                                  terms(q, seat) + feature_lines(q)))
        elif kind == "docx":
            write(root / "quotes" / f"{slug}_proposal.docx", docx_bytes(f"{name} proposal", terms(q, seat)
                                                                        + feature_lines(q)))
        elif kind == "eml":
            eml(root / "mail" / "vendors" / f"{slug}-quote.eml", f"sales@{slug}.example", address(buyer, domain),
                dt.datetime(2026, 5, 4 + i, 10), f"Quote: {product}",
                "Hello,\n\nOur offer:\n" + "\n".join("- " + x for x in terms(q, seat) + feature_lines(q)))
        else:
            write(root / "quotes" / f"{slug}_pricing.xlsx", xlsx_bytes({"Pricing": [["Item", "Value"]] + [
                ["Price per seat per year (USD)", seat], ["One-time setup fee (USD)", q["setup"]],
                ["Support (% of annual licence)", q["support"]],
                ["Single sign-on", "yes" if q["sso"] else "no"], ["EU data residency", "yes" if q["eu"] else "no"]]}))
    eml(root / "mail" / "vendors" / f"{revised.lower().replace(' ', '_')}-revised.eml",
        f"sales@{revised.lower().replace(' ', '_')}.example", address(buyer, domain), dt.datetime(2026, 5, 20, 15),
        f"Revised quote: {product}", f"Hello,\n\nFollowing our call we revise our price per seat per year from "
        f"USD {old_seat} to USD {quotes[revised]['seat']}. All other terms of our quote stand.")
    write(root / "requirements" / "requirements.docx", docx_bytes(f"{product}: requirements", [
        f"Seats: {seats} for three years.", "Must have: single sign-on (SAML or OIDC).",
        "Must have: data stored in the EU.", "Nice to have: a sandbox environment."]))
    noise(root, rnd, v["noise"], domain, dt.datetime(2026, 4, 1))
    costs = {n: cost(quotes[n]) for n in names}
    meets = {n: quotes[n]["sso"] and quotes[n]["eu"] for n in names}
    winner = min((n for n in names if meets[n]), key=lambda n: costs[n])
    instruction = f"""
We are buying {product} for {seats} users over three years and have quotes from
{', '.join(names)}. Compare them.

Write `comparison.csv` in this folder with the columns `vendor`, `three_year_cost` (setup fee plus
three years of licences and support, in USD) and `meets_requirements` (`yes` or `no`, against our
requirements document), one row per vendor. Then write `recommendation.md` recommending the
cheapest vendor that meets the requirements, in one short paragraph that names it.

{READING}
"""
    expected = {"costs": costs, "meets": meets, "winner": winner, "revised": [revised, cost(quotes[revised], old_seat)],
                "others": [n for n in names if n != winner]}
    checks = '''
def _rows(ws):
    return _table(ws, "comparison.csv")


def check_columns(ws):
    assert {"vendor", "three_year_cost", "meets_requirements"} <= set(_rows(ws)[0])


def check_every_vendor_once(ws):
    names = [r["vendor"].lower() for r in _rows(ws)]
    for v in EXPECTED["costs"]:
        assert names.count(v.lower()) == 1, f"{v}: {names.count(v.lower())} rows"


def check_revised_quote_used(ws):
    v, old = EXPECTED["revised"]
    got = _num(_row(_rows(ws), "vendor", v)["three_year_cost"])
    assert abs(got - EXPECTED["costs"][v]) <= 1, f"{v}: {got}, expected {EXPECTED['costs'][v]} (not {old})"


def check_costs(ws):
    for v, want in EXPECTED["costs"].items():
        got = _num(_row(_rows(ws), "vendor", v)["three_year_cost"])
        assert abs(got - want) <= 1, f"{v}: {got} != {want}"


def check_requirements(ws):
    for v, ok in EXPECTED["meets"].items():
        got = _row(_rows(ws), "vendor", v)["meets_requirements"].lower()
        assert got == ("yes" if ok else "no"), f"{v}: meets_requirements {got}"


def check_recommendation(ws):
    text = _text(ws, "recommendation.md").lower()
    assert EXPECTED["winner"].lower() in text, "recommended vendor not named"


def check_recommendation_is_unambiguous(ws):
    text = _text(ws, "recommendation.md").lower()
    for other in EXPECTED["others"]:
        assert not re.search(r"recommend\\w*\\W+(?:\\w+\\W+){0,3}" + re.escape(other.lower()), text), \\
            f"also recommends {other}"
'''
    rows = "\n".join(f"{n},{costs[n]:.2f},{'yes' if meets[n] else 'no'}" for n in names)
    solve = (f"cat > comparison.csv <<'CSV'\nvendor,three_year_cost,meets_requirements\n{rows}\nCSV\n"
             f"cat > recommendation.md <<'MD'\nWe recommend {winner}: it is the cheapest option over three years "
             f"(${costs[winner]:,.2f}) that meets the single sign-on and EU data requirements.\nMD\n")
    return instruction, checks, solve, expected


# ============================================================ the suite
FAMILIES = {"budget": budget, "commitments": commitments, "deck": deck, "escalation": escalation,
            "procurement": procurement}
DEPTS = ["Engineering", "Marketing", "Sales", "Operations", "People", "Facilities", "Legal", "Customer Success"]
VARIANTS = [
    ("budget-harrow", "budget", "medium", dict(company="Harrow Analytics", domain="harrow.example", depts=DEPTS[:5],
                                               out="reconciled.csv", noise=24)),
    ("budget-kestrel-xlsx", "budget", "hard", dict(company="Kestrel Foods", domain="kestrel.example", depts=DEPTS[:7],
                                                   out="reconciled.xlsx", noise=140)),
    ("budget-norvale", "budget", "medium", dict(company="Norvale Health", domain="norvale.example",
                                                depts=DEPTS[1:7], out="reconciled.csv", noise=60)),
    ("budget-pinecrest-xlsx", "budget", "hard", dict(company="Pinecrest Logistics", domain="pinecrest.example",
                                                     depts=DEPTS[2:], out="reconciled.xlsx", noise=260)),
    ("commitments-atlas", "commitments", "easy", dict(project="Atlas Migration", domain="atlas.example", noise=20)),
    ("commitments-beacon", "commitments", "medium", dict(project="Beacon CRM", domain="beacon.example", noise=90)),
    ("commitments-cinder", "commitments", "hard", dict(project="Cinder ERP", domain="cinder.example", noise=220)),
    ("deck-halden", "deck", "medium", dict(company="Halden Robotics", domain="halden.example", noise=30)),
    ("deck-ivory", "deck", "medium", dict(company="Ivory Bay Bank", domain="ivorybay.example", noise=110)),
    ("deck-juniper", "deck", "hard", dict(company="Juniper Grid", domain="junipergrid.example", noise=240)),
    ("escalation-lumen", "escalation", "easy", dict(customer="Lumen Retail", domain="ourcloud.example", noise=22)),
    ("escalation-marlow", "escalation", "medium", dict(customer="Marlow Insurance", domain="ourcloud.example",
                                                       noise=100)),
    ("escalation-orchid", "escalation", "hard", dict(customer="Orchid Telecom", domain="ourcloud.example", noise=230)),
    ("procurement-ticketing", "procurement", "medium", dict(product="a service-desk platform", seats=240,
                                                             vendors=["Helpwise", "Deskora", "Ticketly"],
                                                             domain="buyer.example", noise=40)),
    ("procurement-analytics", "procurement", "medium", dict(product="a BI and analytics suite", seats=85,
                                                             vendors=["Chartwell", "Insightly BI", "Quantix",
                                                                      "Metricon"], domain="buyer.example", noise=120)),
    ("procurement-security", "procurement", "hard", dict(product="endpoint security", seats=1200,
                                                          vendors=["Sentinel One-Stop", "Bastion", "Aegis Labs",
                                                                   "Warden"], domain="buyer.example", noise=250)),
]
TAGS = {"budget": ["reconciliation", "xlsx", "csv", "pdf"], "commitments": ["extraction", "json", "docx", "chat"],
        "deck": ["board-deck", "markdown", "xlsx", "docx"], "escalation": ["brief", "markdown", "pdf", "docx"],
        "procurement": ["comparison", "csv", "pdf", "docx", "xlsx"]}


def main(argv: list[str] = ()) -> int:
    """Writes the suite; with --check, writes it to a scratch folder and reports files that differ."""
    if "--check" in argv:
        import filecmp
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            generate(Path(tmp), quiet=True)
            cmp = filecmp.dircmp(tmp, SUITE)
            stale = _differences(cmp)
        for s in stale:
            print(f"stale: {s} (run python -m tasks.authoring.documents)")
        return 1 if stale else 0
    generate(SUITE)
    return 0


def _differences(cmp, prefix: str = "") -> list[str]:
    out = [prefix + n for n in cmp.left_only + cmp.right_only + cmp.diff_files + cmp.funny_files]
    for name, sub in cmp.subdirs.items():
        out += _differences(sub, f"{prefix}{name}/")
    return out


def generate(suite: Path, quiet: bool = False) -> None:
    if suite.exists():
        shutil.rmtree(suite)
    for tid, family, tier, variant in VARIANTS:
        folder = suite / tid
        rnd = random.Random(f"pertask-documents-{tid}")
        instruction, checks, solve, expected = FAMILIES[family](folder / "workspace", variant, rnd)
        tags = ", ".join(f'"{t}"' for t in TAGS[family])
        write(folder / "task.toml", f'id = "{tid}"\nkind = "document"\nversion = "1"\ndifficulty = "{tier}"\n'
                                    f"tags = [{tags}]\n\n[limits]\nmax_turns = 60\ntimeout_s = 1800\n\n"
                                    '[grader]\ntype = "checks"\n')
        write(folder / "instruction.md", instruction.strip() + "\n")
        write(folder / "grader" / "checks.py", HELPERS.replace("__EXPECTED__", 'json.loads(r"""' + json.dumps(
            expected, indent=1, default=str) + '""")') + checks)
        write(folder / "solution" / "solve.sh", "#!/usr/bin/env bash\nset -euo pipefail\n" + solve)
        if not quiet:
            print(f"{tid}: {sum(1 for p in (folder / 'workspace').rglob('*') if p.is_file())} files")


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
