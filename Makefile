# BreachDesk: `make run` and `make test` set up what is missing, then build and run or test.
# Everything comes from the package registries (crates.io, Debian, npm); nothing is downloaded at run time.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

# The build directory lives outside the clone, so a fresh clone reuses earlier builds.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/breachdesk/target
export PATH := $(HOME)/.cargo/bin:$(PATH)

SITE_ROOT := $(CURDIR)/target/site
BIN := $(CARGO_TARGET_DIR)/release/breachdesk
CARGO_LEPTOS_VERSION := 0.3.10
# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ { getline; gsub(/"/, "", $$3); print $$3 }' Cargo.lock)
DEBIAN_PACKAGES := chromium poppler-utils sqlite3 fonts-ipaexfont-gothic fonts-ipaexfont-mincho python3-aiosmtpd

.PHONY: run test bench build setup setup-build setup-test setup-bench lint unit e2e clean

run: setup-build build
	mkdir -p data
	LEPTOS_SITE_ROOT=$(SITE_ROOT) $(BIN) serve --demo

test: setup-test lint unit build e2e

build:
	# --precompress writes .br and .gz beside each asset; the server sends them to browsers that accept them.
	cargo leptos build --release --precompress

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
	cargo clippy -p app --lib --features hydrate --target wasm32-unknown-unknown --locked -- -D warnings

unit:
	cargo test --workspace --locked

e2e:
	cd tests/e2e && BREACHDESK_BIN=$(BIN) LEPTOS_SITE_ROOT=$(SITE_ROOT) node --test --test-concurrency=1 .

# Benchmarks beside their peers (docs/BENCHMARKS.md); never part of `make test`.
BENCH_VENV := $(HOME)/.cache/breachdesk/bench-venv
bench: setup-test setup-bench build
	BREACHDESK_BIN=$(BIN) LEPTOS_SITE_ROOT=$(SITE_ROOT) BENCH_PYTHON=$(BENCH_VENV)/bin/python python3 bench/run.py

setup-bench:
	@# postfix brings smtp-source and smtp-sink (the email peer); "No configuration" keeps it from running a mail server.
	@missing=""; for package in sqlite3 poppler-utils time wrk postfix; do \
		dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; done; \
	if [ -n "$$missing" ]; then \
		echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@[ -x $(BENCH_VENV)/bin/python ] || python3 -m venv $(BENCH_VENV)
	@$(BENCH_VENV)/bin/python -c "import reportlab" 2>/dev/null || $(BENCH_VENV)/bin/pip install --quiet reportlab==4.2.5

setup: setup-test

setup-build:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@cargo leptos --version 2>/dev/null | grep -q "$(CARGO_LEPTOS_VERSION)" \
		|| cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked
	@# Without --locked: the published lockfile names a webpki-roots version this registry lacks.
	@wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)" \
		|| cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
	@# Debian's binaryen is too old for current wasm-bindgen output; this builds binaryen 116 from source.
	@command -v wasm-opt >/dev/null || cargo install wasm-opt --locked

setup-test: setup-build
	@missing=""; for package in $(DEBIAN_PACKAGES); do \
		dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@cd tests/e2e && { [ -d node_modules/playwright-core ] && cmp -s package-lock.json node_modules/.package-lock.json; } \
		|| npm ci --no-audit --no-fund

clean:
	rm -rf target/site
