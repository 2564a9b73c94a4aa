"""Where limiter state lives. A storage maps a key to a small value (dict, list or deque)."""

from .memory import MemoryStorage
from .sqlite import SQLiteStorage

__all__ = ["MemoryStorage", "SQLiteStorage"]
