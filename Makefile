# oncoroute: `make run` serves the demo, `make test` runs every test. Both set everything up first.
SHELL := bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
# This machine's pip configuration names local package folders that may not exist; say nothing of them.
QUIET_PIP := { grep -v "is ignored: it is neither a file nor a directory" || true; }
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.lock pyproject.toml | sha256sum | cut -c1-12)
# The compiled translation catalogues (not in git): each .mo is remade when its .po changes.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard src/oncoroute/locale/*/LC_MESSAGES/*.po))

.PHONY: run test test-fast bench lint security setup browser clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.lock 2>&1 | $(QUIET_PIP)
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -e . 2>&1 | $(QUIET_PIP)
	$(BIN)/python -c "import oncoroute.cli, django"
	rm -f $(VENV)/.installed-* && touch $(STAMP)

$(CATALOGUES): %.mo: %.po | $(STAMP)
	$(BIN)/pybabel -q compile -l $(word 4,$(subst /, ,$@)) -i $< -o $@

# Byte-code written once here, as an installed package has it: an editable install has none, and
# where PYTHONDONTWRITEBYTECODE is set every command would otherwise compile its modules again.
setup: $(STAMP) $(CATALOGUES)
	$(BIN)/python -m compileall -q -j 0 src

browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

run: setup
	$(BIN)/oncoroute run

test: setup browser
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src
	$(BIN)/oncoroute makemigrations --check --dry-run
	$(BIN)/pytest

test-fast: setup
	$(BIN)/pytest -m "not browser"

bench: setup
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# bandit, SBOM (test-artifacts/sbom.json), pip-audit where a vulnerability service answers,
# and a passive wapiti scan of a production-settings server on 127.0.0.1.
security: setup
	bash .ci/security

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src

clean:
	rm -rf $(VENV) var
