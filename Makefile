# Everything sets itself up: a fresh clone needs only `make run` or `make test`.
# Python may cache bytecode here even where the environment says not to (PYTHONDONTWRITEBYTECODE,
# as on this image): each test process, tool subprocess and the 3.13 tier would otherwise compile
# moto, botocore and the rest from source again (2.5 s an interpreter instead of 0.7 s).
unexport PYTHONDONTWRITEBYTECODE
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run
# uv (requirements-bootstrap.txt) installs every other pin into a venv: `$(UV) <python> -r <file>`.
UV = $(BIN)/uv pip install --quiet --python
NODE_STAMP := node_modules/.installed
# The Lambda runtime's Python, for the unit tier under 3.13 (a venv of its own).
PYTHON313 ?= $(firstword $(wildcard /root/.pyenv/versions/3.13.0/bin/python) $(shell command -v python3.13 2>/dev/null))
VENV313 := .venv313
# `make test-313` alone takes both cores; inside `make test` it runs in one process beside the rest.
XDIST_313 ?= -n 2
STAMP313 := $(VENV313)/.installed
# Two workers, one test file each at a time (module-scoped worlds stay whole), the longest files
# first (tests/durations.json, read by tests/conftest.py; tools/test_durations.py refreshes it).
XDIST ?= -n 2 --dist loadfile --no-loadscope-reorder
# The files holding timing-bound tests (@pytest.mark.serial), run alone after the rest: naming them
# spares collecting the other 23,000 tests a third time.
SERIAL_FILES = $(shell grep -rl --include='test_*.py' 'mark.serial' tests)

.PHONY: run test test-fast test-313 lint fuzz faults concurrency package bench apl screens audit lock nlu

# `make run` needs only the skill and the console (requirements-run.txt); everything else builds on it.
$(RUN_STAMP): requirements-bootstrap.txt requirements-run.txt lambda/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-bootstrap.txt
	$(UV) $(BIN)/python -r requirements-run.txt
	touch $(RUN_STAMP)

$(STAMP): $(RUN_STAMP) requirements-dev.txt
	$(UV) $(BIN)/python -r requirements-dev.txt
	touch $(STAMP)

## Talk to the skill locally (plays the demo night when stdin is not a terminal).
run: $(RUN_STAMP)
	$(BIN)/python tools/console.py $(ARGS)

# The npm packages the tests use (apl-suggester); skipped, with a note, where npm is missing.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch $(NODE_STAMP); \
	else echo "npm is missing: the APL validation test will be skipped"; fi

## Lint; then every test (tests/unit, tests/functional, tests/system) on two workers, with the unit
## tier under 3.13 beside them in a third process (its output in build/test-313.log, shown when it
## ends: the two share the cores instead of waiting for each other); then the timing-bound tests alone.
test: $(STAMP) $(NODE_STAMP)
	$(BIN)/ruff check .
	@mkdir -p build; \
	$(MAKE) --no-print-directory test-313 XDIST_313= > build/test-313.log 2>&1 & tier313=$$!; \
	$(BIN)/python -m pytest $(XDIST) -m "not serial" $(PYTEST_ARGS); tiers=$$?; \
	wait $$tier313; tier313=$$?; \
	echo "--- the unit tier under Python 3.13 (build/test-313.log) ---"; \
	if [ $$tier313 -eq 0 ]; then tail -n 1 build/test-313.log; else cat build/test-313.log; fi; \
	[ $$tiers -eq 0 ] && [ $$tier313 -eq 0 ]
	$(BIN)/python -m pytest -m serial $(SERIAL_FILES) $(PYTEST_ARGS)

## The unit tier only: pure tests, no moto, no processes (the edit loop, under a minute on two workers).
test-fast: $(STAMP)
	$(BIN)/python -m pytest tests/unit -n 2 $(PYTEST_ARGS)

