"""Figure 18: what judging one task costs, in calls and tokens, the way AA-Briefcase grades it. One task with the
deliverables of benchmarks/render_deliverables.py (a 12-sheet model, a 20-page memo, a 20-slide deck, a 20-page PDF)
and AA-Briefcase-Lite's mix of checks (16 a task: 12 binary, each about one deliverable; 4 pairwise), judged by a panel
of three scripted judges on loopback: the binary checks with one judge drawn per check and with the majority of the
panel, the pairwise checks between two models in both orders. Printed per task: calls, prompt and output tokens (as
the scripted server counts them: about 4 characters a token; a real tokenizer differs by some tenths), page images
sent (to judges that take images), and the wall time of pertask's side (renderer, prompts, loopback calls).

    .venv/bin/python benchmarks/judge_cost.py
"""

from __future__ import annotations

import asyncio
import base64
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.render_deliverables import make  # noqa: E402
from harness.agents.judge import FILE_LIMIT, pdf_pages  # noqa: E402
from harness.agents.pairwise import PairwiseJudge  # noqa: E402
from harness.agents.panel import judge_checks  # noqa: E402
from harness.agents.render import render  # noqa: E402
from harness.sandboxes.overlay import DirView  # noqa: E402
from providers.registry import build_model  # noqa: E402
from results.prices import Catalog  # noqa: E402
from tasks.rubric import Check  # noqa: E402

BINARY, PAIRWISE = 12, 4


def checks(names: list[str]) -> list[Check]:
    out = [Check(check_id=f"W1-T1-A-{i:02d}", task_id="w1_t1", check_type="A" if i % 3 else "C", scoring_type="binary",
                 taskdoer_output_file=names[i % len(names)], check_description="The figure is the corrected one.",
                 score_1_criteria="states it", score_0_criteria="does not") for i in range(BINARY)]
    return out + [Check(check_id=f"W1-T1-{'AQ' if i % 2 else 'P'}-{i:02d}", task_id="w1_t1",
                        check_type="AQ" if i % 2 else "P", scoring_type="pairwise",
                        check_description="Which deliverable is better reasoned and presented?") for i in range(PAIRWISE)]


def panel(folder: Path, images: bool) -> list:
    specs = []
    for n in range(3):
        path = folder / f"judge{n}.json"
        path.write_text(json.dumps({"model": f"judge{n}", "images": images, "default": [
            {"content": json.dumps({"score": 1, "preferred": 1, "reasoning": "The figure is the corrected one."})}]}))
        specs.append(f"scripted:{path}#wire=anthropic")
    return [build_model(s, Catalog.load()) for s in specs]


async def one(folder: Path, mode: str, images: bool) -> dict:
    names = sorted(p.name for p in folder.iterdir() if p.suffix in (".xlsx", ".docx", ".pptx", ".pdf"))
    judges = panel(folder, images)
    t0 = time.perf_counter()
    try:
        shown = {n: await render(folder / n, FILE_LIMIT) for n in names}
        pages = await pdf_pages(DirView(folder), shown) if images else {}
        every = checks(names)
        verdicts = await judge_checks(judges, "Prepare the week's deliverables.", every, shown, mode, images=pages)
        pair = PairwiseJudge(judges[0], folder / f"cache-{mode}-{images}")
        for c in (c for c in every if not c.binary):
            await pair.compare("w1_t1", "Prepare the week's deliverables.", c, "a", shown, "b", shown)
        wall = time.perf_counter() - t0
        calls = [v for c in verdicts for v in (c.votes or [c])] + [None] * len(pair.calls)
        usages = [v.usage.model_dump() for v in verdicts] + [c["usage"] for c in pair.calls]
        usage = sum(u["input_uncached"] + u["input_cached"] + u["cache_write"] for u in usages)
        cached = sum(u["input_cached"] for u in usages)
        out = sum(v.usage.output for v in verdicts) + sum(c["usage"]["output"] for c in pair.calls)
        sent = sum(len(p) for p in pages.values()) * (3 if mode == "majority" else 1)
        first = next((base64.b64decode(p[0]) for p in pages.values()), b"")
        size = (int.from_bytes(first[16:20], "big"), int.from_bytes(first[20:24], "big")) if first else None
        return {"mode": mode, "images": images, "calls": len(calls), "prompt": usage, "output": out, "wall": wall,
                "pages": sent, "cached": cached, "page_px": size}
    finally:
        for j in judges:
            await j.aclose()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make(folder)
        print(f"{'binary checks by':<17} {'images':>6} {'calls':>6} {'prompt tok':>11} {'cache read':>11} "
              f"{'output tok':>11} {'page imgs':>9} {'wall s':>7}")
        size = None
        for mode in ("draw", "majority"):
            for images in (False, True):
                r = asyncio.run(one(folder, mode, images))
                size = size or r["page_px"]
                print(f"{r['mode']:<17} {'yes' if images else 'no':>6} {r['calls']:>6} {r['prompt']:>11,} "
                      f"{r['cached']:>11,} {r['output']:>11,} {r['pages']:>9} {r['wall']:>7.1f}")
        if size:  # what a provider that counts an image by its pixels would bill (Anthropic: width x height / 750)
            print(f"a page image: {size[0]} x {size[1]} px, about {size[0] * size[1] // 750} tokens at w x h / 750")


if __name__ == "__main__":
    main()
