"""Writers for the document suite's piles: .eml, .xlsx, .docx, .pdf, chat exports, notes.

Authoring-time only (openpyxl, python-docx and fpdf2). Dates and names are fixed by the
caller, so that the content of a pile is reproducible from its seed.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import zipfile
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

FIXED = dt.datetime(2026, 1, 5, 9, 0, 0)


READING = ("The files are in this folder. Office files can be read with `python3`: `openpyxl` (.xlsx), "
           "`python-docx` (.docx), `pypdf` (.pdf) and the standard `email` module (.eml, with attachments) "
           "are installed. Where sources disagree, the most recent authoritative one wins.")


def money(x: float) -> str:
    return f"${x:,.2f}"


def eml(path: Path, sender: str, to: str, when: dt.datetime, subject: str, body: str,
        attachments: list[tuple[str, bytes]] = (), cc: str = "", forwarded: str = "") -> None:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    if cc:
        msg["Cc"] = cc
    msg["Date"] = format_datetime(when.replace(tzinfo=dt.UTC))
    # A fixed id (make_msgid adds the time and a random number): the pile must be reproducible.
    msg["Message-ID"] = f"<{when:%Y%m%d%H%M%S}.{path.stem}@{sender.rsplit('@', 1)[-1].strip('>')}>"
    text = body.strip() + "\n"
    if forwarded:
        text += "\n---------- Forwarded message ----------\n" + forwarded.strip() + "\n"
    msg.set_content(text)
    for name, data in attachments:
        maintype, subtype = _mime(name)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    if attachments:
        msg.set_boundary(f"=====pertask-{path.stem}=====")  # the default one is random
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(msg.as_bytes())


def _mime(name: str) -> tuple[str, str]:
    ext = name.rsplit(".", 1)[-1].lower()
    return {"pdf": ("application", "pdf"), "csv": ("text", "csv"), "txt": ("text", "plain"),
            "xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            "docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")}.get(
        ext, ("application", "octet-stream"))


def _stable_zip(data: bytes) -> bytes:
    """Office files are zips whose entries carry the time they were written: pin it."""
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-01-05T09:00:00Z", body)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6]), body,
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.properties.created = wb.properties.modified = FIXED
    buf = io.BytesIO()
    wb.save(buf)
    return _stable_zip(buf.getvalue())


def docx_bytes(title: str, paragraphs: list[str], table: list[list[str]] | None = None,
               after_table: list[str] = ()) -> bytes:
    from docx import Document

    doc = Document()
    doc.core_properties.created = doc.core_properties.modified = FIXED
    doc.add_heading(title, level=1)
    for p in paragraphs:
        doc.add_paragraph(p)
    if table:
        t = doc.add_table(rows=len(table), cols=len(table[0]))
        for i, row in enumerate(table):
            for j, cell in enumerate(row):
                t.cell(i, j).text = str(cell)
    for p in after_table:
        doc.add_paragraph(p)
    buf = io.BytesIO()
    doc.save(buf)
    return _stable_zip(buf.getvalue())


def pdf_bytes(title: str, lines: list[str]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(FIXED)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    for line in lines:
        pdf.multi_cell(0, 6, line if line else " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())


def chat(lines: list[tuple[dt.datetime, str, str]]) -> str:
    return "".join(f"[{t:%Y-%m-%d %H:%M}] {who}: {text}\n" for t, who, text in lines)


# -------------------------------------------------------------------- noise: the rest of an inbox
FIRST = ["Ana", "Ben", "Chloe", "Dev", "Elif", "Farah", "Gus", "Hana", "Ivo", "Jun", "Kofi", "Lena", "Mateo",
         "Nora", "Omar", "Pia", "Quinn", "Rosa", "Sami", "Tess", "Uma", "Viktor", "Wen", "Yara", "Zed"]
LAST = ["Adler", "Brandt", "Costa", "Dubois", "Eriksen", "Fischer", "Gallo", "Hughes", "Iqbal", "Jansen",
        "Kowalski", "Larsen", "Moreau", "Novak", "Okafor", "Petrov", "Quist", "Rossi", "Sato", "Tanaka"]
NOISE_SUBJECTS = [
    ("Office closed Friday afternoon", "Reminder that the office closes at 2pm on Friday for the fire drill "
     "and maintenance. Please take laptops home."),
    ("Lunch & learn: spreadsheets tips", "This week's lunch and learn covers pivot tables and lookups. "
     "Sandwiches provided, room 4B, 12:30."),
    ("IT: password rotation", "Your password expires in 14 days. Use the self-service portal to change it. "
     "IT will never ask for your password by email."),
    ("Parking permits", "New parking permits are available from reception. Old permits stop working at the "
     "end of the month."),
    ("Re: team offsite dates", "Either week works for me, as long as we avoid the Monday. I can book the venue."),
    ("Newsletter: industry roundup", "Top stories this week: supply chain costs ease, two competitors announce "
     "price changes, and a new regulation on data retention enters consultation."),
    ("Kitchen rota", "Please check the kitchen rota pinned by the sink. Dishwasher tablets are in the cupboard."),
    ("Training budget reminder", "Unused training budget does not roll over. Submit course requests to your "
     "manager before the end of the quarter."),
    ("Re: printer on floor 3", "The printer on floor 3 is fixed. The toner was the wrong model; ordered more."),
    ("All-hands recording", "The recording of the all-hands is on the intranet, along with the slides."),
    ("Expense policy update", "Receipts must now be uploaded within 30 days. Per-diem rates are unchanged."),
    ("Re: holiday calendar", "Thanks, added the public holidays to the shared calendar."),
    ("Security awareness", "Phishing test results: 8% clicked. Please complete the short refresher course."),
    ("Welcome our new starters", "Please welcome three new colleagues joining operations and finance this week."),
]
CHAT_NOISE = ["morning all", "anyone seen the charger in room 2?", "coffee machine is fixed", "brb",
              "can someone review my doc later?", "thanks!", "lunch at 12:30?", "the VPN is slow again",
              "happy friday", "the build is green again", "who has the projector remote?"]


def person(rnd: random.Random) -> str:
    return f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"


def address(name: str, domain: str) -> str:
    return f"{name} <{name.lower().replace(' ', '.')}@{domain}>"


def noise(root: Path, rnd: random.Random, count: int, domain: str, start: dt.datetime) -> None:
    """`count` unrelated files: emails, chat logs and notes, spread over folders like a real export."""
    for i in range(count):
        when = start + dt.timedelta(hours=rnd.randrange(0, 24 * 80))
        kind = rnd.random()
        if kind < 0.7:
            subject, body = rnd.choice(NOISE_SUBJECTS)
            who = person(rnd)
            eml(root / "mail" / "misc" / f"{when:%Y%m%d-%H%M}-{i:03d}.eml", address(who, domain),
                f"all-staff@{domain}", when, subject, f"Hi all,\n\n{body}\n\n{who}")
        elif kind < 0.85:
            lines = [(when + dt.timedelta(minutes=7 * j), person(rnd), rnd.choice(CHAT_NOISE)) for j in range(8)]
            write(root / "chat" / f"random-{when:%Y%m%d}-{i:03d}.txt", chat(lines))
        else:
            who = person(rnd)
            write(root / "notes" / f"misc-{i:03d}.md",
                  f"# Notes {when:%Y-%m-%d}\n\n- {rnd.choice(NOISE_SUBJECTS)[1]}\n- follow up with {who}\n")
