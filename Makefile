# The two commands: `make run` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint typecheck pytest bench fuzz messages screenshots clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# The task worker (big imports run in the background) starts beside the server, and stops with
# it on Ctrl-C. Without reloading: the reloader's child would outlive a stopped parent.
run: $(VENV)/.installed
	$(BIN)/xuanwen migrate --no-input -v0
	$(BIN)/xuanwen demo
	$(BIN)/xuanwen db_worker --no-reload -v0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/xuanwen runserver 127.0.0.1:8000

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports  # the layers (docs/architecture.md)

typecheck: $(VENV)/.installed
	$(BIN)/mypy xuanwen bench scripts

pytest: $(VENV)/.installed
	$(BIN)/xuanwen makemigrations --check --dry-run -v0
	$(BIN)/pytest

test: lint typecheck pytest

bench: $(VENV)/.installed
	$(BIN)/python bench/units_import.py

# Schemathesis over every API operation against a live server on a fresh demo database: no 5xx,
# every body and status as the OpenAPI document declares (see scripts/fuzz_api.sh).
fuzz: $(VENV)/.installed
	scripts/fuzz_api.sh

# The README's pictures: one walk per role at 375 px and 1280 px (xuanwen/tests/test_role_walks.py).
screenshots: $(VENV)/.installed
	SCREENSHOTS=docs/screenshots $(BIN)/pytest -q xuanwen/tests/test_role_walks.py

messages: $(VENV)/.installed
	cd xuanwen && ../$(BIN)/xuanwen makemessages -l en --no-obsolete && ../$(BIN)/xuanwen compilemessages

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
