# Lingban — the two commands: `make run` and `make test`. Everything else is a helper.
# Needs only Python 3.11+ and make: a virtualenv, uv and the locked dependencies are installed
# on first use; PostgreSQL and Redis are embedded unless DATABASE_URL / REDIS_URL are set.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))

.PHONY: install run test test-embedded lint format migrate seed messages vendor embedded-stop clean backup restore screenshots bench

$(VENV)/.installed: pyproject.toml uv.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check "uv==$(UV_VERSION)"
	$(UV) sync --locked --inexact --quiet
	@touch $@

install: $(VENV)/.installed

## make run: install, start embedded services if needed, migrate, load the demo county, serve web + worker + beat
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py devserver $(HOST):$(PORT)

## make test: the whole suite against a real PostgreSQL (DATABASE_URL, else the embedded one)
test: install
	$(PY) -m pytest

## the suite with DATABASE_URL/REDIS_URL unset: proves the embedded default
test-embedded: install
	env -u DATABASE_URL -u REDIS_URL $(PY) -m pytest -q

lint: install
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrate: install
	$(PY) manage.py migrate --noinput

seed: install
	$(PY) manage.py seed_demo

## make bench: county-scale data in its own database (generated on first use), then the benchmarks;
## results and the growth chart go to docs/benchmarks.md (not part of make test)
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/lingban_bench
bench: install
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) tests/benchmarks/bench_scale.py --scale county --write-docs

## refresh the Chinese translations after changing message ids
messages: install
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var --ignore=static --no-obsolete --add-location=file
	$(PY) manage.py compilemessages -l zh_Hans

## make screenshots: run the accountant's, the township's and the county's journeys and refresh the README's screenshots
screenshots: install
	$(PY) -m pytest -q tests/e2e/test_journeys_shell.py tests/e2e/test_accountant_journey.py tests/e2e/test_township_journey.py tests/e2e/test_county_journey.py
	cp tests/e2e/screenshots/home-demo-accountant.png docs/screenshots/todo-home.png
	cp tests/e2e/screenshots/accountant-voucher-entry.png docs/screenshots/voucher-entry.png
	cp tests/e2e/screenshots/township-inbox.png docs/screenshots/township-inbox.png
	cp tests/e2e/screenshots/county-dashboard.png docs/screenshots/county-dashboard.png

## copy the pinned front-end packages from npm into static/vendor (no CDN, ever)
vendor:
	cd static/vendor && npm install --no-save --no-audit --no-fund --prefix /tmp/lingban-vendor bootstrap@5.3.9 bootstrap-icons@1.13.2 echarts@5.6.0 htmx.org@2.0.11 axe-core@4.14.1
	cp /tmp/lingban-vendor/node_modules/bootstrap/dist/css/bootstrap.min.css* static/vendor/bootstrap/
	cp /tmp/lingban-vendor/node_modules/bootstrap/dist/js/bootstrap.bundle.min.js* static/vendor/bootstrap/
	cp /tmp/lingban-vendor/node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp /tmp/lingban-vendor/node_modules/echarts/dist/echarts.min.js static/vendor/echarts/
	cp -r /tmp/lingban-vendor/node_modules/bootstrap-icons/font/bootstrap-icons.min.css /tmp/lingban-vendor/node_modules/bootstrap-icons/font/fonts static/vendor/bootstrap-icons/
	cp /tmp/lingban-vendor/node_modules/axe-core/axe.min.js /tmp/lingban-vendor/node_modules/axe-core/LICENSE /tmp/lingban-vendor/node_modules/axe-core/LICENSE-3RD-PARTY.txt static/vendor/axe-core/

## make backup [FILE=path]: pg_dump of the database; make restore FILE=path: replace it from a backup
backup: install
	$(PY) manage.py backup $(FILE)

restore: install
	@test -n "$(FILE)" || (echo "usage: make restore FILE=var/backups/lingban-....dump" && exit 2)
	$(PY) manage.py restore --yes $(FILE)

embedded-stop: install
	$(PY) -m config.embedded stop

clean:
	rm -rf $(VENV) var/staticfiles .pytest_cache .ruff_cache
