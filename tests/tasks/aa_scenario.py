"""A small scenario in AA-Briefcase-Lite's published layout, written for the tests (none of AA's text): a fictional
buy-side review of a bakery chain, two tasks, sources with a planted correction, a rubric, prompts and the
submissions of two made-up models. `hub_cache` lays it out as huggingface_hub's cache holds a fetched dataset."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

FACT = "Wholesale is 38% of volume"  # what the corrected figure says: the judges pass a check that states it
SOURCE_LINE = "CORRECTION: wholesale share is 38%, not 31%"  # a line of a source file: no judge may be shown it
AGENT_SYSTEM = "You are an analyst at Fernhill Partners (AA-style system prompt for the tests)."
JUDGE_SYSTEM = "You are a strict grader of one rubric item (the suite's own judge prompt)."
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def write_lite(root: Path, *, rows: list[dict] | None = None) -> Path:
    files = {
        "source_files/shared/email/2026-05-04_cfo.eml": "From: cfo@crumb.example\nSubject: volumes\n\n"
                                                        "Wholesale share is 31% of volume.\n",
        "source_files/shared/slack/deal/2026-05-05.json": json.dumps([{"user": "vp", "text": SOURCE_LINE}]),
        "source_files/shared/unrelated.csv": "store,sales\nA,10\n",  # mounted for no task
        "source_files/week/meeting_notes.md": "# Week 1 kick-off\nThe deck is due Friday.\n",
        "summary_docs/scenario_overview.md": "Fernhill Partners is reviewing Crumb & Co, a bakery chain.\n",
        "tasks/w1_t1.md": "Write the market note: the channel split of Crumb & Co's volume.\n",
        "tasks/w1_t2.md": "Build the target deck.\n",
        "prompts/agent_system_prompt.md": AGENT_SYSTEM,
        "prompts/agent_task_prompt.md": "TASK {{task_id}}\n\n{{ brief }}\nDeliver: {{deliverables}} in /home/user.",
        "prompts/judge_system_prompt.md": JUDGE_SYSTEM,
        "prompts/judge_user_prompt.md": "Item {{check_id}}: {{check_description}}\nPASS when: {{score_1_criteria}}\n"
                                        "FAIL when: {{score_0_criteria}}\n\nSubmission:\n{{submission}}\n"
                                        'Answer {"score": 1 or 0, "reasoning": "..."}.',
        "submissions/claude-opus-4-8/w1_t1/market_note.md": f"# Market note\n{FACT}.\n",
        "submissions/GLM-5.2/w1_t1/market_note.md": "# Market note\nWholesale is 31% of volume.\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    rows = rows if rows is not None else [
        {"task_id": "w1_t1", "week": 1, "brief_path": "tasks/w1_t1.md", "deliverable_files": ["market_note.md"],
         "shared_files": ["shared/email/2026-05-04_cfo.eml", "shared/slack/deal/2026-05-05.json"],
         "week_files": ["week/meeting_notes.md"], "overview_files": ["summary_docs/scenario_overview.md"]},
        {"task_id": "w1_t2", "week": 1, "brief_path": "tasks/w1_t2.md", "deliverable_files": "deck.pptx",
         "shared_files": [], "week_files": ["week/meeting_notes.md"]},
    ]
    (root / "tasks.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    checks = [
        {"check_id": "W1-T1-A-01", "task_id": "w1_t1", "week": 1, "check_type": "A", "scoring_type": "binary",
         "taskdoer_output_file": "market_note.md", "files_needed": ["shared/slack/deal/2026-05-05.json"],
         "check_description": "The wholesale share uses the corrected figure.",
         "score_1_criteria": "states wholesale at 38%", "score_0_criteria": "31% or no figure",
         "specific_file_locations": "the deal channel, 5 May"},
        {"check_id": "W1-T1-C-01", "task_id": "w1_t1", "week": 1, "check_type": "C", "scoring_type": "binary",
         "taskdoer_output_file": "market_note.md", "check_description": "Flags the CFO's superseded figure.",
         "score_1_criteria": "names the 31% as superseded", "score_0_criteria": "does not"},
        {"check_id": "W1-T1-P-01", "task_id": "w1_t1", "week": 1, "check_type": "P", "scoring_type": "pairwise",
         "taskdoer_output_file": "market_note.md", "check_description": "Which note reads better."},
        {"check_id": "W1-T2-A-01", "task_id": "w1_t2", "week": 1, "check_type": "A", "scoring_type": "binary",
         "taskdoer_output_file": "deck.pptx", "check_description": "The deck has a title slide."},
    ]
    (root / "checks.jsonl").write_text("".join(json.dumps(c) + "\n" for c in checks))
    return root


def hub_cache(cache: Path, repo: str = "acme/briefcase-lite", write=write_lite) -> Path:
    """A dataset (`write` lays it out) as huggingface_hub keeps a fetched one: blobs, a snapshot of links, refs/main."""
    home = cache / f"datasets--{repo.replace('/', '--')}"
    staged = write(cache.parent / f"staged-{repo.replace('/', '-')}")
    for path in sorted(p for p in staged.rglob("*") if p.is_file()):
        blob = home / "blobs" / hashlib.sha256(path.read_bytes()).hexdigest()
        blob.parent.mkdir(parents=True, exist_ok=True)
        blob.write_bytes(path.read_bytes())
        link = home / "snapshots" / COMMIT / path.relative_to(staged)
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(blob)
    (home / "refs").mkdir(parents=True)
    (home / "refs" / "main").write_text(COMMIT)
    return home
