"""A run: its plan, one sample's life, the coordinator, executors (local, Ray), the budget, grading and its control."""
