class StockError(Exception):
    pass


class NotFound(StockError):
    pass


class InsufficientStock(StockError):
    def __init__(self, sku: str, warehouse: str, wanted: int, available: int):
        super().__init__(f"{sku} at {warehouse}: wanted {wanted}, only {available} available")
        self.sku, self.warehouse, self.wanted, self.available = sku, warehouse, wanted, available
