# One obvious way to run each job. Every target builds the same .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8866
# DATA=DIR selects a raw or processed data folder (default: the embedded demo data).
DATA   ?=
export REGIOPORTRET_DATA := $(if $(DATA),$(abspath $(DATA)),$(REGIOPORTRET_DATA))
# INDELING=FILE: a regio-indeling CSV (e.g. saved by the region builder) instead of the data's own.
INDELING ?=
export REGIOPORTRET_INDELING := $(if $(INDELING),$(abspath $(INDELING)),$(REGIOPORTRET_INDELING))

.PHONY: app test lab reproduce lint demo bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## Serve the dashboard with Voilà on http://127.0.0.1:$(PORT) (embedded demo data unless DATA=DIR).
app: $(STAMP)
	@echo "Regioportret: http://127.0.0.1:$(PORT)  (data: $${REGIOPORTRET_DATA:-ingebouwde demodata})"
	$(BIN)/python -m regioportret.views.app notebooks --port=$(PORT) \
	    --Voila.config_file_paths=$(CURDIR)/voila

## Run every test: lint, unit and real-data tests, nbval on every notebook, browser tests.
test: $(STAMP)
	$(BIN)/ruff check lib tests benchmarks notebooks
	$(BIN)/pytest tests --nbval-lax notebooks --nbval-cell-timeout=300 -p no:cacheprovider

## JupyterLab on notebooks/ in the same environment.
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

## Re-execute every notebook with papermill on DATA into build/notebooks/.
reproduce: $(STAMP)
	$(BIN)/python -m regioportret.cli reproduce --out build/notebooks

## Regenerate the embedded demo dataset (deterministic; committed under data/demo/).
demo: $(STAMP)
	$(BIN)/regioportret data demo --out data/demo

bench: $(STAMP)
	$(BIN)/python benchmarks/load.py

lint: $(STAMP)
	$(BIN)/ruff check lib tests benchmarks notebooks

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache
