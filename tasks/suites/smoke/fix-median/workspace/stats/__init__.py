from .core import mean, median, mode, spread

__all__ = ["mean", "median", "mode", "spread"]
