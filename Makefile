# The two commands of the README bootstrap a local virtual environment themselves.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test check install sandbox pgserver clean

demo: $(STAMP) sandbox  ## release, autograde the example submissions, print the grades
	$(BIN)/backprop-course demo

test: $(STAMP) sandbox pgserver  ## the whole test-suite: engine, grader, notebooks, pipeline
	$(BIN)/python -m pytest -n 2

check: $(STAMP)  ## the inner loop: engine, checks and notebooks (nbval); no pipeline, no browser
	$(BIN)/python -m pytest -n 2 -m "not pipeline and not browser"

install: $(STAMP) sandbox

# $(call need,CHECK,PACKAGE,WHY): when CHECK fails, install the Debian/Ubuntu PACKAGE
# (as root with apt-get), or say how to.
define need
	@$(1) >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && apt-get install -y -qq $(2) >/dev/null; \
	  else \
	    echo "$(3): sudo apt-get install $(2) (or your system's package)"; \
	    exit 1; \
	  fi; }
endef

# Grading kernels run in bubblewrap's sandbox.
sandbox:
	$(call need,command -v bwrap,bubblewrap,bubblewrap is needed)

# The gradebook tests start a private PostgreSQL server.
pgserver:
	$(call need,ls /usr/lib/postgresql/*/bin/initdb,postgresql,the PostgreSQL server is needed by the tests)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,postgres]'
	touch $@

clean:
	rm -rf $(VENV) work tests/artifacts course/.oracle course/source/*/bpcheck grader/checks/*_cases.py
