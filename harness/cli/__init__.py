"""The command line: the table of commands, the grammar, each command, the console, experiment files, progress and
the viewer's server. It reads flags and prints; pricing, sandbox choices and the run itself live in the rooms below."""

from .main import main

__all__ = ["main"]
