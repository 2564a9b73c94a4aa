"""Typed records, the run store, prices and reports. Imports nothing else of pertask."""

from .records import ErrorClass, PriceEntry, RunManifest, SampleRecord, Usage

__all__ = ["ErrorClass", "PriceEntry", "RunManifest", "SampleRecord", "Usage", "load", "load_calls"]


def __getattr__(name: str):
    # pandas is imported only when a DataFrame is asked for: the harness itself never needs it.
    if name in ("load", "load_calls"):
        from . import frame

        return getattr(frame, name)
    raise AttributeError(name)
