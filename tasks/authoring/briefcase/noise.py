"""What makes reading everything not an option: the rest of a company's chat, mail, wiki, tickets and logs.

Sentences are put together from parts, so a week of chat is not one paragraph repeated; numbers in noise are
about other things (pallets, tickets, minutes) and never in the form a task's figure takes."""

from __future__ import annotations

import datetime as dt
import json
import random

from .scenarios import Scenario

FIRST = ["Ana", "Ben", "Chloe", "Dev", "Elif", "Farah", "Gus", "Hana", "Ivo", "Jun", "Kofi", "Lena", "Mateo", "Nora",
         "Omar", "Pia", "Quinn", "Rosa", "Sami", "Tess", "Uma", "Viktor", "Wen", "Yara", "Zed", "Aled", "Bea", "Cai"]
LAST = ["Adler", "Brandt", "Costa", "Dubois", "Eriksen", "Fischer", "Gallo", "Hughes", "Iqbal", "Jansen", "Kowalski",
        "Larsen", "Moreau", "Novak", "Okafor", "Petrov", "Quist", "Rossi", "Sato", "Tanaka", "Vidal", "Walsh"]
OPENERS = ["quick one:", "fyi", "heads up,", "so", "ok so", "update:", "re the earlier thread,", "just checked and",
           "morning!", "for the record,", "as discussed,", "not urgent but", "looping in on this:", ""]
VERBS = ["is running late on", "has finished", "wants a second look at", "is picking up", "flagged an issue with",
         "signed off", "needs input on", "is still chasing", "moved the deadline for", "shared a draft of",
         "is out today so I'm covering", "reopened", "closed out", "asked about"]
TAILS = ["will report back by end of day", "can we discuss at standup?", "ticket is in the tracker", "no action needed",
         "shout if this blocks you", "notes are in the wiki", "see thread above", "thanks all", "more tomorrow",
         "let's not overthink it", "the usual caveats apply", "details in my mail", "happy to pair on it"]
ASIDES = ["coffee machine on 2 is broken again", "who booked the big room for Thursday?", "lunch order closes at 11:30",
          "reminder: timesheets due Friday", "the VPN is slow this morning", "parking is full, use the overflow lot",
          "cake in the kitchen", "fire alarm test at 10", "anyone have a spare HDMI adapter?", "brb", "lol",
          "nice work everyone", "+1", "thanks!", "on it", "done", "will do", "sounds good"]
MAIL_SUBJECTS = ["Weekly newsletter", "IT maintenance window", "Training catalogue", "Re: team offsite", "Office move",
                 "Benefits enrolment", "Security awareness", "Travel policy", "Re: printer", "All-hands agenda",
                 "Expense reminder", "Welcome new starters", "Parking permits", "Holiday calendar", "Wellbeing week"]


class Noise:
    def __init__(self, sc: Scenario, rnd: random.Random) -> None:
        self.sc, self.rnd = sc, rnd
        self.people = sorted({f"{rnd.choice(FIRST)} {rnd.choice(LAST)}" for _ in range(60)})[:40]
        self.ids = {p: f"U{1000 + i:05d}" for i, p in enumerate(self.people)}

    def who(self) -> str:
        return self.rnd.choice(self.people)

    def sentence(self) -> str:
        r, sc = self.rnd, self.sc
        kind = r.random()
        if kind < 0.18:
            return r.choice(ASIDES)
        topic, unit = r.choice(sc.topics), r.choice(sc.units)
        if kind < 0.6:
            return f"{r.choice(OPENERS)} {self.who().split()[0]} {r.choice(VERBS)} the {topic} for {unit}, " \
                   f"{r.choice(TAILS)}".strip()
        if kind < 0.85:
            n = r.randint(2, 95)
            return f"{r.choice(OPENERS)} {unit} logged {n} {r.choice(['items', 'minutes', 'checks', 'tickets'])} " \
                   f"on {topic} since {r.choice(['Monday', 'yesterday', 'the last review', 'the weekend'])}".strip()
        return f"{r.choice(OPENERS)} can someone look at {topic}? {r.choice(TAILS)}. " \
               f"{r.choice(ASIDES)}".strip()

    def paragraph(self, n: int) -> str:
        return " ".join(s[0].upper() + s[1:] + ("" if s.endswith(("?", "!", ".")) else ".")
                        for s in (self.sentence() for _ in range(n)))

    def slack_day(self, day: dt.date, messages: int, planted: list[tuple[str, str]] = ()) -> str:
        """A Slack export's day file: messages in time order, with the planted (person, text) among them."""
        texts = [(self.who(), self.sentence()) for _ in range(messages)]
        for i, p in enumerate(planted):
            texts.insert(self.rnd.randrange(len(texts) + 1) if i == 0 else len(texts), p)
        t0 = dt.datetime.combine(day, dt.time(8, 30), dt.UTC).timestamp()
        out, t = [], t0
        for person, text in texts:
            t += self.rnd.randint(20, 600)
            out.append({"type": "message", "user": self.ids.get(person, "U09999"), "text": text,
                        "ts": f"{t:.6f}", "user_profile": {"real_name": person}})
            if self.rnd.random() < 0.08:
                out[-1]["reactions"] = [{"name": self.rnd.choice(["+1", "eyes", "white_check_mark"]), "count": 2}]
        return json.dumps(out, indent=1)

    def tickets(self, week: int, n: int) -> str:
        r, rows = self.rnd, []
        for i in range(n):
            rows.append({"id": f"T-{week:02d}{i:04d}", "opened_by": self.who(), "unit": r.choice(self.sc.units),
                         "topic": r.choice(self.sc.topics), "priority": r.choice(["low", "normal", "high"]),
                         "status": r.choice(["open", "closed", "waiting"]), "summary": self.sentence(),
                         "comments": [self.sentence() for _ in range(r.randint(0, 3))]})
        return json.dumps(rows, indent=1)

    def sensor_log(self, start: dt.date, unit: str) -> str:
        r, lines = self.rnd, ["timestamp,unit,reading,status"]
        for h in range(7 * 24):
            t = dt.datetime.combine(start, dt.time()) + dt.timedelta(hours=h)
            lines.append(f"{t:%Y-%m-%dT%H:%M},{unit},{r.uniform(1.5, 7.5):.2f},{r.choice(['ok'] * 12 + ['check'])}")
        return "\n".join(lines) + "\n"

    def wiki_page(self, title: str, sections: int) -> str:
        body = [f"# {title}\n"]
        for i in range(sections):
            body.append(f"## {self.rnd.choice(self.sc.topics).capitalize()} ({i + 1})\n\n{self.paragraph(6)}\n")
        return "\n".join(body)

    def transcript(self, n: int) -> list[str]:
        return [f"{self.who()}: {self.sentence()}" for _ in range(n)]
