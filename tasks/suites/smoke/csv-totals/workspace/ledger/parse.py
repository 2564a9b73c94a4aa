def read_rows(lines):
    """Yield dicts keyed by the header row."""
    lines = iter(lines)
    header = next(lines).strip().split(",")
    for line in lines:
        if not line.strip():
            continue
        yield dict(zip(header, line.strip().split(",")))
