# Cảnh Giác 389 — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-api test-browser lint install clean-db messages bench

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

## Start the web server and the background worker together on http://127.0.0.1:8000 (Ctrl-C stops both).
run: $(STAMP)
	DEBUG=$${DEBUG:-true} $(BIN)/canhgiac demo
	@echo "Mở http://$${BIND:-127.0.0.1:8000}/ — Ctrl-C để dừng."
	@DEBUG=$${DEBUG:-true} bash -c 'trap "kill 0" INT TERM EXIT; \
	  $(BIN)/canhgiac worker & \
	  $(BIN)/canhgiac serve --bind $${BIND:-127.0.0.1:8000} --no-migrate & \
	  wait'

## Unit and integration tests (SQLite by default; set DATABASE_URL for PostgreSQL).
test: $(STAMP)
	$(BIN)/canhgiac makemigrations --check --dry-run > /dev/null
	$(BIN)/pytest -q $(PYTEST_ARGS)

## Property-based API test (schemathesis) against /api/v1/openapi.json: anonymous and two roles.
test-api: $(STAMP)
	$(BIN)/pytest -q -m schemathesis -p no:randomly $(PYTEST_ARGS)

## Browser tests (Playwright for Python driving Debian's /usr/bin/chromium).
test-browser: $(STAMP)
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -q -m browser -p no:randomly $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check canhgiac bench
	$(BIN)/ruff format --check canhgiac bench

messages: $(STAMP)
	$(BIN)/canhgiac makemessages -l en --no-obsolete --ignore '.venv/*' --ignore 'bench/*'
	$(BIN)/canhgiac compilemessages --ignore '.venv/*'

bench: $(STAMP)
	@ls bench/*.py
