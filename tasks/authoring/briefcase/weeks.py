"""The eight weekly tasks of a scenario, weeks 1-4: each gives what the instruction asks for, the reference
deliverable (deliver.py's description), its deterministic checks (checks_lib.py's data, each a fact) and the
traps a careless reader falls into (the check that catches each, with the right and the careless figure)."""

from __future__ import annotations

from .world import NEW_RULE, OLD_RULE, World


def needs(w: World, *keys: str) -> list[str]:
    """The files a careful reader opens for a task: where its planted facts are (pile.py's record of them)."""
    return sorted({w.files[k] for k in keys if k in w.files})


def revenue_sources(w: World, weeks: range, as_of: int) -> list[str]:
    """What weekly revenue rests on: the summaries (or their v2), the corrections known by then, the prices."""
    keys = [f"summary-{k}" for k in weeks] + ["price-list"]
    keys += [f"correction-{c.week}-{c.field}" for c in w.corrections if c.known <= as_of and c.week in weeks]
    if weeks.stop > 5:
        keys += ["price-memo", "price-mail"]
    return needs(w, *keys)


def xcell(file, sheet, row, col, value, formula=False, refs=(), name="", tol=None):
    """A workbook's cell found by its row's label (column A) and its column's header (row 1), evaluated."""
    return {"name": name, "kind": "xlsx_cell", "file": file, "sheet": sheet, "row": row, "col": col,
            "value": value, "formula": formula, "refs": list(refs), **({"tol": tol} if tol is not None else {})}


def workbook(**sheets: list[list]) -> dict:
    """A reference .xlsx for deliver.py: its sheets in order, a cell "=..." a formula."""
    return {"kind": "xlsx", "sheets": [{"name": name, "rows": rows} for name, rows in sheets.items()]}


def week1(w: World) -> dict:
    sc, f, u0 = w.sc, "deliverables/baseline.xlsx", w.sc.units[0]
    vol = {u: w.volume(1, u, 1) for u in sc.units}
    rev = {u: w.revenue(1, u, 1) for u in sc.units}
    n = len(sc.units)
    inputs = [["Unit", "Volume", "Price"]] + [[u, vol[u], w.old_price[u]] for u in sc.units]
    model = [["Unit", "Revenue"]] + [[u, f"=Inputs!B{i + 2}*Inputs!C{i + 2}"] for i, u in enumerate(sc.units)]
    model.append(["Total", f"=SUM(B2:B{n + 1})"])
    checks = [xcell(f, "Inputs", u, "Volume", vol[u], name=f"volume_{u}") for u in sc.units]
    checks += [xcell(f, "Model", u, "Revenue", rev[u], True, ["Inputs"], f"revenue_{u}_formula") for u in sc.units]
    checks.append(xcell(f, "Model", "Total", "Revenue", round(sum(rev.values()), 2), True, name="total_formula"))
    c = w.corrections[0]
    return dict(file=f, needs=revenue_sources(w, range(1, 2), 1),
                doc=workbook(Inputs=inputs, Model=model), checks=checks,
                ask=f"Build the baseline revenue model for week 1 as `{f}`. Sheet `Inputs`: columns Unit, Volume, "
                    f"Price, one row per {sc.unit_kind} ({', '.join(sc.units)}), with week 1's {sc.volume} and the "
                    f"current {sc.price}. Sheet `Model`: columns Unit, Revenue, one row per {sc.unit_kind} where "
                    f"Revenue is a formula over `Inputs` (volume times price), and a last row labelled Total whose "
                    f"Revenue is a SUM formula. Finance will change the inputs, so the model must recompute.",
                traps=[{"check": f"volume_{u0}", "right": c.right, "raw": c.raw}],
                rubric=[("A", f"Uses the corrected week 1 {sc.volume} for {u0} ({c.right:,}), not {c.raw:,}."),
                        ("A", f"Total week 1 revenue is {sum(rev.values()):,.2f}."),
                        ("C", "Revenue cells are formulas over the inputs, so the model recomputes.")])


