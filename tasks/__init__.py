"""Task model, formats and their loaders, graders; the built-in suites are data under tasks/suites/."""

from .errors import SuiteError, TaskError
from .loader import builtin_suites, load_suite
from .model import Suite, Task

__all__ = ["Suite", "SuiteError", "Task", "TaskError", "builtin_suites", "load_suite"]
