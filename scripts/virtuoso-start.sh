#!/usr/bin/env bash
# Start a private Virtuoso 7 (Debian package virtuoso-opensource) on 127.0.0.1 only, with a fresh or
# existing database in DATA_DIR.  Adapted from the project's triplestore research notes.
#
# usage: scripts/virtuoso-start.sh DATA_DIR [HTTP_PORT=28890] [SQL_PORT=21111]
# env:   VIRT_DBA_PASSWORD  dba password (default dba; set on first start)
#        VIRT_USER / VIRT_PASSWORD  account with SPARQL_UPDATE (default kg / kgpass) for
#                           /sparql-auth and /sparql-graph-crud-auth (HTTP Digest auth only)
#        VIRT_ANON_UPDATE=1 also let the anonymous /sparql run SPARQL Update (loopback tests only)
#        VIRT_LOAD_DIRS     extra comma-separated dirs for isql ld_dir()/file_to_string (default /tmp)
#        VIRT_BUFFERS       NumberOfBuffers (8 KiB pages; default 170000 ~ 1.3 GiB)
#        VIRT_MAX_ROWS      [SPARQL] ResultSetMaxRows (default 1000000)
#        VIRT_QUERY_TIMEOUT [SPARQL] MaxQueryExecutionTime in s (default 0 = none)
#        VIRT_TXN_LIMIT     [Parameters] TransactionAfterImageLimit in bytes (default 1000000000)
#        VIRT_READY_TIMEOUT seconds to wait for readiness (default 120)
# prints: the endpoint URLs, last line ENDPOINT=...; pid in DATA_DIR/virtuoso.pid, log DATA_DIR/virtuoso.log
# install: scripts/install-servers.sh   (apt-get install virtuoso-opensource, ~8 s)
# stop:    scripts/virtuoso-stop.sh DATA_DIR
#
# Why these ini settings differ from Debian's (each silently corrupts results otherwise):
#   ResultSetMaxRows 10000 -> 1000000   the default truncates SELECT results with 200 OK
#   MaxQueryCostEstimationTime 400 -> 0 with 400, INSERT DATA stores integral xsd:decimal as xsd:integer
#   MaxQueryExecutionTime 60 -> 0       the default returns partial "anytime" results
#   TransactionAfterImageLimit 50 MB -> 1 GB  one SPARQL Update replacing a graph of a few hundred
#                                       thousand triples fails with "SR325: Transaction aborted
#                                       because it's log after image size went above the limit"
set -euo pipefail
DATA_DIR=${1:?usage: virtuoso-start.sh DATA_DIR [HTTP_PORT] [SQL_PORT]}
HTTP_PORT=${2:-28890}
SQL_PORT=${3:-21111}
DBA_PW=${VIRT_DBA_PASSWORD:-dba}
APP_USER=${VIRT_USER:-kg}
APP_PW=${VIRT_PASSWORD:-kgpass}
BUFFERS=${VIRT_BUFFERS:-170000}
DIRTY=$(( BUFFERS * 3 / 4 ))
MAXROWS=${VIRT_MAX_ROWS:-1000000}
QTIMEOUT=${VIRT_QUERY_TIMEOUT:-0}
TXN_LIMIT=${VIRT_TXN_LIMIT:-1000000000}
READY_TIMEOUT=${VIRT_READY_TIMEOUT:-120}
LOAD_DIRS=${VIRT_LOAD_DIRS:-/tmp}