def week2(w: World) -> dict:
    sc, f = w.sc, "deliverables/incident-memo.docx"
    rows = [["Unit", "Lost", "Cost"]]
    for u, v in w.incident.items():
        rows.append([u, str(v["lost"]), f"{v['lost'] * v['unit_cost']:.2f}"])
    total = round(sum(v["lost"] * v["unit_cost"] for v in w.incident.values()), 2)
    rows.append(["Total", str(sum(v["lost"] for v in w.incident.values())), f"{total:.2f}"])
    doc = {"kind": "docx", "title": f"{sc.incident.capitalize()}: memo", "sections": [
        {"heading": "Summary", "paragraphs": [f"{sc.incident.capitalize()} cost {total:,.2f} in {sc.lost}."]},
        {"heading": "Impact", "table": rows},
        {"heading": "Actions", "paragraphs": [f"{w.owner} delivers the root-cause report by {w.due_moved}."]}]}
    checks = [{"name": "headings", "kind": "docx_headings", "file": f, "headings": ["Summary", "Impact", "Actions"]}]
    for u, v in w.incident.items():
        checks.append({"name": f"lost_{u}", "kind": "docx_table", "file": f, "row": u, "col": "Lost",
                       "value": v["lost"]})
        checks.append({"name": f"cost_{u}", "kind": "docx_table", "file": f, "row": u, "col": "Cost",
                       "value": round(v["lost"] * v["unit_cost"], 2)})
    checks.append({"name": "total_cost", "kind": "docx_table", "file": f, "row": "Total", "col": "Cost", "value": total})
    checks.append({"name": "owner", "kind": "docx_section", "file": f, "section": "Actions", "value": w.owner})
    checks.append({"name": "due_date", "kind": "docx_section", "file": f, "section": "Actions", "value": w.due_moved})
    u1 = sc.units[1]
    return dict(file=f, doc=doc, checks=checks, needs=needs(w, "incident-review", "due-mail"),
                ask=f"Write the memo on {sc.incident} as `{f}`: headings Summary, Impact and Actions. Under Impact a "
                    f"table with columns Unit, Lost, Cost: one row per affected {sc.unit_kind} with its {sc.lost} and "
                    f"their cost (lost times unit cost), then a row labelled Total. Under Actions, who owes the "
                    f"root-cause report and by when (the date as YYYY-MM-DD).",
                traps=[{"check": f"lost_{u1}", "right": w.incident[u1]["lost"], "raw": w.incident[u1]["estimate"]},
                       {"check": "due_date", "right": w.due_moved, "raw": w.due_first}],
                rubric=[("A", f"Gives {u1}'s {sc.lost} as {w.incident[u1]['lost']} (the review's final figure), not "
                              f"the early estimate of {w.incident[u1]['estimate']}."),
                        ("A", f"The total cost is {total:,.2f}."),
                        ("C", f"The root-cause report is due {w.due_moved} (moved from {w.due_first}).")])


