#!/usr/bin/env bash
# `make demo`: starts a local real Airflow 3.3.2 with the demo DAG, triggers it through the
# package with a conf, prints the run's progress until its final state, then serves the trigger
# page (www/) and prints its URL; Ctrl-C stops the page and Airflow.
# DEMO_PAGE=0 skips the page (the scripted trigger only). KEEP_AIRFLOW=1 leaves Airflow running
# afterwards (stop it with scripts/airflow.sh stop 3).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${KEEP_AIRFLOW:-}" != 1 ]; then trap 'scripts/airflow.sh stop 3' EXIT; fi
scripts/airflow.sh start 3
eval "$(scripts/airflow.sh env 3)"
export AF3_URL AF3_USER AF3_PASSWORD
node scripts/demo.mjs
if [ "${DEMO_PAGE:-1}" != 0 ]; then
  echo
  echo "The trigger page: open http://127.0.0.1:18090/ and connect to $AF3_URL"
  echo "as $AF3_USER / $AF3_PASSWORD (username and password). Ctrl-C stops the page and Airflow."
  node scripts/serve-www.mjs 18090
fi