$(STAMP313): $(RUN_STAMP) requirements-dev.txt requirements-run.txt lambda/requirements.txt
	$(PYTHON313) -m venv $(VENV313)
	$(UV) $(VENV313)/bin/python -r requirements-dev.txt
	touch $(STAMP313)

## The unit tier under Python 3.13, the Lambda runtime (.venv313). Without a 3.13 interpreter it
## says so and passes, unless REQUIRE_313=1 (as in CI).
test-313:
	@if [ -z "$(PYTHON313)" ]; then \
	  echo "Python 3.13 not found (set PYTHON313=...): the unit tier under 3.13 is skipped"; \
	  if [ -n "$(REQUIRE_313)" ]; then exit 1; fi; \
	else \
	  $(MAKE) --no-print-directory $(STAMP313) && \
	  $(VENV313)/bin/python -m pytest tests/unit -p no:cacheprovider $(XDIST_313) $(PYTEST_ARGS); \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .

## The long fuzz run (10,000 examples; EXAMPLES=50000 for more).
fuzz: $(STAMP)
	$(BIN)/python bench/fuzz.py --examples $(or $(EXAMPLES),10000)

## The DynamoDB fault matrix, and real timeouts against a table endpoint that hangs.
faults: $(STAMP)
	$(BIN)/python bench/fault_matrix.py

## 200 conversations at once on one warm handler, against moto's server on loopback.
concurrency: $(STAMP)
	$(BIN)/python bench/concurrency.py

## Build build/leg-cramp-helper.zip, the ASK CLI project build/ask/ and the privacy pages build/site/
## (docs/deploy.md). EPISODE_LOG=ask|on|off chooses what the listing and pages say (default ask);
## STORE=1 refuses to build without the publisher's details (deploy/privacy.toml); REGION=eu-west-1.
package: $(STAMP)
	$(BIN)/python tools/package.py $(if $(EPISODE_LOG),--log-mode $(EPISODE_LOG)) \
		$(if $(REGION),--region $(REGION)) $(if $(STORE),--store) $(ARGS)

## The held-out NLU corpora (tests/nlu/) through the shipped models and the interpreter: figures
## per locale and per family (ARGS="--locale de-DE" for one).
nlu: $(RUN_STAMP)
	$(BIN)/python tools/nlu.py $(ARGS)

## Benchmarks as ratios to floors measured in the same run (bench/README.md); ARGS=--quick for a short run.
bench: $(STAMP)
	$(BIN)/python bench/run.py $(ARGS)

## Amazon's apl-suggester over every screen the skill can send (needs node; installs the npm packages).
apl: $(STAMP)
	npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python tools/apl_validate.py

## Render docs/screens/*.png with apl-viewhost-web in headless Chromium, and every declared shape and
## every locale's screens to build/screens/, failing on cut text (tools/render_screens.py). Installs
## Debian's chromium and fonts-liberation when they are missing (as root, or with sudo).
SUDO ?= $(if $(filter 0,$(shell id -u)),,sudo)
screens: $(STAMP)
	@if ! command -v chromium >/dev/null 2>&1 || [ ! -e /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ]; then \
	  echo "installing Debian's chromium and fonts-liberation"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-liberation; \
	fi
	npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python tools/render_screens.py $(ARGS)

## Known vulnerabilities in every pinned requirement, from PyPI's advisory data (README: dependencies).
## pip-audit first; where its per-version pages are unreachable (it then skips every package and
## exits 0), tools/audit.py reads the same advisories from PyPI's project pages.
audit: $(STAMP)
	$(BIN)/pip-audit -s pypi --progress-spinner off $(AUDIT_ARGS) \
		-r lambda/requirements.txt -r requirements-dev.txt -r requirements-bootstrap.txt
	$(BIN)/python tools/audit.py $(AUDIT_ARGS)

## Regenerate lambda/requirements.lock (every file's sha256) after changing lambda/requirements.txt.
lock: $(STAMP)
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
		--no-emit-find-links --output-file lambda/requirements.lock lambda/requirements.txt
