"""tabula: read, type, transform and write tabular data."""

from .errors import PipelineError, SchemaError
from .pipeline import Pipeline, load_pipeline
from .schema import Schema

__all__ = ["Pipeline", "PipelineError", "Schema", "SchemaError", "load_pipeline"]
__version__ = "0.4.2"
