# Two commands do everything on a fresh machine:  make book  and  make test.
# Every target bootstraps what it needs: .venv (rebuilt when requirements.txt or
# pyproject.toml change) and node_modules (the widget runtime, from package-lock.json).

PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
VENV_OK  := $(VENV)/.installed
NODE_OK  := node_modules/.installed
HTML     := _build/html
PORT     ?= 8000
JB_FLAGS := -n -W --keep-going

.PHONY: book check test lint serve lab notebooks pdf handouts bench clean help

help:
	@echo "make book   build the book into $(HTML) (sets up .venv and node_modules first)"
	@echo "make test   run the whole test suite (lint, library, data, notebooks, book, browser)"
	@echo "make check  check the data package (make book and make notebooks do it first)"
	@echo "make serve  serve the built book on http://127.0.0.1:$(PORT)/"
	@echo "make lab    open the notebooks in JupyterLab (127.0.0.1 only)"
	@echo "make notebooks  re-execute the notebooks in place and store outputs (NB=path: one)"
	@echo "make pdf    print the whole book to _build/pdf/book.pdf with headless Chromium"
	@echo "make handouts  write student copies of the notebooks without solutions to handouts/"
	@echo "make bench  measure build, rebuild, test and analysis times into benchmarks/results.md"
	@echo "make clean  remove _build (keeps .venv and node_modules)"

$(VENV_OK): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (geneva-talks)" >/dev/null
	touch $@

$(NODE_OK): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Pre-flight: the data are checked first, so one bad value fails in a second, with one
# message, and nothing executes.
check: $(VENV_OK)
	$(BIN)/python -m geneva_talks.preflight

book: $(VENV_OK) $(NODE_OK) check
	$(BIN)/jupyter-book build . $(JB_FLAGS)
	@echo "Built: $(HTML)/index.html  (make serve to read it)"

handouts: $(VENV_OK)
	$(BIN)/python -m geneva_talks.handouts --out handouts chapters

lint: $(VENV_OK)
	$(BIN)/ruff check geneva_talks tests chapters benchmarks

test: $(VENV_OK) $(NODE_OK) lint
	$(BIN)/python -m pytest

serve: book
	@echo "Serving on http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory $(HTML)

pdf: $(VENV_OK) $(NODE_OK)
	$(BIN)/python -m geneva_talks.pdf --project . --output _build/pdf/book.pdf

# Re-execute notebooks top to bottom and store their outputs (nbval compares them), without
# timing metadata, so that a re-run changes nothing that did not change. NB=path runs one.
notebooks: $(VENV_OK) check
	$(BIN)/python -m geneva_talks.execute $(NB)

lab: $(VENV_OK) $(NODE_OK)
	$(BIN)/jupyter lab --ip=127.0.0.1 --no-browser chapters/

bench: $(VENV_OK) $(NODE_OK)
	$(BIN)/python benchmarks/run.py --runs $(or $(RUNS),3)

clean:
	rm -rf _build handouts
