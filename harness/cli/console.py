"""What every command shares: the console its messages go to, the one-line usage error, and the flags two
commands parse alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console

if TYPE_CHECKING:
    from harness.sandboxes.bases import Substitutions

# One message, one line, whatever the width; a name is printed as written (a model called x:fire: is no emoji, a task
# called [red] no colour).
err = Console(stderr=True, soft_wrap=True, emoji=False, markup=False)


class UsageError(Exception):
    pass


def substitutions(a) -> Substitutions:
    """--substitute-image NAME=LOCAL, --image-namespace and --offline-images, as run and tasks check take them."""
    from harness.sandboxes.bases import Substitutions
    from harness.sandboxes.images import parse_substitutions

    try:
        return Substitutions(parse_substitutions(a.substitute_image), a.offline_images, a.image_namespace or "")
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def print_lines(lines: list[str]) -> None:
    """A listing, each line folded at the width (a terminal's; piped, $COLUMNS, else 200, as the tables), the rest of
    a long line indented under its start: `tasks list`'s tags, `providers`' settings."""
    from results.fit import fold, width

    cols = width()
    for line in lines:
        print("\n".join(fold(line, cols)))


def note(message: str) -> None:
    """A progress line (an image being looked up, an agent installed): dim, on the console."""
    err.print(message, style="dim", highlight=False)


def warn(message: str) -> None:
    """A warning: said once, on the console, in one line."""
    err.print(f"warning: {message}", style="yellow", highlight=False)
