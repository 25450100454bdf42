# factsim: two commands do all the set-up on a fresh machine.
#   make run    create .venv, install, run the default comparison (outputs/latest)
#   make test   create .venv, install, run the tests
#   make workshop  the live workshop page for leaders (http://localhost:8501)
#   make docs   the documentation site (mkdocs --strict) -> site/
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
WORKSHOP_STAMP := $(VENV)/.installed-workshop

.PHONY: install run test test-native native check docs bench report screenshot study calibrate sensitivity notebook workshop clean

# make run needs only the light base install; make test installs every extra the tests use
$(RUN_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUN_STAMP)

$(DEV_STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,calibration,cluster,optimise,workshop,docs]'
	touch $(DEV_STAMP)

$(WORKSHOP_STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[workshop]'
	touch $(WORKSHOP_STAMP)

install: $(DEV_STAMP)

# the default comparison with parameter uncertainty (20 draws of the calibration's posterior
# x 5 replications); ARGS add to or override it, e.g. make run ARGS="uncertainty=none replications=20"
RUN_ARGS ?= uncertainty=posterior replications=5
run: $(RUN_STAMP)
	$(BIN)/python -m sim $(RUN_ARGS) $(ARGS)
	@case " $(ARGS) " in *" -m "*|*" --multirun "*) ;; *) $(BIN)/python -m sim.output.report outputs/latest ;; esac

# lint (ruff: style, imports, bugbear, docstrings of the public API) and types (mypy)
check: $(DEV_STAMP)
	$(BIN)/ruff check sim tests benchmarks hydra_plugins docs/gen_pages.py
	$(BIN)/mypy

# the documentation site from docs/ (mkdocs-material): --strict fails on a broken link or a
# missing reference; the configuration reference is generated from sim/config/params.py and
# the shipped YAML. ARGS add to mkdocs build, e.g. make docs ARGS=--quiet
docs: $(DEV_STAMP)
	NO_MKDOCS_2_WARNING=1 DISABLE_MKDOCS_2_WARNING=true $(BIN)/mkdocs build --strict --site-dir site $(ARGS)

# the suite on every core (pytest-xdist), each test file in one worker so its fixtures run
# once; TEST_WORKERS=0 runs it in one process (e.g. make test TEST_WORKERS=0 PYTEST_ARGS=tests/unit)
# The suite runs on the pure-Python core; then the compiled core is built (make native) and
# the model's, back, verification, study and plausibility tests run again on it
# (NATIVE_TESTS= skips that leg; make test-native runs only it)
TEST_WORKERS ?= auto
NATIVE_TESTS ?= tests/model tests/back tests/verification tests/study tests/plausibility
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder
test: check
	FACTSIM_CORE=python $(PYTEST) $(PYTEST_ARGS)
	@if [ -n "$(strip $(NATIVE_TESTS))" ]; then $(MAKE) --no-print-directory test-native; fi

test-native: $(DEV_STAMP)
	$(BIN)/python -m sim.apps.native
	FACTSIM_CORE=compiled $(PYTEST) $(PYTEST_ARGS) $(NATIVE_TESTS)

# planners: compile the model's core with mypyc (a C compiler and about 30 s; the same
# numbers, in about half the time). Edited sources fall back to pure Python until the next make native.
# ARGS=--status says which core runs, ARGS=--remove goes back to pure Python.
native: $(DEV_STAMP)
	$(BIN)/python -m sim.apps.native $(ARGS)

# leaders: the live workshop page on http://localhost:8501 (PORT=... for another port,
# ADDRESS=... to listen elsewhere than localhost; docs/hosting.md for a shared server)
PORT ?= 8501
ADDRESS ?= localhost
workshop: $(WORKSHOP_STAMP)
	$(BIN)/python -m sim.apps.workshop --address $(ADDRESS) --port $(PORT)

report: $(RUN_STAMP)
	$(BIN)/python -m sim.output.report $(or $(RUN),outputs/latest) $(ARGS)

# a picture of the report as Chromium shows it (needs Debian chromium + chromium-driver)
screenshot: $(DEV_STAMP)
	$(BIN)/python -m sim.output.browser $(or $(REPORT),outputs/latest/report_da.html) $(or $(OUT),outputs/report.png)

# researchers: the pre/post study, calibration, sensitivity, their notebook
study: $(RUN_STAMP)
	rm -rf outputs/study
	$(BIN)/python -m sim study=norway_prepost hydra.run.dir=outputs/study $(ARGS)

calibrate: $(DEV_STAMP)
	$(BIN)/factsim-calibrate $(ARGS)

sensitivity: $(DEV_STAMP)
	$(BIN)/factsim-sensitivity $(ARGS)

notebook: $(DEV_STAMP)
	$(BIN)/python -m sim.research.notebook $(ARGS)

# speed figures, on the compiled core if it builds (FACTSIM_CORE=python make bench: pure Python)
bench: $(DEV_STAMP)
	-$(BIN)/python -m sim.apps.native
	$(BIN)/python benchmarks/bench_model.py $(ARGS)

clean:
	rm -rf $(VENV) outputs multirun .pytest_cache build site sim/model/_native
