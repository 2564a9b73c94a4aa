"""Wire adapters: pertask's conversation (OpenAI-style chat messages plus reasoning parts) to one
provider dialect and back. Looked up by name; see base.py for the contract."""
