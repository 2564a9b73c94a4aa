"""Task model, loaders, graders; the built-in suites are data under tasks/suites/."""

from .loader import Suite, SuiteError, builtin_suites, load_suite
from .model import Task, TaskError

__all__ = ["Suite", "SuiteError", "Task", "TaskError", "builtin_suites", "load_suite"]
