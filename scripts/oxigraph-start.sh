#!/usr/bin/env bash
# Start an Oxigraph SPARQL 1.1 server (the Rust binary shipped by the PyPI package 'oxigraph') on
# 127.0.0.1 only.  Adapted from the project's triplestore research notes.
#
# usage: scripts/oxigraph-start.sh DATA_DIR [PORT=27878]
# env:   OXIGRAPH          path of the oxigraph binary (default: 'oxigraph' on PATH, else the repo's .venv)
#        OX_UNION=1        pass --union-default-graph (queries without GRAPH see all named graphs)
#        OX_TIMEOUT_S      --timeout-s for queries
#        OX_READY_TIMEOUT  seconds to wait for readiness (default 120)
# endpoints: /query, /update, /store?graph=IRI (Graph Store Protocol; no authentication)
# prints: the endpoint URLs, last line ENDPOINT=...; pid in DATA_DIR/oxigraph.pid, log DATA_DIR/oxigraph.log
# stop:    scripts/oxigraph-stop.sh DATA_DIR
set -euo pipefail
DATA_DIR=${1:?usage: oxigraph-start.sh DATA_DIR [PORT]}
PORT=${2:-27878}
HERE=$(cd "$(dirname "$0")/.." && pwd)
BIN=${OXIGRAPH:-$(command -v oxigraph || true)}
[ -z "$BIN" ] && [ -x "$HERE/.venv/bin/oxigraph" ] && BIN=$HERE/.venv/bin/oxigraph
[ -n "$BIN" ] && [ -x "$BIN" ] || { echo "oxigraph binary not found: pip install oxigraph" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl not found (needed for the readiness check): apt-get install -y curl" >&2; exit 2; }
mkdir -p "$DATA_DIR"
DATA_DIR=$(cd "$DATA_DIR" && pwd)
PIDFILE=$DATA_DIR/oxigraph.pid
if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  echo "already running, pid $(cat "$PIDFILE")" >&2; exit 1
fi
if (exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null; then echo "port $PORT already in use" >&2; exit 1; fi
ARGS=(serve --location "$DATA_DIR/oxigraph" --bind "127.0.0.1:$PORT")
[ "${OX_UNION:-0}" = 1 ] && ARGS+=(--union-default-graph)
[ -n "${OX_TIMEOUT_S:-}" ] && ARGS+=(--timeout-s "$OX_TIMEOUT_S")
T0=$(date +%s.%N)
nohup "$BIN" "${ARGS[@]}" > "$DATA_DIR/oxigraph.log" 2>&1 < /dev/null &
PID=$!
echo "$PID" > "$PIDFILE"
fail() {
  echo "$1" >&2; tail -20 "$DATA_DIR/oxigraph.log" >&2 || true
  kill -TERM "$PID" 2>/dev/null || true; rm -f "$PIDFILE"; exit 1
}
deadline=$(( $(date +%s) + ${OX_READY_TIMEOUT:-120} ))
while :; do
  kill -0 "$PID" 2>/dev/null || fail "oxigraph exited during start-up:"
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/query?query=ASK%7B%7D" || true)
  [ "$code" = 200 ] && break
  [ "$(date +%s)" -lt "$deadline" ] || fail "oxigraph not ready; see $DATA_DIR/oxigraph.log"
  sleep 0.1
done
T1=$(date +%s.%N)
cat <<EOF
oxigraph pid $PID ready in $(awk "BEGIN{printf \"%.1f\", $T1-$T0}")s (data dir $DATA_DIR/oxigraph)
SPARQL query:  http://127.0.0.1:$PORT/query
SPARQL update: http://127.0.0.1:$PORT/update
Graph Store:   http://127.0.0.1:$PORT/store?graph=GRAPH
ENDPOINT=http://127.0.0.1:$PORT/query
EOF
