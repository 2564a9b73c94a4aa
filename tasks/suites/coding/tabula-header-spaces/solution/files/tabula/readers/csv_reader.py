from __future__ import annotations

import csv
from pathlib import Path


def sniff_delimiter(sample: str, default: str = ",") -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return default


def read_csv(path: Path, delimiter: str | None = None, encoding: str = "utf-8-sig") -> list[dict[str, str]]:
    with open(path, newline="", encoding=encoding) as fh:
        text = fh.read()
    if delimiter is None:
        delimiter = "\t" if path.suffix.lower() == ".tsv" else sniff_delimiter(text[:4096])
    reader = csv.DictReader(text.splitlines(), delimiter=delimiter)
    if reader.fieldnames is None:
        return []
    names = [n.strip() for n in reader.fieldnames]
    rows = []
    for raw in reader:
        rows.append({name: raw.get(orig) for name, orig in zip(names, reader.fieldnames)})
    return rows
