# The two commands of README.md: `make run` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
DEV := DJANGO_DEBUG=1

.PHONY: run test install lint messages demo-reset screenshots serve clean

# A half-made venv (python3-venv missing) is removed, so the next run tries again.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); echo "Install python3-venv (apt-get install python3-venv) and try again."; exit 1; }

# The venv's own pip (23 on Debian 12) installs the project from pyproject.toml: no upgrade.
$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(INSTALLED)

run: install
	$(DEV) $(BIN)/python manage.py migrate --no-input
	$(DEV) $(BIN)/python manage.py loadcatalogue --if-empty
	$(DEV) $(BIN)/python manage.py demo --if-empty
	# the background worker (batch printing of certificates) runs beside the site and stops with it
	$(DEV) $(BIN)/python manage.py db_worker --verbosity 0 & trap 'kill $$! 2>/dev/null' EXIT; \
	$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# A test worker per core: a third on two cores made the run half again as long (Chromium, gunicorn
# and the workers then fight over the cores). `make test JOBS=0` runs in one process. A module
# stays on one worker (its module-wide fixtures are made once), and the long ones start first
# (tests/conftest.py; xdist would otherwise start the modules with the most tests first).
JOBS ?= $(shell nproc)

test: install
	$(BIN)/python -m pytest --numprocesses $(JOBS) --dist loadfile --no-loadscope-reorder

# The production stack on this machine: debug off, hashed and compressed static files served by
# whitenoise, gunicorn (docs/deploy.md). Same database and demo logins as `make run`, plain http
# (so no redirect to https). Its secret key is made once, kept in .venv and never in git; a
# DJANGO_SECRET_KEY in the environment wins. Another address: `make serve BIND=127.0.0.1:8001`.
SECRET_KEY_FILE := $(VENV)/secret-key
BIND ?= 127.0.0.1:8000
PROD := DJANGO_DEBUG=0 DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost \
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat $(SECRET_KEY_FILE))}"

$(SECRET_KEY_FILE): | $(BIN)/python
	umask 077 && $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

serve: install $(SECRET_KEY_FILE)
	$(PROD) $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(PROD) $(BIN)/python manage.py migrate --no-input
	$(PROD) $(BIN)/python manage.py loadcatalogue --if-empty
	$(PROD) $(BIN)/python manage.py demo --if-empty
	$(PROD) exec $(BIN)/gunicorn --config wpo/gunicorn.py --bind $(BIND)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Rebuild the demo organisation from scratch (asks nothing; the SQLite file is local).
demo-reset: install
	$(DEV) $(BIN)/python manage.py demo --reset

# The README's pictures, from a fresh demo on a site of their own (needs Chromium and poppler-utils).
screenshots: install
	$(DEV) $(BIN)/python manage.py screenshots

messages: install
	$(DEV) $(BIN)/python manage.py makemessages --locale nl --locale en --no-obsolete --ignore '.venv/*'
	$(DEV) $(BIN)/python manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) staticfiles
