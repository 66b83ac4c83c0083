# uprlib: data -> notebooks -> paper.  `make all` runs the main job, `make test` the tests.
# Each target creates the virtual environment it needs (.venv) from pyproject.toml.
# The steps run as the Snakemake workflow workflow/Snakefile (through `uprlib`), which redoes only
# what is out of date, so a second `make all` with nothing changed takes seconds.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
UPRLIB := $(VENV)/bin/uprlib
COUNTRY ?= CHN
CYCLE   ?= 2
# a make variable as one shell word: COUNTRY='X; rm -rf ~' is an (unknown) country, not a command
quote = '$(subst ','\'',$(1))'

.PHONY: all venv fetch prepare notebooks paper lab refresh-notebooks dictionary test lint bench clean

# main job: fetch + prepare + notebooks + paper (HTML and PDF), one Snakemake run.
all: venv
	$(UPRLIB) paper --country $(call quote,$(COUNTRY)) --cycle $(call quote,$(CYCLE))

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

notebooks: prepare
	$(UPRLIB) run --country $(call quote,$(COUNTRY)) --cycle $(call quote,$(CYCLE))

paper: notebooks
	$(UPRLIB) render --country $(call quote,$(COUNTRY)) --cycle $(call quote,$(CYCLE))

# JupyterLab on notebooks/ with this environment's kernel; `uprlib lab` prepares stale tables
# first. LAB_ARGS go to JupyterLab (e.g. make lab LAB_ARGS=--allow-root when running as root)
LAB_ARGS ?=
lab: fetch
	$(UPRLIB) lab $(if $(LAB_ARGS),-- $(LAB_ARGS))

# re-execute the committed notebooks so they carry outputs for the default parameters
refresh-notebooks: prepare
	$(PY) -c "from uprlib.pipeline.runner import refresh_committed; refresh_committed()"

# the data dictionary in README.md, generated from the table schemas
dictionary: venv
	$(PY) -c "from uprlib.paper.dictionary import update_readme; update_readme()"

# the notebooks' checked cells need the prepared tables, so the tests prepare them first
test: prepare
	$(PY) -m pytest

lint: venv
	$(VENV)/bin/ruff check src tests

bench: venv
	$(PY) benchmarks/bench.py

clean:
	rm -rf data/processed/*.parquet data/processed/*.csv data/processed/*.json \
	       data/processed/.prepare.outputs.json outputs/*-cycle* outputs/batch-* \
	       outputs/benchmarks data/interim