command -v virtuoso-t >/dev/null || { echo "virtuoso-t not found: run scripts/install-servers.sh (apt-get install -y virtuoso-opensource)" >&2; exit 2; }
command -v isql-vt >/dev/null || { echo "isql-vt not found: apt-get install -y virtuoso-opensource" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl not found (needed for the readiness check): apt-get install -y curl" >&2; exit 2; }
mkdir -p "$DATA_DIR"
DATA_DIR=$(cd "$DATA_DIR" && pwd)
PIDFILE=$DATA_DIR/virtuoso.pid
if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  echo "already running, pid $(cat "$PIDFILE")" >&2; exit 1
fi
for p in "$HTTP_PORT" "$SQL_PORT"; do
  if (exec 3<>/dev/tcp/127.0.0.1/"$p") 2>/dev/null; then echo "port $p already in use" >&2; exit 1; fi
done
# The HTTP server needs some ServerRoot; Debian's exists once the package is installed.
SERVER_ROOT=/var/lib/virtuoso-opensource-7/vsp
[ -d "$SERVER_ROOT" ] || { SERVER_ROOT=$DATA_DIR/vsp; mkdir -p "$SERVER_ROOT"; }

cat > "$DATA_DIR/virtuoso.ini" <<EOF
[Database]
DatabaseFile       = $DATA_DIR/virtuoso.db
ErrorLogFile       = $DATA_DIR/virtuoso.log
LockFile           = $DATA_DIR/virtuoso.lck
TransactionFile    = $DATA_DIR/virtuoso.trx
xa_persistent_file = $DATA_DIR/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = $DATA_DIR/virtuoso-temp.db
TransactionFile    = $DATA_DIR/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort               = 127.0.0.1:$SQL_PORT
LiteMode                 = 0
DisableUnixSocket        = 1
DisableTcpSocket         = 0
MaxClientConnections     = 20
CheckpointInterval       = 60
O_DIRECT                 = 0
CaseMode                 = 2
MaxStaticCursorRows      = 5000
CheckpointAuditTrail     = 0
AllowOSCalls             = 0
SchedulerInterval        = 10
DirsAllowed              = ., $DATA_DIR, $LOAD_DIRS
ThreadCleanupInterval    = 0
ThreadThreshold          = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize        = 100000
SingleCPU                = 0
PrefixResultNames        = 0
RdfFreeTextRulesSize     = 100
IndexTreeMaps            = 64
MaxQueryMem              = 2G
VectorSize               = 1000
MaxVectorSize            = 1000000
AdjustVectorSize         = 0
ThreadsPerQuery          = 2
AsyncQueueMaxThreads     = 10
NumberOfBuffers          = $BUFFERS
MaxDirtyBuffers          = $DIRTY
TransactionAfterImageLimit = $TXN_LIMIT

[HTTPServer]
ServerPort                  = 127.0.0.1:$HTTP_PORT
ServerRoot                  = $SERVER_ROOT
MaxClientConnections        = 20
DavRoot                     = DAV
EnabledDavVSP               = 0
HTTPProxyEnabled            = 0
TempASPXDir                 = 0
DefaultMailServer           = localhost:25
ServerThreads               = 20
MaxKeepAlives               = 10
KeepAliveTimeout            = 10
MaxCachedProxyConnections   = 10
ProxyConnectionCacheTimeout = 15
HTTPThreadSize              = 280000
HttpPrintWarningsInOutput   = 0
Charset                     = UTF-8
MaintenancePage             = atomic.html
EnabledGzipContent          = 1

[AutoRepair]
BadParentLinks = 0

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT  = 0
SQL_TXN_TIMEOUT    = 0

[VDB]
ArrayOptimization           = 0
NumArrayParameters          = 10
VDBDisconnectTimeout        = 1000
KeepConnectionOnFixedThread = 0

[Replication]
ServerName   = db
ServerEnable = 1
QueueMax     = 50000

[Zero Config]
ServerName = virtuoso-$HTTP_PORT

[URIQA]
DynamicLocal = 0
DefaultHost  = 127.0.0.1:$HTTP_PORT

[SPARQL]
ResultSetMaxRows           = $MAXROWS
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = $QTIMEOUT
DefaultQuery               = select distinct ?Concept where {[] a ?Concept} LIMIT 100
DeferInferenceRulesInit    = 0
EOF

T0=$(date +%s.%N)
cd "$DATA_DIR"
# +foreground keeps virtuoso-t as our direct child, so $! is the server's own pid (stop by that pid).
nohup virtuoso-t +foreground +configfile "$DATA_DIR/virtuoso.ini" > "$DATA_DIR/virtuoso.stdout" 2>&1 < /dev/null &
PID=$!
echo "$PID" > "$PIDFILE"

fail() {  # give up: stop the half-started server by its pid so no orphan keeps the ports
  echo "$1" >&2
  tail -20 "$DATA_DIR/virtuoso.log" >&2 2>/dev/null || true
  kill -TERM "$PID" 2>/dev/null || true
  rm -f "$PIDFILE"
  exit 1
}

ready=""
deadline=$(( $(date +%s) + READY_TIMEOUT ))
while [ "$(date +%s)" -lt "$deadline" ]; do
  kill -0 "$PID" 2>/dev/null || fail "virtuoso exited during start-up; tail of $DATA_DIR/virtuoso.log:"
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/sparql?query=ASK%7B%7D" || true)
  if [ "$code" = 200 ]; then ready=1; break; fi
  sleep 0.2
done
[ -n "$ready" ] || fail "virtuoso not ready after ${READY_TIMEOUT}s; tail of $DATA_DIR/virtuoso.log:"

# isql-vt exits 0 even when a statement fails, so look for its error marker in the output.
ISQL() {
  isql-vt "127.0.0.1:$SQL_PORT" dba "$1" "exec=$2" > "$DATA_DIR/isql-init.log" 2>&1 || true
  if grep -q '\*\*\* Error' "$DATA_DIR/isql-init.log"; then
    cat "$DATA_DIR/isql-init.log" >&2; fail "isql initialisation failed"
  fi
}
if [ ! -f "$DATA_DIR/.kg-initialised" ]; then
  if [ "$DBA_PW" != dba ]; then ISQL dba "USER_SET_PASSWORD('dba', '$DBA_PW');"; fi
  ISQL "$DBA_PW" "DB.DBA.USER_CREATE('$APP_USER', '$APP_PW'); GRANT SPARQL_SELECT TO \"$APP_USER\"; GRANT SPARQL_UPDATE TO \"$APP_USER\";"
  if [ "${VIRT_ANON_UPDATE:-0}" = 1 ]; then
    ISQL "$DBA_PW" "GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET('nobody', 7);"
  fi
  touch "$DATA_DIR/.kg-initialised"
fi
T1=$(date +%s.%N)

cat <<EOF
virtuoso pid $PID ready in $(awk "BEGIN{printf \"%.1f\", $T1-$T0}")s (data dir $DATA_DIR)
SPARQL query (anonymous, read-only): http://127.0.0.1:$HTTP_PORT/sparql
SPARQL query/update (digest auth $APP_USER): http://127.0.0.1:$HTTP_PORT/sparql-auth
Graph Store Protocol (digest auth $APP_USER): http://127.0.0.1:$HTTP_PORT/sparql-graph-crud-auth?graph-uri=GRAPH
isql: isql-vt 127.0.0.1:$SQL_PORT dba <password>
ENDPOINT=http://127.0.0.1:$HTTP_PORT/sparql
EOF
