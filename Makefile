# The README's two set-up commands: `make demo` and `make test`.
.PHONY: demo test setup lint

# The main job on the embedded default: no key, no GPU. The smoke suite, run by the
# oracle (reference solutions) and by a scripted model served over real HTTP on loopback.
demo:
	scripts/setup.sh
	.venv/bin/pertask run --suite smoke --model oracle \
	  --model scripted:examples/scripted-smoke.json --prices examples/scripted-prices.toml

test:
	scripts/setup.sh dev
	.venv/bin/python -m pytest -q

lint:
	.venv/bin/ruff check .