def week3(w: World) -> dict:
    sc, f = w.sc, "deliverables/week3-review.pptx"
    vol = [w.volume(3, u, 3) for u in sc.units]
    rev = round(sum(w.revenue(3, u, 3) for u in sc.units), 2)
    card = w.scorecard(range(3, 4))
    titles = ["Week 3 at a glance", f"Volume by {sc.unit_kind}", "Vendors", "Next steps"]
    doc = {"kind": "pptx", "slides": [
        {"title": titles[0], "table": [["Metric", "Value"], ["Total volume", f"{sum(vol):,}"],
                                       ["Total revenue", f"{rev:,.2f}"]]},
        {"title": titles[1], "chart": {"type": "bar", "categories": list(sc.units), "series": {"Volume": vol}}},
        {"title": titles[2], "table": [["Vendor", "On-time %"]] + [[v, f"{c['on_time']:.1f}"] for v, c in card.items()]},
        {"title": titles[3], "bullets": ["Close the week 3 actions.", "Review vendors in week 4."]}]}
    u3, fixed = sc.units[3], sc.vendors[1]
    checks = [{"name": "titles", "kind": "pptx_titles", "file": f, "titles": titles},
              {"name": "chart", "kind": "pptx_chart", "file": f, "slide": titles[1], "categories": list(sc.units),
               "values": vol},
              {"name": f"chart_{u3}", "kind": "pptx_chart", "file": f, "slide": titles[1],
               "categories": list(sc.units), "values": vol, "point": u3},
              {"name": "total_volume", "kind": "pptx_table", "file": f, "slide": titles[0], "row": "Total volume",
               "col": "Value", "value": sum(vol)},
              {"name": "total_revenue", "kind": "pptx_table", "file": f, "slide": titles[0], "row": "Total revenue",
               "col": "Value", "value": rev}]
    checks += [{"name": f"on_time_{v}", "kind": "pptx_table", "file": f, "slide": titles[2], "row": v,
                "col": "On-time", "value": c["on_time"], "tol": 0.051} for v, c in card.items()]
    c = w.corrections[1]
    return dict(file=f, doc=doc, checks=checks, needs=revenue_sources(w, range(3, 4), 3) + needs(w, "deliveries-3"),
                ask=f"Make the week 3 operations review deck as `{f}`, four slides titled exactly: "
                    + "; ".join(f'"{t}"' for t in titles) + ". Slide 1: a table with columns Metric, Value and rows "
                    f"Total volume (week 3's {sc.volume}) and Total revenue (week 3). Slide 2: a bar chart, one "
                    f"category per {sc.unit_kind} in the order {', '.join(sc.units)}, one series: week 3's {sc.volume}. "
                    f"Slide 3: a table with columns Vendor, On-time % (week 3's {sc.supplies}, one decimal). "
                    "Slide 4: two or three next steps.",
                traps=[{"check": f"chart_{u3}", "right": c.right, "raw": c.raw},
                       {"check": f"on_time_{fixed}", "right": card[fixed]["on_time"],
                        "raw": w.scorecard(range(3, 4), corrected=False)[fixed]["on_time"]}],
                rubric=[("A", f"The chart shows {u3} at {c.right:,} (the v2 summary), not {c.raw:,}."),
                        ("A", f"{fixed}'s week 3 on-time rate is {card[fixed]['on_time']:.1f}% (corrected export)."),
                        ("C", "The deck notes that the week 3 summary and deliveries export were corrected.")])


def week4(w: World) -> dict:
    sc, f = w.sc, "deliverables/vendor-scorecard.pdf"
    card = w.scorecard(range(1, 5))
    worst = min(card, key=lambda v: card[v]["score"])
    old = w.scorecard(range(1, 5), OLD_RULE)
    lines = [f"{v}: on-time {c['on_time']:.1f}%, defects {c['defects']:.2f}%, score {c['score']:.1f}"
             for v, c in card.items()]
    doc = {"kind": "pdf", "title": f"{sc.company}: vendor scorecard, weeks 1-4", "sections": [
        {"heading": "Scores", "lines": lines},
        {"heading": "Recommendation", "lines": [f"Recommendation: end the contract with {worst}."]}]}
    checks = []
    for v, c in card.items():
        checks.append({"name": f"on_time_{v}", "kind": "pdf_line", "file": f, "label": v, "value": c["on_time"],
                       "tol": 0.051})
        checks.append({"name": f"score_{v}", "kind": "pdf_line", "file": f, "label": v, "value": c["score"],
                       "tol": 0.051})
    checks.append({"name": "recommendation", "kind": "pdf_line", "file": f, "label": "Recommendation",
                   "value": worst})
    fixed = sc.vendors[1]
    return dict(file=f, doc=doc, checks=checks,
                needs=needs(w, "scorecard-page", *(f"deliveries-{k}" for k in range(1, 5))),
                ask=f"Score the four vendors over weeks 1-4 as the vendor scorecard page defines it, and write the "
                    f"result as the PDF `{f}`: one line per vendor that names it and gives its on-time % (one "
                    f"decimal), defect % and score (one decimal), then a line starting `Recommendation:` that names "
                    f"the vendor whose contract we end.",
                traps=[{"check": "recommendation", "right": worst,
                        "raw": min(old, key=lambda v: old[v]["score"])},
                       {"check": f"on_time_{fixed}", "right": card[fixed]["on_time"],
                        "raw": w.scorecard(range(1, 5), corrected=False)[fixed]["on_time"]}],
                rubric=[("A", f"Recommends ending the contract with {worst}."),
                        ("A", f"Scores use on-time % - {NEW_RULE} x defect % (the current page), not the archived "
                              f"{OLD_RULE} x rule."),
                        ("C", "Uses the corrected week 3 deliveries export.")])
