PYTHON ?= .venv/bin/python
APPS = heritage sites festivals people search media

.PHONY: help install run demo lint format test messages check

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

install: ## Create .venv and install the project with its development tools
	bash -c 'source scripts/lib.sh && bootstrap_python'

run: ## Serve the site on 127.0.0.1:8000 with the development settings
	$(PYTHON) manage.py runserver 127.0.0.1:8000

demo: ## Set up, load the demo content and serve it (the README's first command)
	./scripts/demo

lint: ## Check the code without changing it
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .

format: ## Fix lint findings and format the code
	$(PYTHON) -m ruff check --fix .
	$(PYTHON) -m ruff format .

test: ## Static checks and the whole test suite on SQLite and PostgreSQL (the README's second command)
	./scripts/test

messages: ## Refresh and compile the Vietnamese translations of every app
	for app in $(APPS); do (cd $$app && ../$(PYTHON) ../manage.py makemessages -l vi --no-obsolete -v 0); done
	$(PYTHON) manage.py compilemessages -v 0

check: ## Django checks, missing migrations, lint, then the tests (scripts/test runs them all)
	./scripts/test
