"""CLI, run orchestration, the agent loop and sandboxes. Nothing imports harness but tests and the console script."""
