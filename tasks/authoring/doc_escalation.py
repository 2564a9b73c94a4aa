"""The documents suite: customer escalation brief tasks."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from .docfiles import READING, address, chat, docx_bytes, eml, noise, pdf_bytes, person, write
from .docfiles import money as _money


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
