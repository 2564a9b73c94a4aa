"""Models behind one contract (providers.base): the OpenAI-compatible client, the scripted
loopback server, the oracle and null models, and the endpoint registry."""
