"""Weeks 5-8 of a scenario (weeks.py has weeks 1-4 and what a task's description holds). These build on the
earlier weeks: the week 1 correction still holds in week 8, the price change and overhead rate of week 5 apply
from week 5 on, a correction that arrives in week 5 fixes a week 4 figure."""

from __future__ import annotations

from .weeks import needs, revenue_sources, workbook, xcell
from .world import OVERHEAD, World


def week5(w: World) -> dict:
    sc, f, n = w.sc, "deliverables/price-change.xlsx", len(w.sc.units)
    vol = {u: w.volume(5, u, 5) for u in sc.units}
    prices = [["Unit", "Old price", "New price", "Volume"]] + [
        [u, w.old_price[u], w.new_price[u], vol[u]] for u in sc.units]
    impact = [["Unit", "Revenue at old price", "Revenue at new price", "Change"]] + [
        [u, f"=Prices!B{i}*Prices!D{i}", f"=Prices!C{i}*Prices!D{i}", f"=C{i}-B{i}"]
        for i, u in ((i + 2, u) for i, u in enumerate(sc.units))]
    impact.append(["Total"] + [f"=SUM({c}2:{c}{n + 1})" for c in "BCD"])
    new = {u: vol[u] * w.new_price[u] for u in sc.units}
    change = round(sum(vol[u] * (w.new_price[u] - w.old_price[u]) for u in sc.units), 2)
    u2 = sc.units[2]
    checks = [xcell(f, "Prices", u2, "New price", w.new_price[u2], name=f"new_price_{u2}")]
    checks += [xcell(f, "Impact", u, "Revenue at new price", round(new[u], 2), True, ["Prices"], f"new_revenue_{u}")
               for u in sc.units]
    checks += [xcell(f, "Impact", "Total", "Change", change, True, name="total_change"),
               xcell(f, "Impact", "Total", "Revenue at new price", round(sum(new.values()), 2), True,
                     name="total_new_revenue")]
    return dict(file=f, needs=revenue_sources(w, range(5, 6), 5),
                doc=workbook(Prices=prices, Impact=impact), checks=checks,
                ask=f"Model the week 5 price change as `{f}`. Sheet `Prices`: columns Unit, Old price, New price, "
                    f"Volume (week 5's {sc.volume}), one row per {sc.unit_kind}. Sheet `Impact`: columns Unit, Revenue "
                    f"at old price, Revenue at new price, Change, one row per {sc.unit_kind}, each a formula over "
                    "`Prices`, and a last row labelled Total with SUM formulas.",
                traps=[{"check": f"new_price_{u2}", "right": w.new_price[u2], "raw": w.new_price_announced[u2]}],
                rubric=[("A", f"{u2}'s new price is {w.new_price[u2]:.2f} (the correction mail), not "
                              f"{w.new_price_announced[u2]:.2f} (the memo)."),
                        ("A", f"The week 5 revenue change from the new prices totals {change:,.2f}."),
                        ("C", "Revenue cells are formulas over the Prices sheet.")])


def contribution(w: World, as_of: int, weeks: range, rate=None) -> dict[str, dict]:
    out = {}
    for u in w.sc.units:
        rev = sum(w.revenue(k, u, as_of) for k in weeks)
        cost = sum(w.cost(k, u, as_of) for k in weeks)
        over = sum(w.revenue(k, u, as_of) * (rate or w.overhead_rate(k)) for k in weeks)
        out[u] = {"revenue": round(rev, 2), "cost": round(cost, 2), "overhead": round(over, 2),
                  "contribution": round(rev - cost - over, 2)}
    return out


