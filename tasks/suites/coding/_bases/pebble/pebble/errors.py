class PebbleError(Exception):
    """An error in a pebble program, with the line it happened on."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(f"line {line}: {message}" if line is not None else message)
        self.message, self.line = message, line


class ReturnSignal(Exception):
    """Unwinds a function call on `return`; not an error."""

    def __init__(self, value):
        self.value = value
