# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed

.PHONY: demo test walk bench screens fuzz install migrate seed serve worker beat lint format messages clean check-deploy

$(STAMP): requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

## db: the embedded PostgreSQL (prm/devdb.py, data in .pgdata/), started unless DATABASE_URL is set
## db-stop: stop it (the data stays); db-reset: stop it and delete .pgdata/
.PHONY: db db-stop db-reset
db: install
	@$(PY) -m prm.devdb start

db-stop:
	@if [ -x $(PY) ]; then $(PY) -m prm.devdb stop; fi

db-reset:
	@if [ -x $(PY) ]; then $(PY) -m prm.devdb reset; else rm -rf .pgdata; fi

## demo: virtualenv, install, PostgreSQL, migrate, seed, serve on http://127.0.0.1:$(PORT) (8000; eager tasks)
PORT ?= 8000
demo: db
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py seed_demo
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:$(PORT)

## test: the whole suite on PostgreSQL (DATABASE_URL, else the embedded one); Redis/browser tests run when REDIS_URL/chromium are there
##       in TEST_WORKERS processes (pytest-xdist, a test database each; TEST_WORKERS=0 runs it in this one)
TEST_WORKERS ?= 2
test: db
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

## walk: the random walk of every role (tests/walk/) for longer, with new walks each run
##       (WALK_EXAMPLES=1000 WALK_STEPS=40; `make test` runs a fixed, derandomised budget)
WALK_EXAMPLES ?= 1000
WALK_STEPS ?= 40
walk: install
	WALK_RANDOM=1 WALK_EXAMPLES=$(WALK_EXAMPLES) WALK_STEPS=$(WALK_STEPS) $(BIN)/pytest tests/walk -p no:cacheprovider

## bench: every computation against its raw SQL floor (SIZE=small|medium|large, REPEAT=3; needs DATABASE_URL as for make test)
##        BENCH_FLAGS="--reuse --only pages,lists" measures the database an earlier run left, those sections only
SIZE ?= small
REPEAT ?= 3
BENCH_FLAGS ?=
bench: install
	$(PY) -m bench.run --size $(SIZE) --repeat $(REPEAT) $(BENCH_FLAGS)

## screens: the main pages of each demo role at 1440 px and 390 px into docs/screens/ (the layout check's browser run)
screens: db
	rm -rf docs/screens && SCREENS_DIR=docs/screens $(BIN)/pytest tests/browser/test_layout.py -p no:cacheprovider -q

## fuzz: schemathesis over every API operation against a live server (needs PostgreSQL and the roles, as for make test)
fuzz: install
	bash .ci/fuzz-api

migrate: install
	$(PY) manage.py migrate --noinput

seed: install
	$(PY) manage.py seed_demo

serve: install
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

## worker: a Celery worker for every queue (needs REDIS_URL)
worker: install
	$(BIN)/celery -A prm worker -l info -Q default,pdf

beat: install
	$(BIN)/celery -A prm beat -l info

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .

## messages: refresh the translation catalogues and compile them (needs gettext)
messages: install
	$(PY) manage.py makemessages --all --ignore=.venv --ignore=tests --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

check-deploy: install
	DEBUG=false SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=prm.example.com \
		$(PY) manage.py check --deploy --fail-level WARNING

## clean: stop the embedded PostgreSQL, remove the virtualenv and what the tests made (.pgdata/ stays: make db-reset)
clean: db-stop
	rm -rf $(VENV) staticfiles .pytest_cache
