"""What acts on a sample: the built-in agent loop and its tools, external agents and their adapters, the metering
proxy they call, and the judge."""
