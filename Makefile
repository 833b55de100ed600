# The two commands of README.md: `make run` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
DEV := DJANGO_DEBUG=1

.PHONY: run test install lint messages demo-reset serve-check clean

# A half-made venv (python3-venv missing) is removed, so the next run tries again.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); echo "Install python3-venv (apt-get install python3-venv) and try again."; exit 1; }

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(INSTALLED)

run: install
	$(DEV) $(BIN)/python manage.py migrate --no-input
	$(DEV) $(BIN)/python manage.py loadcatalogue --if-empty
	$(DEV) $(BIN)/python manage.py demo --if-empty
	$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Rebuild the demo organisation from scratch (asks nothing; the SQLite file is local).
demo-reset: install
	$(DEV) $(BIN)/python manage.py demo --reset

messages: install
	$(DEV) $(BIN)/python manage.py makemessages --locale nl --locale en --no-obsolete --ignore '.venv/*'
	$(DEV) $(BIN)/python manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) staticfiles
