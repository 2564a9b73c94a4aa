"""Where limiter state lives. A storage maps a key to a small value (dict, list or deque)."""

from .file import FileStorage
from .memory import MemoryStorage
from .sqlite import SQLiteStorage

__all__ = ["FileStorage", "MemoryStorage", "SQLiteStorage"]
