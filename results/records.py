"""Typed, versioned records: what a run writes and every report reads.

Each record carries `schema` so that later versions can read old runs.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, field_validator

SCHEMA_VERSION = 1


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class ErrorClass(StrEnum):
    none = "none"
    model = "model"  # the model endpoint refused or broke protocol beyond recovery (e.g. context overflow)
    limit = "limit"  # a per-task limit ended the sample (turns, tokens, dollars, wall time)
    infra = "infra"  # not the model's fault, proven: server down, or grading fails on the pristine workspace too;
    # retried on resume, never scored
    tampered = "tampered"  # the verdict was forced or forged (a canary passed, ids missing or added): scored 0


class Usage(BaseModel):
    """Token usage as the server reported it.

    `input_uncached + input_cached + cache_write` is the prompt; the server's
    `cached_tokens` is a subset of `prompt_tokens`, so it is subtracted, never added.
    `reasoning` is a subset of `output`.
    """

    input_uncached: int = 0
    input_cached: int = 0
    cache_write: int = 0
    output: int = 0
    reasoning: int = 0
    calls: int = 0
    # Calls whose response carried no usage: their tokens are unknown, not zero.
    calls_without_usage: int = 0
    # Calls whose tokens pertask counted itself (characters / 4), the provider having sent no usage (a stream
    # cut before its usage chunk, a provider that never sends one): priced, but an estimate.
    calls_estimated: int = 0
    latency_s: float = 0.0
    ttft_s: float | None = None
    # Of cache_write, the tokens written with a 1-hour lifetime (Anthropic bills them at their own price).
    cache_write_1h: int = 0
    # What the provider said it billed for these calls (OpenRouter's usage.cost), beside the catalog's
    # figure; None when any call did not say.
    billed_usd: float | None = None
    # Tries that failed and were retried before the answer, by cause (providers/retry.py: cause), and the seconds
    # spent waiting out rate limits.
    retries: dict[str, int] = Field(default_factory=dict)
    rate_limit_wait_s: float = 0.0

    @property
    def input_total(self) -> int:
        return self.input_uncached + self.input_cached + self.cache_write

    @property
    def total(self) -> int:
        return self.input_total + self.output

    def __add__(self, other: Usage) -> Usage:
        ttfts = [t for t in (self.ttft_s, other.ttft_s) if t is not None]
        return Usage(
            input_uncached=self.input_uncached + other.input_uncached,
            input_cached=self.input_cached + other.input_cached,
            cache_write=self.cache_write + other.cache_write,
            output=self.output + other.output,
            reasoning=self.reasoning + other.reasoning,
            calls=self.calls + other.calls,
            calls_without_usage=self.calls_without_usage + other.calls_without_usage,
            calls_estimated=self.calls_estimated + other.calls_estimated,
            latency_s=self.latency_s + other.latency_s,
            ttft_s=sum(ttfts) if ttfts else None,
            cache_write_1h=self.cache_write_1h + other.cache_write_1h,
            billed_usd=_billed(self, other),
            retries={k: self.retries.get(k, 0) + other.retries.get(k, 0) for k in {*self.retries, *other.retries}},
            rate_limit_wait_s=self.rate_limit_wait_s + other.rate_limit_wait_s,
        )


def _billed(a: Usage, b: Usage) -> float | None:
    # An empty Usage (no calls) is the sum's neutral start; a call that did not say makes the sum unknown.
    if not a.calls:
        return b.billed_usd
    if not b.calls:
        return a.billed_usd
    return None if a.billed_usd is None or b.billed_usd is None else a.billed_usd + b.billed_usd


TOKEN_FIELDS = ("input_uncached", "input_cached", "cache_write", "output", "reasoning")


class PriceEntry(BaseModel):
    """Dollars per million tokens for one model at one provider. None = not published.

    A call whose prompt (uncached + cached + cache write) exceeds `long_context_above` tokens is
    billed at the long_* prices; `batch_discount` is the fraction taken off by the batch API.
    """

    model_config = {"extra": "forbid"}  # a misspelt key in a price file is an error, not a silent default

    model: str
    provider: str
    input: float = Field(ge=0)
    cached_input: float | None = Field(None, ge=0)
    cache_write: float | None = Field(None, ge=0)  # 5-minute cache writes, or the only kind there is
    cache_write_1h: float | None = Field(None, ge=0)  # Anthropic's 1-hour cache writes
    output: float = Field(ge=0)
    long_context_above: int | None = Field(None, ge=0)
    long_input: float | None = Field(None, ge=0)
    long_cached_input: float | None = Field(None, ge=0)
    long_cache_write: float | None = Field(None, ge=0)
    long_output: float | None = Field(None, ge=0)
    batch_discount: float | None = Field(None, ge=0, le=1)
    # When this entry applies (UTC, ISO 8601; empty: open-ended): a promotion, a price change. A call is
    # priced by the entry whose window holds the moment it was made.
    valid_from: str = ""
    valid_until: str = ""
    date: str = ""
    source: str = ""
    note: str = ""

    @field_validator("valid_from", "valid_until")
    @classmethod
    def _iso(cls, v: str) -> str:
        if v:
            datetime.fromisoformat(v.replace("Z", "+00:00"))  # a ValueError names the field in the file
        return v


class CheckVerdict(BaseModel):
    """One binary rubric check (AA-Briefcase's accuracy and critical-insight checks) as a judge of the panel saw it."""

    check_id: str
    check_type: str
    judge: str  # the panel's judge drawn for it (or "majority of N")
    passed: bool | None = None  # None: no verdict (the judge failed: never a score)
    reasons: str = ""
    usage: Usage = Field(default_factory=Usage)
    usd: float | None = None
    error: str = ""
    votes: list[CheckVerdict] = Field(default_factory=list)  # by majority: each judge's own verdict


class JudgeRecord(BaseModel):
    """An LLM judge's verdict on a sample: its own tokens and dollars, never the agent's."""

    model: str
    score: float | None = None  # 0..1 against the rubric; None when the judge failed
    reasons: str = ""
    usage: Usage = Field(default_factory=Usage)
    usd: float | None = None  # None: unknown price, or no verdict was paid for
    error: str = ""
    checks: list[CheckVerdict] = Field(default_factory=list)  # rubric checks, one verdict each (a judge panel)


class Reading(BaseModel):
    """How much of its task's sources a sample's commands opened (the bwrap sandbox, traced by strace): every opener
    counts, `grep -r` included; tokens are ~4 bytes each, as `pertask tasks list` counts them. The files are in the
    transcript."""

    opened: int
    sources: int
    tokens_opened: int
    tokens: int
    needed: int = 0  # the sources its rubric's checks name (files_needed in checks.jsonl) ...
    needed_opened: int = 0  # ... and how many of them it opened


class SampleRecord(BaseModel):
    """One finished (task, model, epoch): one line of samples.jsonl."""

    schema_: int = Field(SCHEMA_VERSION, alias="schema")
    sample_id: str
    task_id: str
    suite: str
    task_version: str = ""
    model: str  # the model's key (ModelInfo.spec: no address, no secrets: keys live in the environment)
    epoch: int
    protocol: str = ""
    score: float | None = None  # fraction of hidden checks passed; None when not graded (infra)
    passed: bool | None = None
    error: ErrorClass = ErrorClass.none
    error_detail: str = ""
    turns: int = 0
    format_errors: int = 0
    bad_tool_calls: int = 0  # of them, tool calls whose arguments did not parse or broke the tool's schema
    compactions: int = 0  # times the built-in agent summarised the conversation to fit the model's context
    compaction_usd: float | None = 0.0  # what those summaries cost (part of usd); None: a price unknown
    reading: Reading | None = None  # None: the sandbox did not trace it, or the task has no source files
    usage: Usage = Field(default_factory=Usage)
    usd: float | None = None  # None: the price is unknown, never silently 0
    price: PriceEntry | None = None
    cost_basis: str = "tokens"  # "tokens" (API list prices) or "gpu-hour" (a share of a rented node)
    wall_s: float = 0.0
    # Where it ran: the machine, the executor that ran it there, and the model's replica it was kept on.
    node: str = ""
    executor: str = ""
    replica: str = ""
    grader: dict[str, Any] = Field(default_factory=dict)
    judge: JudgeRecord | None = None  # only with --judge; does not change score or passed
    # What the agent wrote that reaches into the test machinery (path, line, what): for a person, never scored.
    review: list[dict[str, Any]] = Field(default_factory=list)
    transcript: str = ""
    started_at: str = ""
    finished_at: str = Field(default_factory=now_iso)

    model_config = {"populate_by_name": True}

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True)


