"""Typed records, the run store, prices and reports. Imports nothing else of pertask."""

from .records import ErrorClass, PriceEntry, RunManifest, SampleRecord, Usage

__all__ = ["ErrorClass", "PriceEntry", "RunManifest", "SampleRecord", "Usage"]
