# The README's two set-up commands: `make demo` and `make test`.
.PHONY: demo demo-scripted test test-fast lint docs

# The main job on the embedded default: no key, no GPU. SmolLM2-135M-Instruct served by
# vLLM's CPU build (the `local` model) runs the smoke suite beside the oracle's reference
# solutions; turns and output tokens are capped so that a 2-core machine finishes in minutes. The CPU node
# is priced as a 2-vCPU cloud VM (results/data/hardware.toml, cpu2), and the same tokens are projected onto
# 8 x H200 and onto GLM-5.2's API list prices.
demo:
	scripts/setup.sh local
	.venv/bin/pertask run --suite smoke --model local --model oracle --concurrency 2 --max-turns 3 --max-tokens 96 \
	  --node cpu2 --project-on h200x8,zai:glm-5.2

# The same report in seconds, with no vLLM: a scripted model over real HTTP on loopback.
demo-scripted:
	scripts/setup.sh
	.venv/bin/pertask run --suite smoke --model oracle \
	  --model scripted:examples/scripted-smoke.json --prices examples/scripted-prices.toml

# Everything, real vLLM tests included (CI runs this): on two workers, the tests that share a machine-wide
# resource (vLLM servers, containers, Ray) kept on one (tests/conftest.py: SERIAL).
test:
	scripts/setup.sh dev local
	PERTASK_REQUIRE_BROWSER=1 .venv/bin/python -m pytest -q -n 2

# Without the tests that start a vLLM server.
test-fast:
	scripts/setup.sh dev
	.venv/bin/python -m pytest -q -n 2 -m "not vllm"

lint:
	.venv/bin/ruff check .

# The documentation site (docs/, mkdocs.yml) into site/: warnings are errors, so a broken link fails. The tests build
# it too (tests/test_docs.py).
docs:
	.venv/bin/mkdocs build --strict