SELF_HOSTED = ("local", "vllm")  # the model kinds served by a vLLM of the user's: billed by the node-hour


class ModelInfo(BaseModel):
    spec: str  # the model's key in the run: the spec without the server's address (or its #label=)
    given: str = ""  # the --model spec as given, address included
    kind: str
    model_name: str = ""
    model_id: str = ""  # #model_id=: the model it serves, where providers name it differently (results/procurement.py)
    base_url: str = ""
    replicas: list[str] = Field(default_factory=list)  # vllm:NAME@URL1,URL2: each replica's address (base_url: the first)
    key_env: str = ""  # the variable's name only; the value never reaches disk
    protocol: str = ""
    client: str = ""  # the HTTP transport of models served over HTTP: direct (aiohttp) or sdk (openai)
    timeout_s: float | None = None  # #timeout=: seconds of silence after which a server counts as unreachable
    wire: str = ""  # the dialect spoken: chat (OpenAI Chat Completions), responses (OpenAI), anthropic (Messages)
    profile: str = ""  # the endpoint profile (providers/data/endpoints.toml) or vLLM preset that drives it
    # Per-model settings from the spec (#reasoning_effort=, #thinking_budget=, #temperature=, #max_tokens=,
    # #cache_ttl=), as given: what reached the request body is the wire adapter's doing, from these.
    settings: dict[str, Any] = Field(default_factory=dict)
    prices_as: str = ""  # the catalog provider its calls are billed under, when not its kind (anthropic-compat)
    price: PriceEntry | None = None  # the entry in force when the run started
    # Every dated entry of this model when its price changes over time: each call takes the one in force.
    price_windows: list[PriceEntry] = Field(default_factory=list)
    batch: bool = False  # priced as if sent through the provider's batch API (--batch-pricing)
    # The built-in agent's handling of a conversation that outgrows the model (#context=N, #compaction=off).
    context: int | None = None  # the model's context window in tokens, where known
    compaction: bool = True

    @property
    def self_hosted(self) -> bool:
        """Served by a vLLM of the run's own (launched or attached): priced by its node's hours, not per token."""
        return self.kind in SELF_HOSTED


