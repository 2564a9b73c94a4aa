"""One scenario's sources as files: `shared/` (wiki, org chart, Slack users, price list) and one folder a week
(Slack export per channel and day, .eml mail, meeting transcripts as PDF, memos as .docx, finance and ops exports
as .xlsx, .csv and .json). The planted facts of `World` are written here among the noise."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

from ..docfiles import address, docx_bytes, eml, money, pdf_bytes, write, xlsx_bytes
from .noise import MAIL_SUBJECTS, Noise
from .world import NEW_RULE, OLD_RULE, OVERHEAD, WEEKS, World


class Pile:
    def __init__(self, w: World) -> None:
        self.w, self.sc = w, w.sc
        self.noise = Noise(w.sc, random.Random(f"pertask-briefcase-noise-{w.sc.key}"))
        n = self.noise.people
        self.cfo, self.ops, self.ceo, self.analyst = n[3], n[7], n[11], n[15]

    def day(self, week: int, weekday: int, hour: int = 9) -> dt.datetime:
        d = dt.date.fromisoformat(self.sc.start) + dt.timedelta(weeks=week - 1, days=weekday)
        return dt.datetime.combine(d, dt.time(hour, 0))

    def mail(self, root: Path, when: dt.datetime, who: str, subject: str, body: str, key: str = "",
             attachments: list[tuple[str, bytes]] = ()) -> None:
        slug = "".join(c if c.isalnum() else "-" for c in subject.lower())[:40].strip("-")
        path = root / "mail" / f"{when:%Y%m%d-%H%M}-{slug}.eml"
        eml(path, address(who, self.sc.domain), f"all-staff@{self.sc.domain}", when, subject, body, attachments)
        self.plant(key, root, path)

    def put(self, key: str, root: Path, path: Path, data: bytes | str) -> None:
        write(path, data)
        self.plant(key, root, path)

    def plant(self, key: str, root: Path, path: Path) -> None:
        """Where a planted fact is (a path in the task's workspace): the rubric's files_needed, a careful reader's
        reading list."""
        if key:
            self.w.files[key] = f"{root.name}/{path.relative_to(root).as_posix()}"

    # ---------------------------------------------------------------------------------------------- shared/
    def shared(self, root: Path) -> None:
        sc, nz, w = self.sc, self.noise, self.w
        write(root / "slack" / "users.json", json.dumps(
            [{"id": nz.ids[p], "real_name": p, "name": p.lower().replace(" ", ".")} for p in nz.people], indent=1))
        write(root / "slack" / "channels.json", json.dumps([{"name": c, "purpose": f"#{c}"} for c in sc.channels]))
        roles = {self.cfo: "Chief Financial Officer", self.ops: "Head of Operations", self.ceo: "Chief Executive",
                 self.analyst: "Business Analyst"}
        write(root / "org-chart.csv", "name,role,email\n" + "".join(
            f"{p},{roles.get(p, nz.rnd.choice(['Coordinator', 'Manager', 'Specialist', 'Associate']))},"
            f"{p.lower().replace(' ', '.')}@{sc.domain}\n" for p in nz.people))
        self.put("price-list", root, root / "finance" / "price-list.xlsx", xlsx_bytes({"Prices": [["Unit", sc.price.capitalize()]] + [
            [u, w.old_price[u]] for u in sc.units]}))
        self.put("overhead-page", root, root / "wiki" / "finance" / "overhead-allocation.md",
              f"# Overhead allocation\n\nCentral overhead is allocated to each {sc.unit_kind} at "
              f"{OVERHEAD[1]:.0%} of its revenue, week by week. Contribution = revenue - direct cost - allocated "
              f"overhead.\n\n{nz.paragraph(8)}\n")
        self.put("scorecard-page", root, root / "wiki" / "vendors" / "vendor-scorecard.md",
              f"# Vendor scorecard (current)\n\nThis page replaces the 2025 scorecard. Each vendor is scored over the "
              f"weeks under review as: score = on-time % - {NEW_RULE} x defect %, where on-time % is the share of "
              f"{sc.supplies} marked on time and defect % is defective units over units delivered. The vendor with "
              f"the lowest score is the one whose contract we end.\n\n{nz.paragraph(6)}\n")
        write(root / "wiki" / "archive" / "vendor-scorecard-2025.md",
              f"# Vendor scorecard (2025)\n\nScore = on-time % - {OLD_RULE} x defect %. Lowest score is reviewed.\n\n"
              f"{nz.paragraph(6)}\n")
        for i, topic in enumerate(sc.topics * 4):
            write(root / "wiki" / f"{topic.replace(' ', '-')}-{i:02d}.md", nz.wiki_page(topic.capitalize(), 5))

    # ---------------------------------------------------------------------------------------------- week-0k/
    def week(self, root: Path, k: int) -> None:
        sc, nz, w = self.sc, self.noise, self.w
        chat: dict[tuple[str, int], list[tuple[str, str]]] = {}
        for week, unit, value in w.prelims:
            if week == k:
                chat.setdefault(("finance", 2), []).append(
                    (self.analyst, f"prelim for {unit} this week: about {value:,} {sc.volume}, final numbers Friday"))
        summary = [["Unit", sc.volume_short, "Direct cost"]] + [
            [u, w.volume_raw[k][u], w.cost_raw[k][u]] for u in sc.units]
        book = xlsx_bytes({"Summary": summary})
        self.put(f"summary-{k}", root, root / "finance" / f"summary-week-{k:02d}.xlsx", book)
        self.mail(root, self.day(k, 4, 10), self.cfo, f"Week {k} summary",
                  f"Hi all,\n\nThe week {k} summary is attached and in finance/summary-week-{k:02d}.xlsx "
                  f"({sc.volume} and direct cost by {sc.unit_kind}).\n\n{self.cfo}",
                  attachments=[(f"summary-week-{k:02d}.xlsx", book)])
        for c in w.corrections:
            if c.known != k:
                continue
            what = sc.volume if c.field == "volume" else "direct cost"
            show = (lambda x: f"{int(x):,}") if c.field == "volume" else money
            if c.how == "v2":
                fixed = [[u, w.volume(c.week, u, k), w.cost(c.week, u, k)] for u in sc.units]
                self.put(f"summary-{c.week}", root, root / "finance" / f"summary-week-{c.week:02d}-v2.xlsx",
                      xlsx_bytes({"Summary": [summary[0]] + fixed}))
                self.mail(root, self.day(k, 4, 15), self.cfo, f"Week {c.week} summary v2",
                          f"All,\n\nOne line of the week {c.week} summary was wrong. summary-week-{c.week:02d}-v2.xlsx "
                          f"replaces it; please use v2 from now on.\n\n{self.cfo}", f"v2-mail-{c.week}")
            else:
                self.mail(root, self.day(k, 4 if c.known == c.week else 1, 16), self.cfo,
                          f"Correction: week {c.week} {what} for {c.unit}",
                          f"All,\n\nThe week {c.week} summary has {what} for {c.unit} as {show(c.raw)}. That is wrong "
                          f"(a duplicated import); the right figure is {show(c.right)}. Everything else stands.\n\n"
                          f"{self.cfo}", f"correction-{c.week}-{c.field}")
        rows = ["date,vendor,units,defective_units,on_time"] + [
            f"{self.day(k, d.day):%Y-%m-%d},{d.vendor},{d.units},{d.defects},{'yes' if d.on_time else 'no'}"
            for d in w.deliveries[k]]
        self.put(f"deliveries-{k}", root, root / "ops" / f"deliveries-week-{k:02d}.csv", "\n".join(rows) + "\n")
        meetings = {1: self.transcript(k, "ops-weekly"), 3: self.transcript(k, "leadership")}
        if k == 2:
            self.incident(root, chat, meetings)
        if k == 3:
            vendor, n = w.late_fixed
            fixed = w.vendor_rows(range(3, 4))
            corrected = "\n".join(rows[:1] + [
                f"{self.day(3, d.day):%Y-%m-%d},{d.vendor},{d.units},{d.defects},{'yes' if d.on_time else 'no'}"
                for d in fixed]) + "\n"
            self.put("deliveries-3", root, root / "ops" / "deliveries-week-03-corrected.csv", corrected)
            self.mail(root, self.day(3, 4, 17), self.ops, "Week 3 deliveries export corrected",
                      f"Hi,\n\nThe gate scanner's clock was an hour out on Tuesday: {n} {sc.supplies} from {vendor} "
                      f"were marked late but arrived on time. ops/deliveries-week-03-corrected.csv is the fixed "
                      f"export and replaces deliveries-week-03.csv.\n\n{self.ops}", "deliveries-mail",
                      [("deliveries-week-03-corrected.csv", corrected.encode())])
        if k == 5:
            self.price_and_overhead(root)
        for weekday in range(5):
            for ch in sc.channels:
                write(root / "slack" / ch / f"{self.day(k, weekday):%Y-%m-%d}.json",
                      nz.slack_day(self.day(k, weekday).date(), nz.rnd.randint(40, 80), chat.get((ch, weekday), [])))
        for i in range(18):
            when = self.day(k, nz.rnd.randrange(5), nz.rnd.randint(8, 18))
            self.mail(root, when.replace(minute=i), nz.who(), nz.rnd.choice(MAIL_SUBJECTS),
                      f"Hi all,\n\n{nz.paragraph(nz.rnd.randint(4, 12))}\n\nThanks,\n{nz.who()}")
        for weekday, (name, lines) in meetings.items():
            self.put(name if name == "incident-review" else "", root,
                     root / "meetings" / f"{self.day(k, weekday):%Y-%m-%d}-{name}.pdf",
                     pdf_bytes(f"{sc.company} - {name.replace('-', ' ')} - week {k}", lines))
        for i in range(2):
            write(root / "memos" / f"memo-week-{k:02d}-{i}.docx",
                  docx_bytes(f"{nz.rnd.choice(sc.topics).capitalize()}: notes", [nz.paragraph(8) for _ in range(4)]))
        write(root / "tickets" / f"tickets-week-{k:02d}.json", nz.tickets(k, 260))
        for u in sc.units:
            write(root / "ops" / "sensors" / f"{u.lower()}-week-{k:02d}.csv", nz.sensor_log(self.day(k, 0).date(), u))

    def transcript(self, k: int, name: str) -> tuple[str, list[str]]:
        return name, [f"Attendees: {', '.join(self.noise.rnd.sample(self.noise.people, 6))}", ""] + \
            self.noise.transcript(70)

    def incident(self, root: Path, chat: dict, meetings: dict) -> None:
        sc, w = self.sc, self.w
        early = ", ".join(f"{u} ~{v['estimate']}" for u, v in w.incident.items())
        chat.setdefault(("ops", 0), []).append(
            (self.ops, f"{sc.incident} overnight. Early count of {sc.lost}: {early}. Will firm up at the review."))
        lines = [f"Attendees: {self.ops}, {self.cfo}, {w.owner}, {self.analyst}", "",
                 f"{self.ops}: Final figures for {sc.incident}, checked against the logs:"]
        lines += [f"  {u}: {v['lost']} {sc.lost} at a unit cost of {money(v['unit_cost'])}"
                  for u, v in w.incident.items()]
        lines += ["", f"{self.cfo}: These replace the early count from Monday.",
                  f"ACTION: {w.owner} to deliver the root-cause report by {w.due_first}.", ""]
        meetings[2] = ("incident-review", lines + self.noise.transcript(40))
        self.mail(root, self.day(2, 3, 11), w.owner, "Root-cause report: new date",
                  f"Hi {self.ops.split()[0]},\n\nThe vendor logs arrive late, so I need until {w.due_moved} for the "
                  f"root-cause report (not {w.due_first}). I'll share a draft before then.\n\n{w.owner}", "due-mail")

    def price_and_overhead(self, root: Path) -> None:
        sc, w = self.sc, self.w
        table = [["Unit", "Current price", "New price from week 5"]] + [
            [u, f"{w.old_price[u]:.2f}", f"{w.new_price_announced[u]:.2f}"] for u in sc.units]
        self.put("price-memo", root, root / "memos" / "price-change.docx", docx_bytes(
            "Price change from week 5", [f"From Monday of week 5 the {sc.price} changes as below.",
                                         self.noise.paragraph(5)], table))
        self.put("overhead-memo", root, root / "memos" / "overhead-update.docx", docx_bytes(
            "Overhead allocation from week 5", [
                f"From week 5 central overhead is allocated at {OVERHEAD[5]:.0%} of revenue instead of "
                f"{OVERHEAD[1]:.0%}. Weeks 1 to 4 keep the old rate.", self.noise.paragraph(4)]))
        u = sc.units[2]
        self.mail(root, self.day(5, 2, 14), self.cfo, f"Correction to the price memo: {u}",
                  f"All,\n\nThe price memo has the wrong new price for {u}: it is {w.new_price[u]:.2f}, not "
                  f"{w.new_price_announced[u]:.2f}. The other prices are right.\n\n{self.cfo}", "price-mail")


def write_scenario(dest: Path, w: World) -> dict[str, Path]:
    """shared/ and week-01 ... week-08 as folders of their own under dest: the layers tasks stack."""
    pile, layers = Pile(w), {}
    layers["shared"] = dest / f"{w.sc.key}-shared"
    pile.shared(layers["shared"] / "shared")
    for k in range(1, WEEKS + 1):
        layers[f"w{k:02d}"] = dest / f"{w.sc.key}-w{k:02d}"
        pile.week(layers[f"w{k:02d}"] / f"week-{k:02d}", k)
    return layers
