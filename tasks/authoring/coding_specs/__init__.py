"""The coding suite's tasks: base, tier, the prose the agent gets, and how the base is changed.
One module per shared code base; each registers its tasks through task(), in this order."""

import importlib

TASKS: list[dict] = []
BASES = ("tabula", "webby", "throttle", "stockroom", "pebble", "datekit")


def task(**spec) -> None:
    TASKS.append(spec)


for _base in BASES:
    importlib.import_module(f"{__name__}.{_base}")
