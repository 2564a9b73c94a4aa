"""Generates the `documents` suite: piles of mail, chat, notes and office files, a deliverable
to write, deterministic checks, and a reference solution. Seeded, so a variant is reproducible.

    python -m tasks.authoring.documents      # rewrites tasks/suites/documents/
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

from .doc_budget import budget
from .doc_checks_lib import HELPERS
from .doc_commitments import commitments
from .doc_deck import deck
from .doc_escalation import escalation
from .doc_procurement import procurement
from .docfiles import write

SUITE = Path(__file__).resolve().parents[1] / "suites" / "documents"


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
RUBRICS = {
    "budget": "- The table reconciles every department, and the corrections in mail and memos are applied.\n"
              "- Obsolete or superseded figures are not used.\n- A finance reviewer could sign it off as it is.",
    "commitments": "- Every open commitment is listed once, with its current owner and date.\n"
                   "- Cancelled items are gone; reassignments and date changes are reflected.\n"
                   "- Actions are described so that the owner would recognise them.",
    "deck": "- The five slides are there, in order, with board-level bullet points.\n"
            "- Figures are the corrected ones and are stated precisely.\n- No slide pads with irrelevant detail.",
    "escalation": "- The brief is factual, specific and calm: what happened, when, to whom, why, what we do now.\n"
                  "- Figures are the final ones, and the credit follows the contract.\n"
                  "- A VP could send it to the customer without edits.",
    "procurement": "- Costs are computed the same way for every vendor, from each vendor's latest terms.\n"
                   "- The requirements are applied as written.\n- The recommendation follows from the table.",
}
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
        write(folder / "grader" / "rubric.md", RUBRICS[family] + "\n")  # read by --judge only
        write(folder / "solution" / "solve.sh", "#!/usr/bin/env bash\nset -euo pipefail\n" + solve)
        if not quiet:
            print(f"{tid}: {sum(1 for p in (folder / 'workspace').rglob('*') if p.is_file())} files")


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
