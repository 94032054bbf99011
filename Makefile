# CreditGraph 信用图谱 — the two commands a fresh machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
CG     := $(VENV)/bin/creditgraph
STAMP  := $(VENV)/.installed-stamp
NEO4J_CLASSPATH := tests/neo4j_server/target/classpath.txt

.PHONY: setup demo test lint docs screenshots bench neo4j-test-server neo4j-dev chromium clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)  ## virtual environment with the project and its tools

# Neo4j 5.26 Community from Maven Central (no Docker engine here); jars cached in ~/.m2.
$(NEO4J_CLASSPATH): tests/neo4j_server/pom.xml $(wildcard tests/neo4j_server/src/main/java/creditgraph/testserver/*.java) | $(STAMP)
	$(PY) -c 'from tests.neo4j_server.launcher import build; build()'

neo4j-test-server: $(NEO4J_CLASSPATH)

# A local secret for keying resident ID numbers; made once, kept (never committed: data/ is ignored).
data/id.key:
	mkdir -p data
	umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_hex(32))' > data/id.key

# A local secret sealing the audit log (HMAC); made once, kept (never committed: data/ is ignored).
data/audit.key:
	mkdir -p data
	umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_hex(32))' > data/audit.key

# The demo data set: 2,000 synthetic enterprises with planted cases; made once, then reused.
data/demo/answers.json: | $(STAMP)
	$(CG) seed --enterprises 2000 --out data/demo

demo: setup data/id.key data/audit.key data/demo/answers.json  ## demo data in the embedded store, then the dashboard on http://localhost:8501
	$(CG) audit init
	$(CG) init
	$(CG) load data/demo
	CREDITGRAPH_DEMO=1 $(CG) dashboard --port 8501

# mypy reads folders, not setuptools' editable mapping: it checks the installed names
# (creditgraph.graph, ...) over links to the folders in build/typecheck (pyproject.toml [tool.mypy])
PACKAGES := access alerts api casefile cli dashboard graph loaders policy propagation publication \
            queries seed
lint: setup  ## ruff, then mypy (strict on graph/, queries/, propagation/)
	$(PY) -m ruff check .
	rm -rf build/typecheck && mkdir -p build/typecheck/creditgraph
	for p in $(PACKAGES); do ln -s ../../../$$p build/typecheck/creditgraph/$$p; done
	cd build/typecheck && ../../$(PY) -m mypy --config-file ../../pyproject.toml -p creditgraph

chromium:  ## Debian's chromium and a Chinese font for the browser tests and PNG drawings (installed when missing and root)
	@{ command -v chromium >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .; } || \
	  { [ "$$(id -u)" = 0 ] && (apt-get update -q && DEBIAN_FRONTEND=noninteractive \
	   apt-get install -y -q chromium fonts-wqy-zenhei) || echo "the browser tests need \
	chromium and a Chinese font: sudo apt-get install chromium fonts-wqy-zenhei"; }

# two workers, whole files each (a module's seed data is made once): each worker starts a
# private Neo4j of its own, so the suite takes about 17 minutes on 2 cores instead of 30.
# Against a Neo4j of your own (NEO4J_URI) one worker: the tests wipe its one database.
TEST_WORKERS := $(if $(NEO4J_URI),,-n 2 --dist loadfile)
test: setup neo4j-test-server chromium lint  ## the whole suite on both backends (starts a private Neo4j per worker)
	$(PY) -m pytest $(TEST_WORKERS)

# SCALE=city: two million enterprises into Neo4j and every figure at that scale (about an hour)
bench: setup neo4j-test-server  ## benchmarks; figures are ratios against a baseline of the same run
	$(PY) -m bench.run $(if $(filter city,$(SCALE)),--only city)

docs: setup  ## the tables in docs/ generated from graph/schema.yaml and loaders/columns.yaml
	$(PY) docs/generate.py

screenshots: setup chromium  ## docs/img/: the overview, network and ownership pages and a report's first page, on demo data
	$(PY) docs/screenshots.py

neo4j-dev: setup neo4j-test-server  ## a throw-away local Neo4j for trying --backend neo4j
	$(PY) -m tests.neo4j_server.launcher

clean:
	rm -rf $(VENV) tests/neo4j_server/target .pytest_cache .ruff_cache
