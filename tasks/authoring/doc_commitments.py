"""The documents suite: commitments extraction tasks."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

from .docfiles import READING, address, chat, docx_bytes, eml, noise, person, write


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
