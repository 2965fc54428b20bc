# The two commands of the README bootstrap a local virtual environment themselves.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install clean

demo: $(STAMP)  ## release, autograde the example submissions, print the grades
	$(BIN)/backprop-course demo

test: $(STAMP)  ## the whole test-suite: engine, grader, notebooks, pipeline
	$(BIN)/python -m pytest

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) work tests/artifacts course/.oracle course/source/*/bpcheck
