# Trợ lý An sinh — two commands for a newcomer: `make run` and `make test`.
# Two virtualenvs: .venv (bot, Python 3.11) and .venv-nlu (Rasa 3.6.21, Python 3.10).
# Each is rebuilt only when its requirement files change (stamp files).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
export PYTHONPATH := $(CURDIR)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

BOT_VENV := .venv
NLU_VENV := .venv-nlu
BOT_PY := $(BOT_VENV)/bin/python
NLU_PY := $(NLU_VENV)/bin/python
BOT_STAMP := $(BOT_VENV)/.installed
NLU_STAMP := $(NLU_VENV)/.installed

.PHONY: help run test chat model nlu-validate nlu-eval nlu-test bot-test lint bench db-upgrade clean browser proxy topology-test

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

run: $(BOT_STAMP) $(NLU_STAMP) model db-upgrade  ## install, train if needed, start NLU server + bot + dashboard
	@$(BOT_PY) -m bot run

test: $(BOT_STAMP) $(NLU_STAMP) browser proxy lint nlu-validate model nlu-test bot-test  ## install what tests need and run every test

chat: $(BOT_STAMP)  ## talk to the bot on the Telegram stand-in started by `make run` (another terminal)
	@$(BOT_PY) -m bot chat

$(BOT_STAMP): pyproject.toml requirements/bot.lock
	@echo "==> Bot environment ($(BOT_VENV), Python 3.11)"
	@rm -rf $(BOT_VENV)
	@"$$(scripts/find-python.sh 3.11)" -m venv $(BOT_VENV)
	@$(BOT_PY) -m pip install --quiet --upgrade pip wheel setuptools
	@mkdir -p var
	@$(BOT_PY) -m pip install --progress-bar off -c requirements/bot.lock -e '.[dev]' 2>&1 \
		| tee var/pip-bot.log | { grep --line-buffered -E '^(Collecting|Successfully installed|ERROR)' | sed 's/^/    /' || true; }
	@$(BOT_PY) -c "import telegram, sqlalchemy, starlette" # fail here, not later, if pip failed
	@touch $@

$(NLU_STAMP): requirements/nlu.txt requirements/nlu.lock
	@echo "==> NLU environment ($(NLU_VENV), Python 3.10, Rasa 3.6.21: about 90 s on a fresh machine)"
	@rm -rf $(NLU_VENV)
	@"$$(scripts/find-python.sh 3.10)" -m venv $(NLU_VENV)
	@$(NLU_PY) -m pip install --quiet --upgrade pip wheel 'setuptools<70'
	@mkdir -p var
	@$(NLU_PY) -m pip install --progress-bar off -c requirements/nlu.lock -r requirements/nlu.txt 2>&1 \
		| tee var/pip-nlu.log | { grep --line-buffered -E '^(Collecting|Successfully installed|ERROR)' | sed 's/^/    /' || true; }
	@$(NLU_PY) -c "import rasa; assert rasa.__version__ == '3.6.21', rasa.__version__"
	@touch $@

# The dashboard's browser tests drive Debian's Chromium (Playwright's own browser download
# cannot work without internet) and decode its QR posters with zbarimg. Installed when
# missing and we may (root + apt-get).
browser:  ## install Chromium and zbar-tools for the browser tests when missing
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v zbarimg >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "==> Installing Chromium and zbar-tools for the browser tests (apt-get)"; \
			apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq chromium zbar-tools >/dev/null; \
		else \
			echo "    Chromium/zbarimg missing and not installable here: those tests skip (fail when CI=true)"; \
		fi; \
	fi

# The topology test (tests/topology) puts HAProxy in front of two bot processes and two NLU
# servers, as docs/deployment.md does on several machines. Installed like Chromium above.
proxy:  ## install HAProxy for the topology test when missing
	@if ! command -v haproxy >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "==> Installing HAProxy for the topology test (apt-get)"; \
			apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq haproxy >/dev/null; \
		else \
			echo "    haproxy missing and not installable here: the topology test skips (fails when CI=true)"; \
		fi; \
	fi

topology-test: $(BOT_STAMP) proxy model  ## only the topology test: HAProxy, 2 bots, 2 NLU servers, kill -9
	@$(BOT_PY) -m pytest -q tests/topology

model: $(BOT_STAMP) $(NLU_STAMP)  ## train the NLU model if config.yml or nlu/ changed
	@$(BOT_PY) -m bot nlu train --if-changed

db-upgrade: $(BOT_STAMP)  ## apply database migrations
	@$(BOT_PY) -m bot db upgrade

nlu-validate: $(NLU_STAMP)  ## rasa data validate on the training data
	@echo "==> rasa data validate"
	@mkdir -p var
	@$(NLU_VENV)/bin/rasa data validate --fail-on-warnings -c config.yml -d nlu/domain.yml --data nlu/data \
		> var/validate.log 2>&1 || { cat var/validate.log; exit 1; }
	@echo "    training data valid"

nlu-test: $(NLU_STAMP)  ## tests of the custom Rasa components (NLU venv)
	@echo "==> NLU component tests (Python 3.10, Rasa)"
	@$(NLU_PY) -m pytest -q -p no:cacheprovider tests/nlu_components

bot-test: $(BOT_STAMP) model  ## the bot's test suite (starts the NLU server itself)
	@echo "==> Bot tests (Python 3.11)"
	@$(BOT_PY) -m pytest -q

nlu-eval: $(BOT_STAMP) $(NLU_STAMP)  ## compare pipelines on the held-out set (trains each; slow)
	@$(BOT_PY) -m bot nlu eval --compare nlu/pipelines/*.yml config.yml

lint: $(BOT_STAMP)  ## ruff (check + format), mypy and the layer contracts (.importlinter)
	@$(BOT_VENV)/bin/ruff check bot telegram_standin nlu tests bench
	@$(BOT_VENV)/bin/ruff format --check bot telegram_standin nlu tests bench
	@$(BOT_VENV)/bin/mypy bot telegram_standin
	@$(BOT_VENV)/bin/lint-imports --no-cache

bench: $(BOT_STAMP) model  ## run the benchmarks
	@$(BOT_PY) bench/nlu_latency.py

clean:  ## remove environments, models and local state
	rm -rf $(BOT_VENV) $(NLU_VENV) models/*.tar.gz models/fingerprint.json var
