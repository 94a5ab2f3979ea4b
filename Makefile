# Safer Together. `make run` serves the site; `make test` runs the whole suite.
# Each set-up step leaves a stamp, so running a target twice is quick and changes nothing.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .stamps
PORT ?= 8000
MAIL_PORT ?= 8025
# Rate limits kept in memory count per worker: one worker unless they are shared (Redis).
WORKERS ?= $(if $(RATELIMIT_STORAGE_URI),5,1)
SCSS := $(wildcard app/assets/scss/*.scss)
GOVUK := node_modules/govuk-frontend/dist/govuk
STATIC_SOURCES := $(wildcard app/static/js/*.mjs app/static/images/*)
ASSETS := app/static/build/manifest.json

export FLASK_APP := wsgi:app

.DEFAULT_GOAL := help
.PHONY: help setup served-url run dev lint test bench content-check system-test-deps system-bench-deps clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 20

$(STAMPS):
	@mkdir -p $(STAMPS)

$(STAMPS)/venv: requirements.txt | $(STAMPS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(STAMPS)/venv-dev: $(STAMPS)/venv requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

$(STAMPS)/npm: package.json package-lock.json | $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The CSS is compiled from GOV.UK Frontend's Sass with the system font stack; only the
# images are copied from the package (its fonts are GOV.UK's own).
app/static/css/main.css: $(SCSS) $(STAMPS)/npm
	mkdir -p app/static/css app/static/govuk/assets
	npx sass --quiet --load-path=. --no-source-map --style=compressed app/assets/scss/main.scss $@
	rm -rf app/static/govuk/assets/images
	cp -r $(GOVUK)/assets/images app/static/govuk/assets/images
	cp $(GOVUK)/govuk-frontend.min.js app/static/govuk/govuk-frontend.min.js

# Every static file under a content-hashed name (served as immutable), with Brotli and gzip
# copies beside each text file, so nothing is compressed while a visitor waits.
$(ASSETS): app/static/css/main.css $(STATIC_SOURCES) app/assets/build.py $(STAMPS)/venv
	$(BIN)/python app/assets/build.py app/static app/static/build
	$(BIN)/python -m whitenoise.compress --quiet app/static/build

setup: $(STAMPS)/venv $(ASSETS) ## Virtualenv, packages and assets

# Commands run later from another shell print links to the port actually served (app/config.py).
served-url:
	@mkdir -p instance
	@echo "http://127.0.0.1:$(PORT)" > instance/served-url

run: setup served-url ## Set up, migrate the database and serve the site with gunicorn
	$(BIN)/flask content check
	$(BIN)/flask db upgrade
	@echo ""
	@echo "Serving on http://127.0.0.1:$(PORT)/  (stop with Ctrl+C)"
	@echo "In another terminal, from this folder:"
	@echo "  $(BIN)/flask staff create you@example.org --admin      # first staff account; sign in at /staff/"
	@echo "  $(BIN)/flask samples load                             # sample responses to explore the results"
	@echo "  $(BIN)/flask invites issue parish-councils-2026-27 --parish Lutterworth   # a clerk's invitation link"
	@echo ""
	$(BIN)/gunicorn --workers $(WORKERS) --bind 127.0.0.1:$(PORT) --access-logfile - wsgi:app

# A local SMTP server runs beside the debug server and is stopped by its process id when
# Flask stops; what it receives is saved in instance/outgoing-mail/.
dev: setup $(STAMPS)/venv-dev served-url ## Flask debug server with reload, and a local mail server
	$(BIN)/flask db upgrade
	$(BIN)/flask mail dev-server --port $(MAIL_PORT) & mail=$$!; trap true INT TERM; \
	SMTP_HOST=127.0.0.1 SMTP_PORT=$(MAIL_PORT) MAIL_FROM="Safer Together <noreply@safer-together.invalid>" \
	$(BIN)/flask run --debug --port $(PORT); kill $$mail

content-check: setup ## Report every problem in content/
	$(BIN)/flask content check

# The suite drives Debian's Chromium, runs the Nu Html Checker with Java, and tests deploy/ with nginx.
system-test-deps:
	@command -v chromium >/dev/null && command -v java >/dev/null && command -v nginx >/dev/null \
		&& command -v openssl >/dev/null || { \
		echo "Installing Chromium, Java, nginx and openssl for the browser and deployment tests"; \
		apt-get update -q && apt-get install -y -q chromium default-jre-headless nginx openssl; }

system-bench-deps:
	@command -v wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }

# ruff (lint and format), mypy and the import contracts, all set in pyproject.toml.
lint: $(STAMPS)/venv-dev ## Lint, format check, type check and import contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: $(STAMPS)/venv-dev $(ASSETS) system-test-deps lint ## Set up, lint and run the whole suite
	APP_ENV=testing $(BIN)/flask content check
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMPS)/venv-dev $(ASSETS) system-bench-deps ## Print speed and memory figures
	$(BIN)/python -m bench

clean: ## Remove everything set-up made (not the database)
	rm -rf $(VENV) node_modules $(STAMPS) app/static/css app/static/govuk app/static/build
