#!/usr/bin/env bash
# Real Airflow for tests and the demo, on 127.0.0.1 only.
#   scripts/airflow.sh install 2|3   pip-installs Airflow into .airflow/venv-<version> (idempotent)
#   scripts/airflow.sh start 2|3     migrates, creates the admin user, starts, waits until the test DAGs answer
#   scripts/airflow.sh stop 2|3      stops every process of that instance (idempotent)
#   scripts/airflow.sh env 2|3       prints the URL and credentials as shell assignments
# Environment: AF_JWT_EXPIRATION and AF_JWT_LEEWAY (Airflow 3 token lifetime and expiry leeway,
# seconds) for the token-expiry test.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cmd=${1:?usage: airflow.sh install|start|stop|env|logs 2|3}
major=${2:?usage: airflow.sh $cmd 2|3}

case "$major" in
  2) version=2.11.2; port=${AF2_PORT:-18082}; api=v1 ;;
  3) version=3.3.2; port=${AF3_PORT:-18083}; api=v2 ;;
  *) echo "unknown Airflow major version: $major (use 2 or 3)" >&2; exit 2 ;;
esac
venv="$root/.airflow/venv-$version"
home="$root/.airflow/home-$version"
user=admin
password=admin-password-for-tests
base="http://127.0.0.1:$port"
# The test pages' origins (www/ tests serve on this fixed port).
origins=(http://127.0.0.1:18090 http://localhost:18090)

log() { echo "[airflow $version] $*" >&2; }

do_install() {
  if [ -f "$venv/.installed" ]; then return 0; fi
  log "installing into $venv (about 30 s)"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "apache-airflow==$version"
  touch "$venv/.installed"
}

airflow_env() {
  export AIRFLOW_HOME="$home"
  export PATH="$venv/bin:$PATH"
  export AIRFLOW__CORE__DAGS_FOLDER="$root/tests/airflow/dags"
  export AIRFLOW__CORE__LOAD_EXAMPLES=False
  export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=False
  export AIRFLOW__CORE__UNIT_TEST_MODE=False
  # SQLite: wait up to 60 s for a lock instead of 5 s; under a burst of triggers the scheduler
  # otherwise dies with "database is locked".
  export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="sqlite:///$home/airflow.db?timeout=60"
  export AIRFLOW__LOGGING__LOGGING_LEVEL=WARNING
  export AIRFLOW__API__ACCESS_CONTROL_ALLOW_HEADERS='origin, content-type, accept, authorization'
  export AIRFLOW__API__ACCESS_CONTROL_ALLOW_METHODS='POST, GET, OPTIONS, DELETE, PATCH'
  export AIRFLOW__SCHEDULER__MIN_FILE_PROCESS_INTERVAL=5
  export AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL=5
  if [ "$major" = 2 ]; then
    export AIRFLOW__CORE__EXECUTOR=SequentialExecutor
    export AIRFLOW__API__AUTH_BACKENDS=airflow.api.auth.backend.basic_auth,airflow.api.auth.backend.session
    export AIRFLOW__WEBSERVER__WEB_SERVER_HOST=127.0.0.1
    export AIRFLOW__WEBSERVER__WEB_SERVER_PORT=$port
    export AIRFLOW__WEBSERVER__WORKERS=1
    export AIRFLOW__WEBSERVER__SECRET_KEY=airflow-trigger-tests-secret-key
    export AIRFLOW__API__ACCESS_CONTROL_ALLOW_ORIGINS="${origins[*]}"
    # The 2.x scheduler tries hard to rescan; keep it from spawning many processes on 2 cores.
    export AIRFLOW__SCHEDULER__PARSING_PROCESSES=1
  else
    export AIRFLOW__CORE__EXECUTOR=LocalExecutor
    export AIRFLOW__CORE__PARALLELISM=2
    export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS="$user:admin"
    export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE="$home/passwords.json"
    export AIRFLOW__API__HOST=127.0.0.1
    export AIRFLOW__API__PORT=$port
    export AIRFLOW__API__BASE_URL="$base"
    export AIRFLOW__API__WORKERS=1
    export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="$base/execution/"
    export AIRFLOW__API__SECRET_KEY=airflow-trigger-tests-api-secret-key-0123456789abcdef0123456789abcdef
    export AIRFLOW__API_AUTH__JWT_SECRET=airflow-trigger-tests-jwt-secret-0123456789abcdef0123456789abcdef0123
    export AIRFLOW__API_AUTH__JWT_EXPIRATION_TIME=${AF_JWT_EXPIRATION:-86400}
    export AIRFLOW__API_AUTH__JWT_LEEWAY=${AF_JWT_LEEWAY:-10}
    export AIRFLOW__API__ACCESS_CONTROL_ALLOW_ORIGINS=$(IFS=,; echo "${origins[*]}")
    export AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES=1
  fi
}

# Every process started for this instance carries its AIRFLOW_HOME; the 2.x DAG processor leaves the
# process group, so the environment is the reliable way to find them all.
instance_pids() {
  local p
  for p in /proc/[0-9]*; do
    if { tr '\0' '\n' <"$p/environ"; } 2>/dev/null | grep -qx "AIRFLOW_HOME=$home"; then
      echo "${p#/proc/}"
    fi
  done
}

do_stop() {
  local pids
  pids=$(instance_pids || true)
  if [ -z "$pids" ] && ! { [ -f "$home/pgid" ] && kill -0 -- "-$(cat "$home/pgid")" 2>/dev/null; }; then
    rm -f "$home/pgid"
    return 0
  fi
  log "stopping"
  [ -f "$home/pgid" ] && kill -TERM -- "-$(cat "$home/pgid")" 2>/dev/null || true
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  for _ in $(seq 1 40); do
    pids=$(instance_pids || true)
    [ -n "$pids" ] || break
    sleep 0.5
  done
  # shellcheck disable=SC2086
  [ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
  # Executor workers rewrite their environ (setproctitle), so the search above can miss them:
  # whatever is left of the process group goes too.
  if [ -f "$home/pgid" ]; then
    local group
    group=$(cat "$home/pgid")
    kill -TERM -- "-$group" 2>/dev/null && sleep 1
    kill -KILL -- "-$group" 2>/dev/null || true
  fi
  rm -f "$home/pgid"
}

token() {
  curl -sf -X POST "$base/auth/token" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$user\",\"password\":\"$password\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

dag_visible() {
  local dag=$1
  if [ "$major" = 2 ]; then
    curl -sf -o /dev/null -u "$user:$password" "$base/api/v1/dags/$dag"
  else
    local t
    t=$(token 2>/dev/null) || return 1
    curl -sf -o /dev/null -H "Authorization: Bearer $t" "$base/api/v2/dags/$dag"
  fi
}

do_start() {
  do_install
  do_stop
  airflow_env
  mkdir -p "$home"
  # Our own instance is stopped: anything still answering here belongs to someone else, and
  # waiting for "ready" would wrongly succeed against it.
  if curl -s -o /dev/null --max-time 2 "$base/"; then
    log "port $port is already in use by another process (another Airflow?); stop it or set AF${major}_PORT"
    exit 1
  fi
  local t0=$SECONDS
  # A fresh database every start: runs left by earlier tests (hundreds queued on a paused DAG)
  # would slow Airflow 3's scheduler down and make tests depend on each other.
  rm -f "$home/airflow.db" "$home/airflow.db-wal" "$home/airflow.db-shm"
  log "migrating the database"
  airflow db migrate >"$home/migrate.log" 2>&1 || { cat "$home/migrate.log" >&2; exit 1; }
  # Write-ahead logging: readers no longer block the writer. In the default rollback journal a
  # trigger's INSERT waited for every reader (scheduler, dag-processor, task heartbeats) and, on a
  # loaded machine, a POST once took over 30 s. The mode is stored in the file.
  local mode
  mode=$("$venv/bin/python" -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("pragma journal_mode=wal").fetchone()[0])' "$home/airflow.db")
  [ "$mode" = wal ] || { log "could not switch $home/airflow.db to WAL (journal_mode=$mode)"; exit 1; }
  if [ "$major" = 2 ]; then
    airflow users delete -u "$user" >/dev/null 2>&1 || true
    airflow users create -u "$user" -p "$password" -r Admin -f Admin -l User -e admin@example.com \
      >"$home/users.log" 2>&1 || { cat "$home/users.log" >&2; exit 1; }
    setsid bash -c 'echo $$ >"$AIRFLOW_HOME/pgid"
      airflow webserver >"$AIRFLOW_HOME/webserver.log" 2>&1 &
      airflow scheduler --skip-serve-logs >"$AIRFLOW_HOME/scheduler.log" 2>&1 &
      wait' </dev/null >/dev/null 2>&1 &
  else
    printf '{"%s": "%s"}' "$user" "$password" >"$home/passwords.json"
    setsid bash -c 'echo $$ >"$AIRFLOW_HOME/pgid"
      airflow api-server >"$AIRFLOW_HOME/api-server.log" 2>&1 &
      airflow scheduler --skip-serve-logs >"$AIRFLOW_HOME/scheduler.log" 2>&1 &
      airflow dag-processor >"$AIRFLOW_HOME/dag-processor.log" 2>&1 &
      wait' </dev/null >/dev/null 2>&1 &
  fi
  log "waiting for the test DAGs on $base"
  for _ in $(seq 1 240); do
    if dag_visible trigger_params && dag_visible no_params && dag_visible always_fails && dag_visible paused_target \
      && dag_visible asset_consumer && dag_visible asset_producer && dag_visible unpause_target; then
      log "ready in $((SECONDS - t0)) s"
      return 0
    fi
    sleep 1
  done
  log "did not become ready in 240 s; last log lines:"
  tail -n 30 "$home"/*.log >&2 || true
  do_stop
  exit 1
}

case "$cmd" in
  install) do_install ;;
  start) do_start ;;
  stop) do_stop ;;
  # What a failed test run needs to be understood in CI, where the servers' homes are gone after.
  logs) for f in "$home"/*.log; do [ -f "$f" ] && { echo "--- $f (last 40 lines)"; tail -n 40 "$f"; }; done ;;
  env) printf 'AF%s_URL=%s\nAF%s_API=%s\nAF%s_USER=%s\nAF%s_PASSWORD=%s\n' \
         "$major" "$base" "$major" "$api" "$major" "$user" "$major" "$password" ;;
  *) echo "unknown command: $cmd" >&2; exit 2 ;;
esac
