"""pebble: a tiny scripting language."""

from .errors import PebbleError
from .interpreter import Interpreter, run

__all__ = ["Interpreter", "PebbleError", "run"]
