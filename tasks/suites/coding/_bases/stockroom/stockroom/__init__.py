"""stockroom: inventory across warehouses, in SQLite."""

from .db import connect
from .errors import InsufficientStock, NotFound, StockError
from .service import Inventory

__all__ = ["Inventory", "InsufficientStock", "NotFound", "StockError", "connect"]
