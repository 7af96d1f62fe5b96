#!/usr/bin/env bash
# The Rust library against real Airflow: the examples (reqwest transport, natively) and the
# `airflow-trigger` command (tests/cli.rs) on 2.11.2 and 3.3.2, and the gloo-net transport in
# headless Chromium on 3.3.2 (tests/gloo_browser.rs).
#   scripts/rust-e2e.sh build   compiles everything (before the servers start: no compiling on their time)
#   scripts/rust-e2e.sh run     runs it; needs scripts/with-airflow.sh's AF2_* and AF3_* variables
set -euo pipefail
cd "$(dirname "$0")/.."
# The browser test has no environment at run time: the server's address is compiled in.
eval "$(scripts/airflow.sh env 3)"
export AF3_URL AF3_USER AF3_PASSWORD
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
# Airflow's CORS settings list this origin (scripts/airflow.sh): the test page is served there.
export WASM_BINDGEN_TEST_ADDRESS=127.0.0.1:18090 WASM_BINDGEN_TEST_NO_ORIGIN_ISOLATION=1
browser_test=(cargo test --target wasm32-unknown-unknown --features gloo-net --test gloo_browser)
examples=(--release --features reqwest,serde)
# The command's tests need both servers' AF2_* and AF3_* (they fail without them); one at a time.
cli_test=(cargo test --features cli --test cli)
# The typed client's live tests (assets, unpause, cancellation), under the same feature.
live_test=(cargo test --features cli --test live_client)

case "${1:-}" in
  build)
    cargo build --quiet "${examples[@]}" --examples
    "${browser_test[@]}" --no-run
    "${cli_test[@]}" --no-run
    "${live_test[@]}" --no-run
    ;;
  run)
    for m in 2 3; do
      url_var="AF${m}_URL" user_var="AF${m}_USER" password_var="AF${m}_PASSWORD"
      export AIRFLOW_URL=${!url_var} AIRFLOW_USERNAME=${!user_var} AIRFLOW_PASSWORD=${!password_var}
      echo "# examples on Airflow $m ($AIRFLOW_URL)"
      cargo run --quiet "${examples[@]}" --example trigger_and_wait
      # A conf the Params refuse: exit 1, each error with its path; a good one: exit 0.
      code=0; out=$(cargo run --quiet "${examples[@]}" --example validate_conf -- trigger_params \
        '{"count": 0, "mode": "slow", "target": "x"}') || code=$?
      echo "$out"
      [ "$code" = 1 ] && grep -q '^/count: ' <<<"$out" && grep -q '^/mode: ' <<<"$out" \
        || { echo "validate_conf: expected exit 1 with /count and /mode, got $code" >&2; exit 1; }
      cargo run --quiet "${examples[@]}" --example validate_conf -- trigger_params '{"target": "x"}'
    done
    echo "# the airflow-trigger command on Airflow 2 and 3"
    "${cli_test[@]}" -- --test-threads=1
    echo "# the typed client's assets, unpause and cancellation on Airflow 2 and 3"
    "${live_test[@]}" -- --test-threads=1
    echo "# gloo-net transport in headless Chromium on Airflow 3"
    "${browser_test[@]}"
    ;;
  *) echo "usage: $0 build|run" >&2; exit 2 ;;
esac
