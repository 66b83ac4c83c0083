# uprlib: data -> notebooks -> paper.  `make all` runs the main job, `make test` the tests.
# Each target creates the virtual environment it needs (.venv) from pyproject.toml.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
UPRLIB := $(VENV)/bin/uprlib
COUNTRY ?= CHN
CYCLE   ?= 2

.PHONY: all venv fetch prepare notebooks refresh-notebooks test lint bench clean

all: notebooks

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

venv: $(VENV)/.installed

fetch: venv
	$(UPRLIB) fetch

prepare: fetch
	$(UPRLIB) prepare
	$(UPRLIB) summary --country $(COUNTRY) --cycle $(CYCLE)

notebooks: prepare
	$(UPRLIB) run --country $(COUNTRY) --cycle $(CYCLE)

# re-execute the committed notebooks so they carry outputs for the default parameters
refresh-notebooks: prepare
	$(PY) -c "from uprlib.runner import refresh_committed; refresh_committed()"

# the notebooks' checked cells need the prepared tables, so the tests prepare them first
test: prepare
	$(PY) -m pytest

lint: venv
	$(VENV)/bin/ruff check src tests

bench: venv
	$(PY) benchmarks/bench.py

clean:
	rm -rf data/processed/*.parquet data/processed/*.csv data/processed/*.json outputs/*-cycle*
