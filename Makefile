# Everyday commands; each one is a thin wrapper, so the scripts stay the single source.
PYTHON := .venv/bin/python
RUFF := .venv/bin/ruff
MANAGE := DJANGO_SETTINGS_MODULE=config.settings.dev $(PYTHON) manage.py

.PHONY: run test lint format messages migrations-check

## run: set up, load the demo content and serve on http://127.0.0.1:8000
run:
	./scripts/run

## test: lint, migrations check, pytest on SQLite (with the browser tests) and on PostgreSQL
test:
	./scripts/test

lint:
	$(RUFF) check .

format:
	$(RUFF) format .

## messages: extract the interface strings into locale/fr and locale/en, then compile them
messages:
	$(MANAGE) makemessages -l fr -l en --no-location --ignore=.venv --ignore=node_modules --ignore=var
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules --ignore=var

migrations-check:
	$(MANAGE) makemigrations --check --dry-run
