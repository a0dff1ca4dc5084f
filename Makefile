# Finsam: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.install-stamp

.PHONY: install run test a11y otp bench lint clean-db

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Finsam kräver Python 3.11 eller senare."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(STAMP)

run: export FINSAM_ENV ?= development
run: export DEBUG ?= 1
# Links in mail (kallelse, welcome, justering) point at the address served.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "Finsam körs på http://$(HOST):$(PORT)/  (avsluta med Ctrl+C)"
	@echo "Engångskod för inloggningens andra steg: make otp"
	@# A worker of the task queue runs beside the web server (PDFs, e-mail, the
	@# nightly jobs); it and the embedded database stop with the web server,
	@# however it was stopped.
	@$(BIN)/python manage.py procrastinate worker --concurrency 2 & worker=$$!; \
		trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null; \
			$(BIN)/python -m finsam.lib.embedded_db stop "$${EMBEDDED_PGDATA:-.pgdata}"' EXIT INT TERM; \
		$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

# One worker per core, each with its own test database; a test file stays on
# one worker so that its module's shared data is made once. PYTEST_ARGS="-n 0"
# runs in one process.
test: export FINSAM_ENV = test
test: install
	$(BIN)/python -m pytest -n auto --dist loadfile $(PYTEST_ARGS)

# The whole accessibility walk: every page each demo persona reaches, at
# 1280 and 320 px, with axe, reflow, focus and each form's error state.
a11y: export FINSAM_ENV = test
a11y: install
	$(BIN)/python -m pytest -m walk -s tests/browser/test_accessibility_walk.py $(PYTEST_ARGS)

otp: export FINSAM_ENV ?= development
otp: install
	@$(BIN)/python manage.py demo_otp

bench: export FINSAM_ENV ?= development
bench: install
	@$(BIN)/python -c 'import locust' 2>/dev/null || $(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run.py $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean-db:
	rm -rf .pgdata