def week6(w: World) -> dict:
    sc, f = w.sc, "deliverables/contribution-memo.docx"
    table = contribution(w, 6, range(1, 7))
    rows = [["Unit", "Revenue", "Direct cost", "Overhead", "Contribution"]] + [
        [u, *(f"{t[k]:.2f}" for k in ("revenue", "cost", "overhead", "contribution"))] for u, t in table.items()]
    tot = {k: round(sum(t[k] for t in table.values()), 2) for k in ("revenue", "cost", "overhead", "contribution")}
    rows.append(["Total", *(f"{tot[k]:.2f}" for k in ("revenue", "cost", "overhead", "contribution"))])
    doc = {"kind": "docx", "title": "Contribution, weeks 1-6", "sections": [
        {"heading": "Summary", "paragraphs": [f"Contribution over weeks 1-6 is {tot['contribution']:,.2f}."]},
        {"heading": f"Contribution by {sc.unit_kind}", "table": rows},
        {"heading": "Method", "paragraphs": [f"Overhead at {OVERHEAD[1]:.0%} of revenue in weeks 1-4 and "
                                             f"{OVERHEAD[5]:.0%} from week 5; corrected figures used."]}]}
    u1 = sc.units[1]
    checks = [{"name": "headings", "kind": "docx_headings", "file": f,
               "headings": ["Summary", f"Contribution by {sc.unit_kind}", "Method"]}]
    checks += [{"name": f"contribution_{u}", "kind": "docx_table", "file": f, "row": u, "col": "Contribution",
                "value": t["contribution"], "tol": 1.0} for u, t in table.items()]
    checks += [{"name": f"direct_cost_{u1}", "kind": "docx_table", "file": f, "row": u1, "col": "Direct cost",
                "value": table[u1]["cost"], "tol": 1.0},
               {"name": "total_overhead", "kind": "docx_table", "file": f, "row": "Total", "col": "Overhead",
                "value": tot["overhead"], "tol": 1.0},
               {"name": "total_contribution", "kind": "docx_table", "file": f, "row": "Total", "col": "Contribution",
                "value": tot["contribution"], "tol": 1.0}]
    careless = contribution(w, 4, range(1, 7), OVERHEAD[1])
    return dict(file=f, doc=doc, checks=checks,
                needs=revenue_sources(w, range(1, 7), 6) + needs(w, "overhead-page", "overhead-memo"),
                ask=f"Write the contribution memo for weeks 1-6 as `{f}`: headings Summary, Contribution by "
                    f"{sc.unit_kind} and Method. Under the second, a table with columns Unit, Revenue, Direct cost, "
                    f"Overhead, Contribution (weeks 1-6 summed, one row per {sc.unit_kind}, then a row labelled "
                    "Total), with overhead allocated as the company's policy says for each week. Under Method, how "
                    "you computed it.",
                traps=[{"check": f"direct_cost_{u1}", "right": table[u1]["cost"], "raw": careless[u1]["cost"]},
                       {"check": "total_overhead", "right": tot["overhead"],
                        "raw": round(sum(t["overhead"] for t in contribution(w, 6, range(1, 7), OVERHEAD[1]).values()),
                                     2)}],
                rubric=[("A", f"Total contribution for weeks 1-6 is {tot['contribution']:,.2f}."),
                        ("A", f"Overhead is {OVERHEAD[1]:.0%} of revenue for weeks 1-4 and {OVERHEAD[5]:.0%} from week "
                              "5."),
                        ("C", f"The week 4 direct cost for {u1} is the corrected one.")])


