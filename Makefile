# Two commands do everything on a fresh machine:  make book  and  make test.
# Every target bootstraps what it needs: .venv (rebuilt when requirements.txt or
# pyproject.toml change), node_modules (the widget runtime, from package-lock.json) and,
# for the browser and PDF tests, Debian's Chromium (installed with apt-get when run as root).

PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
VENV_OK  := $(VENV)/.installed
NODE_OK  := node_modules/.installed
BENCH_OK := node_modules/.installed-dev
HTML     := _build/html
PORT     ?= 8000
CHROMIUM := /usr/bin/chromium

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
	@echo "make bench  measure build, rebuild, test and analysis times, and every page with"
	@echo "            Lighthouse (mobile and desktop), into benchmarks/results.md"
	@echo "make clean  remove _build (keeps .venv and node_modules)"

# A stamp is remade when one of the files it stands for is missing (their rules do nothing
# but tell make so): a deleted .venv/bin/jupyter-book or node_modules/requirejs/require.js
# reinstalls, although the stamp is still there.
VENV_FILES := $(BIN)/python $(BIN)/jupyter-book
NODE_FILES := node_modules/requirejs/require.js \
              node_modules/@jupyter-widgets/html-manager/dist/embed-amd.js \
              node_modules/mathjax/es5/tex-mml-chtml.js
LIGHTHOUSE := node_modules/.bin/lighthouse
$(VENV_FILES) $(NODE_FILES) $(LIGHTHOUSE): ;
NPM_CHECK = command -v npm >/dev/null 2>&1 || { echo "make: npm is missing: install Node.js \
	with npm (Debian: apt-get install nodejs npm), then run make again" >&2; exit 1; }

$(VENV_OK): requirements.txt pyproject.toml $(VENV_FILES)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet pip==26.3
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (geneva-talks)" >/dev/null
	touch $@

$(NODE_OK): package.json package-lock.json $(NODE_FILES)
	@$(NPM_CHECK)
	npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# make bench also needs the dev dependencies (Lighthouse). Installing them installs the
# production ones too, so both stamps are touched; npm ci empties node_modules first, so a
# later production-only install removes this stamp with Lighthouse.
$(BENCH_OK): package.json package-lock.json $(NODE_FILES) $(LIGHTHOUSE)
	@$(NPM_CHECK)
	npm ci --include=dev --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_OK) $@

# Debian's Chromium drives the browser and PDF tests. When it is missing, root installs it;
# anyone else is told, in one line, what to run.
$(CHROMIUM):
	$(if $(filter 0,$(shell id -u)),,$(error Chromium is missing: run `sudo apt-get update && sudo apt-get install -y chromium` (Debian), then make test again))
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

# Pre-flight: the data are checked first, so one bad value fails in a second, with one
# message, and nothing executes.
check: $(VENV_OK)
	$(BIN)/python -m book_tools.preflight

book: $(VENV_OK) $(NODE_OK) check
	$(BIN)/python -m book_tools.build
	@echo "Built: $(HTML)/index.html  (make serve to read it)"

handouts: $(VENV_OK)
	$(BIN)/python -m book_tools.handouts --out handouts chapters

lint: $(VENV_OK)
	$(BIN)/ruff check geneva_talks book_tools tests chapters benchmarks

# Chromium is there (the prerequisite saw to it), so a browser test that cannot find it fails.
test: $(CHROMIUM) $(VENV_OK) $(NODE_OK) lint
	GENEVA_REQUIRE_CHROMIUM=1 $(BIN)/python -m pytest

serve: book
	@echo "Serving on http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory $(HTML)

pdf: $(CHROMIUM) $(VENV_OK) $(NODE_OK)
	$(BIN)/python -m book_tools.pdf --project . --output _build/pdf/book.pdf

# Re-execute notebooks top to bottom and store their outputs (nbval compares them), without
# timing metadata, so that a re-run changes nothing that did not change. NB=path runs one.
notebooks: $(VENV_OK) check
	$(BIN)/python -m book_tools.execute $(NB)

# Containers often run as root, which JupyterLab refuses unless told.
lab: $(VENV_OK) $(NODE_OK)
	$(BIN)/jupyter lab --ip=127.0.0.1 --no-browser $(if $(filter 0,$(shell id -u)),--allow-root) \
	    chapters/

# Lighthouse (a dev dependency) runs in Debian's Chromium, hence both prerequisites.
bench: $(CHROMIUM) $(VENV_OK) $(BENCH_OK)
	$(BIN)/python benchmarks/run.py --runs $(or $(RUNS),3)

clean:
	rm -rf _build handouts
