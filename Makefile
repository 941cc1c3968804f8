# The README's two commands are `make demo` and `make test`; both set everything up.
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: help demo gpt test notebook lint check-wheel docs docs-image bench clean
.DEFAULT_GOAL := help

help:
	@echo "make demo   - create .venv, install chainrule, train an MLP on two moons (writes out/)"
	@echo "make gpt    - train a tiny GPT on names (batched, with NumPy) and sample 20 names"
	@echo "make test   - create .venv with dev extras, install Graphviz if missing, run all tests"
	@echo "make notebook - create .venv with dev and notebooks extras, open JupyterLab on notebooks/"
	@echo "make lint   - ruff (lint + format check), mypy --strict, engine size check"
	@echo "make check-wheel - build the wheel, install it in a fresh venv, run a smoke test"
	@echo "make docs   - build the documentation site into site/ (runs the notebooks; --strict)"
	@echo "make docs-image - redraw docs/graph.svg from the README's drawing example"
	@echo "make bench  - benchmarks vs micrograd, PyTorch (if installed) and hand-written floats"
	@echo "make clean  - remove .venv and caches"

# An install stamp per extra, redone when pyproject.toml changes. The venv step is
# idempotent and rebuilds a broken .venv, which also drops the stamps.
$(VENV)/.stamp-%: pyproject.toml scripts/bootstrap.sh
	@bash scripts/bootstrap.sh venv
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[$*]'
	@touch $@

demo: $(VENV)/.stamp-demo
	@bash scripts/bootstrap.sh dot
	$(PY) -m nn.demo

# GPT_ARGS="--mode compiled --batch-size 1 --steps 1000" runs microgpt's own schedule.
gpt: $(VENV)/.stamp-numpy
	$(PY) -m nn.models.gpt $(GPT_ARGS)

test: $(VENV)/.stamp-dev
	@bash scripts/bootstrap.sh dot
	$(PY) -m pytest

# JupyterLab with the project's venv as its kernel; the stamp installs both extras.
# Jupyter refuses to run as root (as in many containers) unless told it may.
notebook: $(VENV)/.stamp-dev,notebooks
	@bash scripts/bootstrap.sh dot
	$(VENV)/bin/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root)

# The README's "Install without make", as CI runs it after make test.
check-wheel: $(VENV)/.stamp-dev
	bash scripts/check_wheel.sh

lint: $(VENV)/.stamp-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(PY) scripts/count_core_lines.py

# The documentation site: MkDocs with --strict (a broken link or reference fails the
# build); mkdocs-jupyter runs the notebooks to show their outputs, hence Graphviz.
docs: $(VENV)/.stamp-docs
	@bash scripts/bootstrap.sh dot
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --site-dir site

# The README's picture, drawn by the README's own example (needs Graphviz's dot).
docs-image: $(VENV)/.stamp-dev
	@bash scripts/bootstrap.sh dot
	$(PY) scripts/draw_readme_graph.py

bench: $(VENV)/.stamp-bench
	$(PY) benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) site .cache .pytest_cache .mypy_cache .ruff_cache .hypothesis build *.egg-info
