from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Product:
    id: int
    sku: str
    name: str
    reorder_level: int
    unit_cost_cents: int


@dataclass(frozen=True)
class Warehouse:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class StockLine:
    sku: str
    name: str
    warehouse: str
    quantity: int
    reorder_level: int

    @property
    def needs_reorder(self) -> bool:
        return self.quantity <= self.reorder_level
