"""The coding suite's tasks on the throttle base (rate limiter)."""

from . import task

task(id="throttle-fractional-period", base="throttle", difficulty="easy", tags=["bugfix", "python"],
     instruction="""
`throttle.parse_policy` crashes on policies whose period has a fractional part, such as
`"3/2.5s"` or `"1/0.5 minute"`: it raises `ValueError: invalid literal for int()` instead of
returning a policy. Fractional periods are documented in `throttle/policy.py`. Fix it.
""",
     mutate={"throttle/policy.py": [("float(m.group(2) or 1)", "int(m.group(2) or 1)")]})

task(id="throttle-clock", base="throttle", difficulty="medium", tags=["bugfix", "testing", "python"],
     instruction="""
Every limiter in throttle takes a `clock`, so that applications can test their limits on a
`FakeClock`. Users report that with a fake clock some algorithms never let requests through
again after refusing one, however far the clock is advanced, while others behave. In
production (real clock) they look fine. Find and fix the cause in every algorithm it affects.
""",
     mutate={"throttle/fixed_window.py": [("import math\n", "import math\nimport time\n"),
                                          ("window = math.floor(now / p.period)",
                                           "window = math.floor(time.monotonic() / p.period)")],
             "throttle/sliding_window.py": [("from collections import deque\n",
                                             "import time\nfrom collections import deque\n"),
                                            ("window = int(now // p.period)",
                                             "window = int(time.monotonic() // p.period)")]})

task(id="throttle-peek", base="throttle", difficulty="hard", tags=["feature", "python"], max_turns=60,
     instruction="""
Add `Limiter.peek(key, cost=1)` to throttle: it returns the `Decision` that `hit(key, cost)`
would return at this moment, without consuming anything or changing any state, for every
algorithm and with both storages (memory and SQLite). It validates `cost` exactly as `hit`
does. Dashboards will call it to show users how much of their allowance is left.
""",
     mutate={})

task(id="throttle-sliding-log-perf", base="throttle", difficulty="hard", tags=["performance", "python"],
     instruction="""
With a large policy such as `"100000/hour"`, each `hit` on a `SlidingWindowLog` limiter gets
slower as the log grows: profiling shows the time of one hit proportional to the number of
requests in the window. Make a hit take constant amortized time with the memory storage,
while giving exactly the same decisions (allowed, remaining, retry_after, reset_after) as now,
and keep the SQLite storage working.
""",
     mutate={"throttle/sliding_window.py": [('''        log = self.storage.get(key)
        if log is None:
            log = deque()
        elif not isinstance(log, deque):  # a storage that serializes gives a list back
            log = deque(log)
        horizon = now - p.period
        while log and log[0] <= horizon:
            log.popleft()
''', '''        horizon = now - p.period
        log = [t for t in (self.storage.get(key) or []) if t > horizon]
''')]})
