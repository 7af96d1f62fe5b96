#!/usr/bin/env bash
# `make demo`: starts a local real Airflow 3.3.2 with the demo DAG, triggers it through the
# package with a conf, and prints the run's progress until its final state.
# KEEP_AIRFLOW=1 leaves Airflow running afterwards (stop it with scripts/airflow.sh stop 3).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${KEEP_AIRFLOW:-}" != 1 ]; then trap 'scripts/airflow.sh stop 3' EXIT; fi
scripts/airflow.sh start 3
eval "$(scripts/airflow.sh env 3)"
export AF3_URL AF3_USER AF3_PASSWORD
node scripts/demo.mjs
