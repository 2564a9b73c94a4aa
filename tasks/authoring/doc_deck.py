"""The documents suite: board deck outline tasks."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from .docfiles import READING, address, chat, docx_bytes, eml, noise, person, write, xlsx_bytes
from .docfiles import money as _money


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
