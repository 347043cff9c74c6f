# `make run` and `make test` work on a fresh machine: they build .venv with a
# Python 3.12 or newer (python3.13, python3.12, pyenv's versions, or python3).
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
HOST_PORT ?= 127.0.0.1:8000
HOST = $(firstword $(subst :, ,$(HOST_PORT)))
PORT = $(lastword $(subst :, ,$(HOST_PORT)))
# `make run` keeps every email it sends as a file a person can open (README, Email).
EMAIL_URL ?= file:.outbox
# Links in the emails it sends point at the server it runs.
DJANGO_SITE_URL ?= http://$(HOST_PORT)

FIND_PYTHON := for candidate in "$$PYTHON" python3.13 python3.12 \
	  $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python 2>/dev/null | sort -r) python3; do \
	  [ -n "$$candidate" ] || continue; \
	  if command -v "$$candidate" >/dev/null 2>&1 && \
	     "$$candidate" -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	    echo "$$candidate"; exit 0; fi; \
	done; exit 1

.PHONY: run test bench lint format clean

$(BIN)/python:
	@python=$$($(FIND_PYTHON)) || { \
	  echo "This project needs Python 3.12 or newer with venv, and none was found."; \
	  echo "Install one (for example: pyenv install 3.12) or name it: make PYTHON=/path/to/python3.12 run"; \
	  exit 1; }; \
	echo "Creating $(VENV) with $$python ($$($$python --version))"; \
	"$$python" -m venv $(VENV) && $(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_seeds
	DJANGO_DEBUG=1 $(BIN)/python manage.py ensure_demo_accounts
	@echo "Serving on http://$(HOST_PORT)/ with the worker that sends emails (Ctrl+C stops both)"
	@echo "Emails sent: the Outbox page (/outbox/), and $(EMAIL_URL) (one .eml file per message)"
	@# One ASGI server for the pages and the live screens' streams (production splits them:
	@# README, Production); it restarts when Python code changes.
	@export DJANGO_DEBUG=1 EMAIL_URL=$(EMAIL_URL) DJANGO_SITE_URL=$(DJANGO_SITE_URL); \
	  $(BIN)/python manage.py db_worker --queue-name '*' --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	  $(BIN)/uvicorn config.asgi:application --host $(HOST) --port $(PORT) \
	    --reload --reload-dir config --reload-dir meetings --reload-dir mechanisms \
	    --timeout-graceful-shutdown 1

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

# The production server on loopback against this machine's PostgreSQL and Redis (override
# BENCH_DATABASE_URL / BENCH_REDIS_URL); writes docs/benchmarks.md.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/cam_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/15
bench: $(VENV)/.installed-dev
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=bench-only-secret-key-0123456789abcdefghijklmnopqrstuv \
	DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=0 EMAIL_URL=dummy: \
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) \
	  $(BIN)/python -m tests.benchmark $(BENCH_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
