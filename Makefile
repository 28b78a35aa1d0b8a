# Two commands on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export FLASK_APP := api

.PHONY: run serve worker test test-postgres lint lint-openapi format openapi bench clean

$(BIN)/flask: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(BIN)/flask

# The server, and beside it one annotation worker on the embedded queue (instance/queue/),
# stopped with it.
run: $(BIN)/flask
	$(BIN)/flask --app api db upgrade
	$(BIN)/flask --app api load-fixtures
	$(BIN)/flask --app api worker & trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask --app api run --host $(HOST) --port $(PORT)

serve: $(BIN)/flask
	$(BIN)/flask --app api db upgrade
	$(BIN)/gunicorn --config gunicorn.conf.py api.wsgi:app

# Annotation workers for `make serve` (JOB_BROKER_URL: the same on every machine).
worker: $(BIN)/flask
	$(BIN)/flask --app api worker --concurrency $(or $(WORKERS),2)

test: $(BIN)/flask
	$(BIN)/pytest --cov --cov-report=term:skip-covered

test-postgres: $(BIN)/flask
	DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test $(BIN)/pytest

lint: $(BIN)/flask
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(BIN)/flask
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

node_modules: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch node_modules

lint-openapi: node_modules
	npm run --silent lint:openapi

# Benchmarks: `make bench BENCH_ARGS="--scales 10000,100000,1000000 --stores sqlite,postgres"`.
BENCH_ARGS ?= --scales 10000 --stores sqlite
bench: $(BIN)/flask
	$(BIN)/python bench/run.py $(BENCH_ARGS)

openapi: $(BIN)/flask
	$(BIN)/flask --app api openapi write openapi.yaml

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .coverage
