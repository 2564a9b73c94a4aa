"""The one retry mechanism of every model call, and the per-endpoint concurrency limit.

Transient failures (connection errors, timeouts, 5xx, bodies or streams cut short) are
retried with exponential backoff and jitter, honouring a server's Retry-After. Rate limits
(429) are different: they mean "too many at once", so the endpoint's concurrency limit is
halved (and grows back one step per window of successes) and the call waits and tries again
for as long as the storm budget allows. A storm slows the run down instead of failing it.
What still fails after all this is an infrastructure error: retried on resume, never scored.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from .http import HTTPStatusError, Unreachable

T = TypeVar("T")


class MalformedResponse(Exception):
    """A body or stream the client could not read to its end: transient, like a dropped connection."""


def _transient(exc: Exception) -> bool:
    # 408 (request timeout) and 5xx are the server's bad moment; other 4xx are answers to this request.
    if isinstance(exc, HTTPStatusError):
        return exc.status >= 500 or exc.status == 408
    return isinstance(exc, Unreachable | MalformedResponse)


@dataclass
class RetryPolicy:
    attempts: int = 4  # retries of a transient failure (not counting the first try)
    base_s: float = 0.5
    cap_s: float = 30.0
    storm_budget_s: float = 900.0  # total time one call may spend waiting out rate limits


def retry_after(exc: Exception) -> float | None:
    value = getattr(exc, "retry_after", None)
    try:
        return min(max(float(value), 0.0), 120.0) if value is not None else None
    except ValueError:  # an HTTP date: fall back to our own backoff
        return None


class EndpointLimiter:
    """At most `limit` requests in flight to one endpoint; additive increase, multiplicative decrease."""

    def __init__(self, limit: int):
        self.max = self.limit = max(1, limit)
        self.active = self.streak = 0
        self.rate_limited_count = 0
        self._cond: asyncio.Condition | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _condition(self) -> asyncio.Condition:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # a new event loop (a new run in the same process): fresh state
            self._cond, self._loop, self.active = asyncio.Condition(), loop, 0
        return self._cond

    @contextlib.asynccontextmanager
    async def slot(self):
        cond = self._condition()
        async with cond:
            await cond.wait_for(lambda: self.active < self.limit)
            self.active += 1
        try:
            yield
        finally:
            async with cond:
                self.active -= 1
                cond.notify_all()

    def rate_limited(self) -> None:
        self.rate_limited_count += 1
        self.limit, self.streak = max(1, self.limit // 2), 0

    def succeeded(self) -> None:
        self.streak += 1
        if self.streak >= self.limit and self.limit < self.max:
            self.limit, self.streak = self.limit + 1, 0


_LIMITERS: dict[str, EndpointLimiter] = {}


def limiter_for(base_url: str, limit: int) -> EndpointLimiter:
    """One limiter per endpoint, shared by every model that calls it."""
    lim = _LIMITERS.get(base_url)
    if lim is None or lim.max != max(1, limit):
        lim = _LIMITERS[base_url] = EndpointLimiter(limit)
    return lim


def cause(exc: Exception) -> str:
    """Why a try failed, as the reports count retries: rate_limit (429), server_error (5xx), timeout (408),
    unreachable (refused, reset or silent), dropped (a stream cut after it began, or a body that did not parse)."""
    if isinstance(exc, HTTPStatusError):
        return "rate_limit" if exc.status == 429 else "timeout" if exc.status == 408 else "server_error"
    return "unreachable" if isinstance(exc, Unreachable) else "dropped"


async def call_with_retries(fn: Callable[[], Awaitable[T]], limiter: EndpointLimiter, policy: RetryPolicy,
                            tries: list[tuple[str, float]] | None = None) -> T:
    """`tries` gets each failed try that was retried: its cause and the seconds waited before the next."""
    attempt, stormed = 0, 0.0
    while True:
        async with limiter.slot():
            try:
                result = await fn()
                limiter.succeeded()
                return result
            except (HTTPStatusError, Unreachable, MalformedResponse) as exc:
                if isinstance(exc, HTTPStatusError) and exc.status == 429:
                    limiter.rate_limited()
                    delay = retry_after(exc)
                    delay = delay if delay is not None else min(policy.cap_s, policy.base_s * 2 ** min(attempt, 6))
                    delay += random.uniform(0, policy.base_s)
                    if stormed + delay > policy.storm_budget_s:
                        raise
                    stormed += delay
                else:
                    attempt += 1
                    if not _transient(exc) or attempt > policy.attempts:
                        raise
                    delay = retry_after(exc)
                    delay = delay if delay is not None else min(policy.cap_s, policy.base_s * 2 ** (attempt - 1))
                    delay += random.uniform(0, policy.base_s / 2)
                if tries is not None:
                    tries.append((cause(exc), delay))
        await asyncio.sleep(delay)
