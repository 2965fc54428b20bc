# The two commands of the README bootstrap a local virtual environment themselves.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install sandbox pgserver clean

demo: $(STAMP) sandbox  ## release, autograde the example submissions, print the grades
	$(BIN)/backprop-course demo

test: $(STAMP) sandbox pgserver  ## the whole test-suite: engine, grader, notebooks, pipeline
	$(BIN)/python -m pytest

install: $(STAMP) sandbox

# Grading kernels run in bubblewrap's sandbox (Debian/Ubuntu package `bubblewrap`).
sandbox:
	@command -v bwrap >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && apt-get install -y -qq bubblewrap >/dev/null; \
	  else \
	    echo "bubblewrap is needed: sudo apt-get install bubblewrap (or your system's package)"; \
	    exit 1; \
	  fi; }

# The gradebook tests start a private PostgreSQL server (Debian/Ubuntu package `postgresql`).
pgserver:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; \
	  else \
	    echo "the PostgreSQL server is needed by the tests: sudo apt-get install postgresql"; \
	    exit 1; \
	  fi; }

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,postgres]'
	touch $@

clean:
	rm -rf $(VENV) work tests/artifacts course/.oracle course/source/*/bpcheck
