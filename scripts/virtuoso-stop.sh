#!/usr/bin/env bash
# Stop the Virtuoso started by scripts/virtuoso-start.sh DATA_DIR, by the pid in DATA_DIR/virtuoso.pid.
# Clean path: isql 'shutdown;' (checkpoints, ~2 s).  Fallback: SIGTERM ("quick shutdown", no
# checkpoint; the transaction log is replayed at the next start), then SIGKILL after 30 s.
# usage: scripts/virtuoso-stop.sh DATA_DIR      env: VIRT_DBA_PASSWORD (default dba)
set -uo pipefail
DATA_DIR=${1:?usage: virtuoso-stop.sh DATA_DIR}
PIDFILE=$DATA_DIR/virtuoso.pid
[ -f "$PIDFILE" ] || { echo "no pid file $PIDFILE" >&2; exit 0; }
PID=$(cat "$PIDFILE")
if ! kill -0 "$PID" 2>/dev/null; then echo "pid $PID not running"; rm -f "$PIDFILE"; exit 0; fi
SQL_PORT=$(sed -n 's/^ServerPort *= *127\.0\.0\.1:\([0-9]*\).*/\1/p' "$DATA_DIR/virtuoso.ini" | head -1)
if [ -n "$SQL_PORT" ] && command -v isql-vt >/dev/null; then
  timeout 20 isql-vt "127.0.0.1:$SQL_PORT" dba "${VIRT_DBA_PASSWORD:-dba}" "exec=shutdown;" >/dev/null 2>&1 || true
fi
for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$PID" 2>/dev/null; then kill -TERM "$PID"; fi
for _ in $(seq 1 300); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$PID" 2>/dev/null; then kill -KILL "$PID"; fi
rm -f "$PIDFILE"
echo "virtuoso pid $PID stopped"
