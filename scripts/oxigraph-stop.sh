#!/usr/bin/env bash
# Stop the Oxigraph started by scripts/oxigraph-start.sh DATA_DIR: SIGTERM to the pid in
# DATA_DIR/oxigraph.pid, SIGKILL after 30 s.
# usage: scripts/oxigraph-stop.sh DATA_DIR
set -uo pipefail
DATA_DIR=${1:?usage: oxigraph-stop.sh DATA_DIR}
PIDFILE=$DATA_DIR/oxigraph.pid
[ -f "$PIDFILE" ] || { echo "no pid file $PIDFILE"; exit 0; }
PID=$(cat "$PIDFILE")
if kill -0 "$PID" 2>/dev/null; then
  kill -TERM "$PID"
  for _ in $(seq 1 300); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$PID" 2>/dev/null; then kill -KILL "$PID"; fi
  echo "oxigraph pid $PID stopped"
else
  echo "pid $PID not running"
fi
rm -f "$PIDFILE"
