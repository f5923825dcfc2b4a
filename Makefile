# chibo — everything a person runs. `make run` and `make test` work on a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev migrate seed worker beat lint format bench bench-pdf bench-sign bench-pdf-max bench-mail bench-dashboard bench-load bench-import e2e guide-images backup restore clean

$(PY):
	@command -v $(PYTHON) >/dev/null || { echo "Cần Python 3.11 ($(PYTHON))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PIP) install -q -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install -q -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# E-mail links (SITE_URL) follow the port actually served, unless SITE_URL is set in the environment.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: seed
	@echo "chibo: http://$(HOST):$(PORT)  (tài khoản mẫu: bithu, bithu2, dangvien, capuy, admin / chibo-demo-2026; liên kết trong thư: $$SITE_URL)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

worker: install-dev
	@test -n "$$REDIS_URL" || { echo "Đặt REDIS_URL (ví dụ redis://127.0.0.1:6379/0) để chạy worker."; exit 2; }
	$(VENV)/bin/celery -A chibo worker -l info -c $${CELERY_CONCURRENCY:-2}

beat: install-dev
	@test -n "$$REDIS_URL" || { echo "Đặt REDIS_URL (ví dụ redis://127.0.0.1:6379/0) để chạy beat."; exit 2; }
	$(VENV)/bin/celery -A chibo beat -l info -s $${CELERY_BEAT_SCHEDULE:-/tmp/chibo-celerybeat-schedule}

e2e: install-dev
	CHIBO_E2E=1 $(PY) -m pytest tests/e2e -p no:cacheprovider -o addopts="" -ra

# The in-app guide's screenshots (static/img/guide/), taken from a live e2e stack with the demo data.
guide-images: install-dev
	CHIBO_E2E=1 $(PY) -m tests.e2e.make_guide_screenshots

# Benchmarks (figures printed and kept in bench/README.md). bench-load and bench-dashboard
# build a national-size database of their own (chibo_load / chibo_scale) on local PostgreSQL.
bench: bench-pdf bench-sign bench-pdf-max bench-mail bench-dashboard bench-load bench-import

bench-pdf: install-dev
	$(PY) bench/bench_pdf.py

# What a PAdES signature of the chair and of the clerk adds to a minutes PDF (issue 18: < 0.5 s).
bench-sign: install-dev
	$(PY) bench/bench_sign.py

# The maximal minutes against the PDF time budget, in its own database (chibo_bench_pdf, created and dropped).
bench-pdf-max: install-dev
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres $(PY) bench/bench_pdf_max.py

bench-mail: install-dev
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/chibo_bench REDIS_URL=redis://127.0.0.1:6379/5 $(PY) bench/bench_mail.py

bench-dashboard: install-dev
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/chibo_scale $(PY) manage.py migrate --noinput
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/chibo_scale $(PY) manage.py seed_scale --cells 300000
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/chibo_scale $(PY) bench/bench_dashboard.py --runs 11

bench-load: install-dev
	$(PY) bench/load/run_load.py --cells 300000 --users 50 --duration 2m

bench-import: install-dev
	$(PY) bench/bench_import.py

BACKUP_DIR ?= backups

backup: install
	$(PY) manage.py backup --output $(BACKUP_DIR)

restore: install
	@test -n "$(INPUT)" || { echo "Dùng: make restore INPUT=backups/chibo-YYYYmmdd-HHMMSS"; exit 2; }
	$(PY) manage.py restore --input $(INPUT)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# The national topology on one machine (deploy/OPERATIONS.md, "Nhiều máy"), as root: nginx on
# 8080, gunicorn 8101/8102, PostgreSQL primary 5433 + replica 5434 behind PgBouncer 6432, Redis
# 6380/6381 with Sentinels 26379-26381, one worker per queue, beat, an SMTP sink on 2526. Never
# the machine's own PostgreSQL (5432) or Redis (6379). Data in CLUSTER_DIR, removed by cluster-stop.
# Debian packages: nginx redis-sentinel pgbouncer (their own services stopped).
CLUSTER_DIR ?= /tmp/chibo-cluster
.PHONY: cluster cluster-stop cluster-test

cluster: install-dev
	CLUSTER_DIR=$(CLUSTER_DIR) deploy/cluster/cluster.sh start

cluster-stop:
	CLUSTER_DIR=$(CLUSTER_DIR) deploy/cluster/cluster.sh stop

# Starts the cluster if it is not up, then the journeys, a web node, a worker and the Redis
# primary killed under load (tests/cluster/run_checks.py); about 15 minutes on 2 cores.
cluster-test: install-dev
	@curl -fsS -o /dev/null --max-time 3 http://127.0.0.1:8080/healthz 2>/dev/null || CLUSTER_DIR=$(CLUSTER_DIR) deploy/cluster/cluster.sh start
	CLUSTER_DIR=$(CLUSTER_DIR) $(PY) tests/cluster/run_checks.py
