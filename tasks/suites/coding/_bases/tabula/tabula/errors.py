class TabulaError(Exception):
    """Base class of every error tabula raises on purpose."""


class SchemaError(TabulaError):
    def __init__(self, column: str, value: object, expected: str, row: int | None = None):
        where = f" (row {row})" if row is not None else ""
        super().__init__(f"column '{column}'{where}: cannot read {value!r} as {expected}")
        self.column, self.value, self.expected, self.row = column, value, expected, row


class PipelineError(TabulaError):
    pass
