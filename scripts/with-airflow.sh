#!/usr/bin/env bash
# Starts real Airflow (2, 3 or both, in parallel), runs a command, and stops what it started,
# whatever the command's outcome.   scripts/with-airflow.sh "2 3" -- node --test ...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
majors=$1; shift
[ "${1:-}" = "--" ] && shift

stop_all() { for m in $majors; do "$here/airflow.sh" stop "$m" || true; done; }
trap stop_all EXIT INT TERM

pids=()
for m in $majors; do "$here/airflow.sh" start "$m" & pids+=($!); done
for p in "${pids[@]}"; do wait "$p"; done
for m in $majors; do eval "$("$here/airflow.sh" env "$m")"; export "AF${m}_URL" "AF${m}_API" "AF${m}_USER" "AF${m}_PASSWORD"; done
status=0
"$@" || status=$?
if [ "$status" != 0 ]; then
  for m in $majors; do "$here/airflow.sh" logs "$m" >&2 || true; done
fi
exit "$status"
