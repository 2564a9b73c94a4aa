"""What every command shares: the console its messages go to, the one-line usage error, and the flags two
commands parse alike."""

from __future__ import annotations

from rich.console import Console

err = Console(stderr=True, soft_wrap=True)  # one message, one line, whatever the width


class UsageError(Exception):
    pass


def substitutions(pairs: list[str]) -> dict[str, str]:
    """--substitute-image NAME=LOCAL, as run and tasks check take it."""
    from harness.sandboxes.images import parse_substitutions

    try:
        return parse_substitutions(pairs)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def note(message: str) -> None:
    """A progress line (an image being looked up, an agent installed): dim, on the console."""
    err.print(message, style="dim", highlight=False)


def warn(message: str) -> None:
    """A warning: said once, on the console, in one line."""
    err.print(f"warning: {message}", style="yellow", highlight=False)
