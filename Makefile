# The two commands of the README: `make build` and `make test`. Both install what is
# missing (Debian packages, the .venv) and are safe to run twice.
PYTHON ?= python3
VENV   := .venv
STAMP  := $(VENV)/.installed-stamp

.PHONY: build test system venv lint bench clean
build: system venv
	$(VENV)/bin/layout build

test: system venv
	$(VENV)/bin/ruff check src tests $(wildcard bench)
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest -n auto --dist loadfile

system:
	@bash scripts/ensure-system.sh

venv: $(STAMP)
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "layout needs Python >= 3.11 (found $$($(PYTHON) --version))" >&2; exit 1; }
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --upgrade pip
	$(VENV)/bin/python -m pip install -q -e '.[test]'
	touch $(STAMP)

bench: system venv
	$(VENV)/bin/python bench/run.py

clean:
	rm -rf build
