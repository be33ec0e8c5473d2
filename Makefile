# IRIS developer commands. `make run` and `make test` create the environment on first use.
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.iris-installed
# The torch build this machine serves from local disk; pyproject.toml keeps a range around it.
TORCH_PINS ?= torch==2.14.1 torchvision==0.29.1

.PHONY: run test bench lint format env sysdeps clean package package-test mutation coverage

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet $(TORCH_PINS)
	$(PY) -m pip install --quiet -e '.[test,cluster,local-models]'
	@touch $(STAMP)

env: $(STAMP)

sysdeps:
	@bash packaging/install-system-deps.sh

run: $(STAMP)
	$(VENV)/bin/iris gui --sample

test: $(STAMP) sysdeps
	$(PY) -m ruff check app widgets core resources tests packaging
	$(PY) -m ruff format --check app widgets core resources tests packaging
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

# Benchmarks run as an installed IRIS does, from compiled bytecode (compiling a module holds
# Python's GIL, which a PYTHONDONTWRITEBYTECODE shell would add to every GUI-stall figure).
bench: $(STAMP)
	env -u PYTHONDONTWRITEBYTECODE QT_QPA_PLATFORM=offscreen $(PY) -m tests.perf

# Mutation testing of the modules that compute the papers' numbers (slow: not part of `test`).
# The last line is the score as JSON; MUTATION_MODULES="core.metrics.gaps ..." runs only those.
mutation: $(STAMP)
	@test -x $(VENV)/bin/mutmut || $(PY) -m pip install --quiet -e '.[mutation]'
	nice -n 15 tests/mutation/run.sh $(VENV)

# Coverage of the whole suite, CLI subprocesses counted (slow: not part of `test`); the
# last lines list every core/ module under 80% line or branch coverage.
coverage: $(STAMP)
	@$(PY) -c "import coverage" 2>/dev/null || $(PY) -m pip install --quiet -e '.[coverage]'
	$(PY) -m coverage erase
	QT_QPA_PLATFORM=offscreen $(PY) -m coverage run -m pytest -q
	$(PY) -m coverage combine
	$(PY) -m coverage json -q -o build/coverage.json
	$(PY) tests/coverage_floor.py build/coverage.json core 80

lint: $(STAMP)
	$(PY) -m ruff check app widgets core resources tests packaging

format: $(STAMP)
	$(PY) -m ruff format app widgets core resources tests packaging
	$(PY) -m ruff check --fix app widgets core resources tests packaging

# The frozen desktop build (onedir) in dist/iris; see packaging/README.md.
package: $(STAMP)
	$(PY) -m pip install --quiet -e '.[package]'
	$(PY) -m PyInstaller packaging/iris.spec --noconfirm --distpath dist --workpath build/pyinstaller

# Runs the frozen build's smoke test with no display and, where `unshare -n` works, no network.
NONET := $(shell unshare -n true 2>/dev/null && echo "unshare -n")
package-test:
	@test -x dist/iris/iris || { echo "no dist/iris/iris: run 'make package' first"; exit 1; }
	env -u DISPLAY QT_QPA_PLATFORM=offscreen IRIS_DATA_DIR=$$(mktemp -d) IRIS_CONFIG_DIR=$$(mktemp -d) \
		$(NONET) dist/iris/iris --smoke-test

clean:
	rm -rf build dist *.egg-info .pytest_cache .ruff_cache