def week7(w: World) -> dict:
    sc, f = w.sc, "deliverables/board-update.pptx"
    weeks = [f"W{k}" for k in range(1, 8)]
    totals = [round(sum(w.revenue(k, u, 7) for u in sc.units), 2) for k in range(1, 8)]
    by_unit = {u: round(sum(w.revenue(k, u, 7) for k in range(1, 8)), 2) for u in sc.units}
    grand = sum(by_unit.values())
    titles = ["Revenue trend", f"Revenue by {sc.unit_kind}", "Risks", "Decisions needed"]
    card = w.scorecard(range(1, 5))  # week 4's scorecard: the board decides on its recommendation
    worst = min(card, key=lambda v: card[v]["score"])
    doc = {"kind": "pptx", "slides": [
        {"title": titles[0], "chart": {"type": "line", "categories": weeks, "series": {"Revenue": totals}}},
        {"title": titles[1], "table": [["Unit", "Revenue", "Share %"]] + [
            [u, f"{v:,.2f}", f"{100 * v / grand:.1f}"] for u, v in by_unit.items()]},
        {"title": titles[2], "bullets": ["Vendor performance.", "Price change take-up."]},
        {"title": titles[3], "bullets": [f"Approve ending the contract with {worst}."]}]}
    checks = [{"name": "titles", "kind": "pptx_titles", "file": f, "titles": titles},
              {"name": "trend", "kind": "pptx_chart", "file": f, "slide": titles[0], "categories": weeks,
               "values": totals},
              {"name": "trend_W6", "kind": "pptx_chart", "file": f, "slide": titles[0], "categories": weeks,
               "values": totals, "point": "W6"},
              {"name": "trend_W7", "kind": "pptx_chart", "file": f, "slide": titles[0], "categories": weeks,
               "values": totals, "point": "W7"}]
    checks += [{"name": f"revenue_{u}", "kind": "pptx_table", "file": f, "slide": titles[1], "row": u,
                "col": "Revenue", "value": v} for u, v in by_unit.items()]
    u0 = sc.units[0]
    checks.append({"name": "decision", "kind": "pptx_text", "file": f, "slide": titles[3], "value": worst})
    checks.append({"name": f"share_{u0}", "kind": "pptx_table", "file": f, "slide": titles[1], "row": u0,
                   "col": "Share", "value": round(100 * by_unit[u0] / grand, 1), "tol": 0.051})
    raw6 = round(sum(w.revenue(6, u, 5) for u in sc.units), 2)
    return dict(file=f, doc=doc, checks=checks,
                needs=revenue_sources(w, range(1, 8), 7) + needs(w, "scorecard-page", *(f"deliveries-{k}" for k in range(1, 5))),
                ask=f"Make the board update as `{f}`, four slides titled exactly: " + "; ".join(f'"{t}"' for t in titles)
                    + ". Slide 1: a line chart of total revenue by week, categories W1 to W7, one series. Slide 2: a "
                    f"table with columns Unit, Revenue, Share % (weeks 1-7 summed, share of the total with one "
                    f"decimal), one row per {sc.unit_kind}. Slide 3: short bullets. Slide 4: the decisions the board "
                    "must take, among them the vendor whose contract the scorecard of weeks 1-4 says to end.",
                traps=[{"check": "trend_W6", "right": totals[5], "raw": raw6}],
                rubric=[("A", f"Week 6 total revenue is {totals[5]:,.2f} (after the week 6 correction)."),
                        ("A", f"Week 7 total revenue is {totals[6]:,.2f} (the v2 summary)."),
                        ("C", "Revenue from week 5 uses the new prices, with the corrected price.")])


def week8(w: World) -> dict:
    sc, f, units = w.sc, "deliverables/quarter-model.xlsx", w.sc.units
    cols = "BCDEFGHIJ"
    weekly = [["Week", *units]] + [[f"W{k}", *(w.revenue(k, u, 8) for u in units)] for k in range(1, 9)]
    n = len(units)
    summary = [["Unit", "Total", "Share"]] + [
        [u, f"=SUM(Weekly!{cols[i]}2:{cols[i]}9)", f"=B{i + 2}/B{n + 2}"] for i, u in enumerate(units)]
    summary.append(["Total", f"=SUM(B2:B{n + 1})", f"=SUM(C2:C{n + 1})"])
    tot = {u: sum(w.revenue(k, u, 8) for k in range(1, 9)) for u in units}
    grand = sum(tot.values())
    checks = [xcell(f, "Weekly", "W1", units[0], w.revenue(1, units[0], 8), name=f"week1_{units[0]}")]
    checks += [xcell(f, "Summary", u, "Total", round(tot[u], 2), True, ["Weekly"], f"total_{u}") for u in units]
    checks += [xcell(f, "Summary", "Total", "Total", round(grand, 2), True, name="grand_total"),
               xcell(f, "Summary", units[0], "Share", tot[units[0]] / grand, True, name=f"share_{units[0]}",
                     tol=0.0005)]
    c = w.corrections[0]
    return dict(file=f, needs=revenue_sources(w, range(1, 9), 8),
                doc=workbook(Weekly=weekly, Summary=summary), checks=checks,
                ask=f"Build the quarter-to-date model as `{f}`. Sheet `Weekly`: columns Week, then one per "
                    f"{sc.unit_kind} ({', '.join(units)}); rows W1 to W8 with each week's revenue. Sheet `Summary`: "
                    "columns Unit, Total, Share, one row per unit where Total is a SUM formula over `Weekly` and "
                    "Share a formula (total over the grand total, as a fraction), and a last row labelled Total.",
                traps=[{"check": f"week1_{units[0]}", "right": w.revenue(1, units[0], 8),
                        "raw": round(c.raw * w.old_price[units[0]], 2)}],
                rubric=[("A", f"Revenue over weeks 1-8 totals {grand:,.2f}."),
                        ("A", f"Week 1 revenue for {units[0]} uses the corrected {sc.volume}."),
                        ("C", "Totals and shares are formulas over the weekly sheet.")])
