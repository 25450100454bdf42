# factsim: two commands do all the set-up on a fresh machine.
#   make run    create .venv, install, run the default comparison (outputs/latest)
#   make test   create .venv, install, run the tests
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: install run test bench report screenshot study calibrate sensitivity notebook clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,calibration,cluster]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m sim $(ARGS)
	@case " $(ARGS) " in *" -m "*|*" --multirun "*) ;; *) $(BIN)/python -m sim.report outputs/latest ;; esac

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

report: $(STAMP)
	$(BIN)/python -m sim.report $(or $(RUN),outputs/latest) $(ARGS)

# a picture of the report as Chromium shows it (needs Debian chromium + chromium-driver)
screenshot: $(STAMP)
	$(BIN)/python -m sim.browser $(or $(REPORT),outputs/latest/report_da.html) $(or $(OUT),outputs/report.png)

# researchers (issue #4): the pre/post study, calibration, sensitivity, their notebook
study: $(STAMP)
	rm -rf outputs/study
	$(BIN)/python -m sim study=norway_prepost hydra.run.dir=outputs/study $(ARGS)

calibrate: $(STAMP)
	$(BIN)/factsim-calibrate $(ARGS)

sensitivity: $(STAMP)
	$(BIN)/factsim-sensitivity $(ARGS)

notebook: $(STAMP)
	$(BIN)/python -m sim.notebook $(ARGS)

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_model.py $(ARGS)

clean:
	rm -rf $(VENV) outputs multirun .pytest_cache
