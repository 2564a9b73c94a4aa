"""The documents suite: procurement comparison tasks."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from .docfiles import READING, address, docx_bytes, eml, noise, pdf_bytes, person, write, xlsx_bytes


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