class RunManifest(BaseModel):
    schema_: int = Field(SCHEMA_VERSION, alias="schema")
    harness_version: str
    suite: str
    suite_version: str  # a digest of the suite's content
    suite_path: str = ""  # where it was loaded from: a suite is its path and digest, not its folder's name
    tasks: list[str]
    models: list[ModelInfo]
    judge: ModelInfo | None = None  # --judge: graded deliverables on top of the checks, billed apart (the first)
    judges: list[ModelInfo] = Field(default_factory=list)  # every --judge: the panel for rubric checks
    panel: str = ""  # how the panel decides a check: draw (one judge per check) or majority
    command_limits: dict[str, Any] = Field(default_factory=dict)  # what bounds each sandboxed command
    epochs: int
    concurrency: int
    sampling: dict[str, Any] = Field(default_factory=dict)  # temperature, max_tokens, stream as sent
    max_turns: int | None = None  # a cap over the tasks' own turn limits, when given
    node: dict[str, Any] = Field(default_factory=dict)  # GPU type/count/$ per hour as given, and detected hardware
    sandbox: str  # which isolation the commands ran under: "bwrap", "container" or "none" (tasks with images: see images)
    # "overlay": copy-on-write over the task's files, one sandbox session per sample; "copy": a copy each
    workspaces: str = "copy"
    host: dict[str, Any] = Field(default_factory=dict)
    experiment: dict[str, Any] = Field(default_factory=dict)  # --config FILE: its path and content, as read
    # The container sandbox: each task's image (name, podman's id, FROM names replaced) and the substitutions given.
    images: dict[str, Any] = Field(default_factory=dict)
    agent: str = "builtin"  # pertask's own loop, or the external agent (--agent) that ran every sample
    container_engine: str = ""  # podman or docker, where any task ran in a container
    container_root_mapped: bool | None = None  # whether a container's root was an unprivileged host user
    image_substitutions: dict[str, str] = Field(default_factory=dict)
    # --offline-images: per registry image, the local base that stood in for it and what differs (its Python, its
    # distribution).
    image_notes: dict[str, str] = Field(default_factory=dict)
    # Tasks of the suite that could not be loaded (each file, field and reason): not in any figure of the run.
    skipped_tasks: list[dict[str, str]] = Field(default_factory=list)
    started_at: str = Field(default_factory=now_iso)
    finished_at: str | None = None
    sessions: list[dict[str, Any]] = Field(default_factory=list)  # one per invocation, resumes included

    model_config = {"populate_by_name": True}
