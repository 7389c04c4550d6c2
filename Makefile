# `make run` and `make test` work on a fresh Debian/Ubuntu machine with only Python 3.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test lint setup sysdeps bench screenshots package clean server server-stop

run: setup
	$(PY) -m annotator

test: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

# Each check on its own, all of them run even when one fails: ruff (errors, import order,
# unused noqa), mypy (strict on core/ and store/; pyproject.toml), the import-linter contracts.
lint: setup
	@status=0; \
	echo "lint: ruff"; $(VENV)/bin/ruff check . || status=1; \
	echo "lint: mypy"; $(VENV)/bin/mypy || status=1; \
	echo "lint: import contracts"; $(VENV)/bin/lint-imports || status=1; \
	exit $$status

setup: sysdeps $(STAMP)

# System libraries (Qt's xcb platform, fonts, venv): apt-get as root, else print the command.
sysdeps:
	@sh scripts/sysdeps.sh

$(STAMP): pyproject.toml setup.py constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Team mode on one machine: a local PostgreSQL cluster in .server/ on 127.0.0.1:5433
# (Debian's postgresql package; README "Team mode").
server: setup
	$(PY) -m annotator server start .server --port 5433

server-stop: setup
	$(PY) -m annotator server stop .server

bench: setup
	$(PY) bench/run_all.py

screenshots: setup
	sh scripts/screenshots.sh

# The executable bundle: dist/annotator/ and dist/annotator-<version>-<platform>.tar.xz
package: setup
	$(PY) -m pip install --quiet -c constraints.txt -r packaging/requirements.txt
	$(PY) packaging/build.py
	dist/annotator/annotator --self-test

clean:
	rm -rf $(VENV) build dist .pytest_cache
