# airflow-trigger: `make demo` runs the main job on a local real Airflow; `make test` runs every test.
# Both install what they need (idempotently) on a fresh Debian machine of this project's kind.
SHELL := /bin/bash
WASM_TEST := CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
# The fault-injection test loads the servers most: it runs last.
E2E_TESTS := $(filter-out tests/e2e/faults.test.mjs,$(sort $(wildcard tests/e2e/*.test.mjs))) tests/e2e/faults.test.mjs

.PHONY: all install build test lint test-native test-wasm test-e2e airflow demo size bench bench-boundary bench-builds fuzz clean

all: build

install:
	scripts/install-tools.sh

build: install
	scripts/build.sh
	cargo build --release --features cli --bin airflow-trigger

airflow:
	scripts/airflow.sh install 2
	scripts/airflow.sh install 3

lint: install
	cargo fmt --check
	cargo clippy --quiet --all-targets --features reqwest,cli -- -D warnings
	cargo clippy --quiet --all-targets --no-default-features -- -D warnings
	cargo clippy --quiet --all-targets --target wasm32-unknown-unknown -- -D warnings
	cargo clippy --quiet --all-targets --target wasm32-unknown-unknown --features js,gloo-net -- -D warnings
	cargo clippy --quiet --lib --target wasm32-unknown-unknown --no-default-features --features js-gloo,js-swb -- -D warnings
	RUSTDOCFLAGS="-D warnings" cargo doc --quiet --no-deps --features reqwest
	python3 scripts/check-examples.py
	scripts/check-msrv.sh
	cargo publish --dry-run --allow-dirty --quiet

# The differential and agreement tests ask the Airflow venvs' Python (tests/diff_py*.rs,
# tests/diff_formats.rs, tests/agreement.rs): they are installed first.
test-native: airflow
	cargo test --features reqwest
	cargo test --features cli --bins

test-wasm: install
	$(WASM_TEST) cargo test --target wasm32-unknown-unknown --features js --test wasm_boundary
	$(WASM_TEST) cargo test --target wasm32-unknown-unknown --no-default-features --features js --test wasm_boundary

# Then the Rust library on the same servers: examples/ (reqwest) and tests/gloo_browser.rs
# (gloo-net in headless Chromium), compiled before the servers start; and a Rust wasm app that
# depends on the crate (tests/dependent) must build without taking the package's exports.
test-e2e: build airflow
	node scripts/size.mjs
	scripts/check-dependent.sh
	scripts/rust-e2e.sh build
	AF_JWT_EXPIRATION=20 AF_JWT_LEEWAY=0 scripts/with-airflow.sh "2 3" -- bash -c \
	  'node --test --test-concurrency=1 --test-reporter=tap $(E2E_TESTS) && scripts/rust-e2e.sh run'


test: lint test-native test-wasm test-e2e

demo: build
	scripts/airflow.sh install 3
	scripts/demo.sh

size: build
	node scripts/size.mjs

# Benchmarks side by side (never fails on a slow machine; fails if validators disagree). Writes BENCH.md.
bench: build
	scripts/airflow.sh install 3
	node scripts/bench.mjs

# The package's boundary alternatives (serde-wasm-bindgen; the client driven from Rust through
# gloo-net) built and measured against the shipped one (~7 minutes).
bench-boundary: build
	node scripts/bench-boundary.mjs

# The same package built with other compiler settings: size, cold start and speed side by side
# (several release builds: ~10 minutes). Writes BENCH-BUILDS.md.
bench-builds: build
	node scripts/bench-builds.mjs

# The differential tests (tests/diff_*.rs: JSON vs serde_json, regex vs regress, validator vs the
# jsonschema crate; the Airflow modes' Python regex, uniqueItems, numbers, pendulum and format
# checkers vs the venvs' Python) with many cases each (release build): per target, the cases run and the
# divergences, known ones by name. Fails on a new divergence. FUZZ_SEED=n runs other cases.
FUZZ_CASES ?= 200000
fuzz: airflow
	mkdir -p target; set -o pipefail; FUZZ_CASES=$(FUZZ_CASES) cargo test --release --test diff_json --test diff_regex \
	  --test diff_validator --test diff_pyregex --test diff_python --test diff_formats -- --nocapture --test-threads=1 2>&1 \
	  | tee target/fuzz.log \
	  | grep -E '^(FUZZ |  known |  NEW |  Python |      |test result|error)'

clean:
	scripts/airflow.sh stop 2; scripts/airflow.sh stop 3
	rm -rf pkg target/wasm32-unknown-unknown
