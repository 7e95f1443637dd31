# Everyday targets. `make demo` and `make test` set everything up from a fresh clone.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.village-installed
# llama-cpp-python builds from source; a native build uses CPU features (AMX) some sandboxes refuse.
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
export LITELLM_LOCAL_MODEL_COST_MAP := True

.PHONY: setup demo test test-fast lint typecheck bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)  ## create .venv and install village with its dev tools

demo: setup  ## run the three-helper scenario on the embedded model, streaming live
	$(BIN)/village run scenarios/gemini-spiral.yaml

test: setup  ## the full test suite, including a session on the real embedded model
	$(BIN)/python -m pytest -q

test-fast: setup  ## everything but the embedded-model tests
	$(BIN)/python -m pytest -q -m "not embedded"

lint: setup
	$(BIN)/ruff check village tests bench

typecheck: setup
	$(BIN)/mypy

bench: setup  ## print the benchmark figures (see bench/README.md)
	$(BIN)/python bench/bench_session.py
	$(BIN)/python bench/bench_sweep.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
