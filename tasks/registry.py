"""Public benchmarks by name, as Harbor's registry names them: `--suite terminal-bench@2.0`, `--suite swe-bench-verified`.

Each name says where the benchmark lives and at which revision: a git repository at a commit (fetched by git into
pertask's cache, tasks/gitsource.py) or a hub dataset (fetched by huggingface_hub, tasks/hub.py), read by the first task format
that claims it. `NAME` alone is its latest version; `NAME@VERSION` a listed one; a further `@REV` (or `NAME@REV` where REV is
no version) takes the same source at another commit, branch or tag. The commit a run used is its suite's origin, in
the manifest. `pertask datasets list` prints this table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from textwrap import wrap

from .errors import SuiteError


@dataclass(frozen=True)
class Dataset:
    name: str
    version: str
    source: str  # "git", "hf" or "generated"
    where: str  # a git URL, a hub dataset OWNER/NAME, or the built-in suite's name
    rev: str  # the commit it is pinned to, or the branch whose commit a fetch records
    tasks: int  # as published
    licence: str
    needs: str  # what a full run of it needs beyond pertask
    about: str
    rows: str = ""  # a hub dataset of rows: the split to read (its SPLIT-*.parquet or SPLIT.jsonl)

    @property
    def key(self) -> str:
        return f"{self.name}@{self.version}" if self.version else self.name


TB_NEEDS = "a container engine; one image per task, built from its Dockerfile (about 1-3 GB each)"
SWE_NEEDS = "a container engine and each instance's published image (swebench/sweb.eval.*, 1-7 GB each)"
SWE_LICENCE = "see its dataset card"  # the SWE-bench project's code is MIT; the rows' card says theirs
SWE_HF = "SWE-bench/SWE-bench"  # the rows swebench 5 reads: each names its image, eval script and log parser
DATASETS = [
    Dataset("terminal-bench", "2.0", "git", "https://github.com/laude-institute/terminal-bench-2.git",
            "69671fbaac6d67a7ef0dfec016cc38a64ef7a77c", 89, "Apache-2.0", TB_NEEDS,
            "Terminal-Bench 2.0: tasks in a Linux terminal, each in its own container, verified by tests/test.sh"),
    Dataset("terminal-bench", "2.1", "git", "https://github.com/harbor-framework/terminal-bench-2-1.git", "main",
            89, "Apache-2.0", TB_NEEDS,
            "Terminal-Bench 2.1: 2.0 with 26 tasks fixed (timeouts, resources, reward hacking)"),
    Dataset("swe-bench-verified", "", "hf", f"{SWE_HF}_Verified", "main", 500, SWE_LICENCE, SWE_NEEDS,
            "SWE-bench Verified: 500 GitHub issues of 12 Python repositories, checked by people as solvable",
            rows="test"),
    Dataset("swe-bench-lite", "", "hf", f"{SWE_HF}_Lite", "main", 300, SWE_LICENCE, SWE_NEEDS,
            "SWE-bench Lite: 300 self-contained issues (its test split)", rows="test"),
    Dataset("swe-bench-lite-dev", "", "hf", f"{SWE_HF}_Lite", "main", 23, SWE_LICENCE, SWE_NEEDS,
            "SWE-bench Lite's dev split: 23 issues of six smaller repositories (astroid, pydicom, sqlfluff, ...)",
            rows="dev"),
    Dataset("aa-briefcase-lite", "", "hf", "ArtificialAnalysis/AA-Briefcase-Lite", "main", 0,
            "see its dataset card", "a judge model (--judge) for its rubric checks",
            "AA-Briefcase-Lite: Artificial Analysis's published knowledge-work scenarios and rubric"),
    Dataset("gdpval", "", "hf", "openai/gdpval", "main", 220, "see its dataset card",
            "a judge model (--judge) to rank deliverables against the expert's",
            "GDPval's gold subset: occupational tasks with expert deliverables"),
    Dataset("briefcase", "", "generated", "briefcase", "", 24, "pertask's own",
            "python-docx, openpyxl, python-pptx, pypdf (installed with pertask)",
            "pertask's Briefcase-scale suite: 3 scenarios x 8 weeks of office work, generated on first use"),
]


def names() -> list[str]:
    return sorted({d.key for d in DATASETS} | {d.name for d in DATASETS})


def is_known(spec: str) -> bool:
    return spec.split("@", 1)[0] in {d.name for d in DATASETS}


def lookup(spec: str) -> tuple[Dataset, str]:
    """The dataset a name means and the revision to fetch it at."""
    name, *rest = spec.split("@")
    versions = [d for d in DATASETS if d.name == name]
    if not versions:
        raise SuiteError(f"unknown dataset '{name}' (known: {', '.join(names())})")
    chosen = versions[-1]  # the latest
    if rest and (found := next((d for d in versions if d.version == rest[0]), None)):
        chosen, rest = found, rest[1:]
    if rest and re.fullmatch(r"\d+(\.\d+)+", rest[0]):
        raise SuiteError(f"no version {rest[0]} of {name} (versions: "
                         f"{', '.join(d.version for d in versions if d.version) or 'none'})")
    if len(rest) > 1 or rest and not rest[0]:
        raise SuiteError(f"'{spec}': write NAME, NAME@VERSION, NAME@REV or NAME@VERSION@REV (versions of {name}: "
                         f"{', '.join(d.version for d in versions if d.version) or 'none'})")
    if rest and chosen.source == "generated":
        raise SuiteError(f"'{spec}': {name} is generated by pertask, not fetched; it has no revisions")
    return chosen, rest[0] if rest else chosen.rev


def fetch(spec: str) -> tuple[Path, str, Dataset]:
    """(what the dataset's format reads: a folder or a file of rows, its origin with the exact commit, the dataset)."""
    ds, rev = lookup(spec)
    if ds.source == "git":
        from .gitsource import fetch as git_fetch

        checkout, commit = git_fetch(ds.where, rev)
        return checkout, f"git:{ds.where}@{commit}", ds
    if ds.source == "hf":
        from .hub import fetch as hub_fetch

        snapshot, origin = hub_fetch(f"hf:{ds.where}@{rev}")
        if not ds.rows:
            return snapshot, origin, ds
        found = sorted({*snapshot.rglob(f"{ds.rows}-*.parquet"), *snapshot.rglob(f"{ds.rows}.parquet"),
                        *snapshot.rglob(f"{ds.rows}.jsonl")})
        if len(found) != 1:
            raise SuiteError(f"{origin}: expected one file of its {ds.rows} split ({ds.rows}-*.parquet or "
                             f"{ds.rows}.jsonl), found {len(found)}")
        return found[0], origin, ds
    raise SuiteError(f"{ds.key} is generated by pertask, not fetched: --suite {ds.where}")  # loader.GENERATED


def cached(ds: Dataset) -> bool:
    if ds.source == "git":
        from .gitsource import git_cache, slug

        return (git_cache() / slug(ds.where) / "checkouts").is_dir()
    if ds.source == "hf":
        from .hub import cache_dir

        return (cache_dir() / f"datasets--{ds.where.replace('/', '--')}").is_dir()
    return True


def listing() -> list[str]:
    """`pertask datasets list`: what pertask can fetch by name, and whether the cache holds it; 80 columns wide."""
    lines = []
    for d in DATASETS:
        pin = f" @ {d.rev[:12]}" if d.rev else ""
        lines.append(f"{d.key:<20} {d.tasks or '?':>4} tasks  {d.licence:<20} {'cached' if cached(d) else ''}".rstrip())
        lines += wrap(f"{d.source} {d.where}{pin}. {d.about}. Needs {d.needs}.", 78, initial_indent="  ",
                      subsequent_indent="  ")
    return lines + [""] + wrap("--suite NAME is its latest version; NAME@VERSION a listed one; NAME@REV or "
                               "NAME@VERSION@REV the same source at another commit, branch or tag. Fetched once into "
                               "pertask's cache and verified on reuse; offline, the cache alone.", 80)
