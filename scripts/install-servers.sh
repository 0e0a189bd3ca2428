#!/usr/bin/env bash
# Install the SPARQL servers the storage tests run against.  Idempotent, non-interactive.
#
#   Virtuoso 7 (Debian package virtuoso-opensource; needs root or sudo): skipped if virtuoso-t and its ODBC driver (libvirtodbc0) exist.
#   Oxigraph server: comes from the Python package 'oxigraph' (pip install oxigraph), no root needed;
#                    this script only reports whether it is on PATH / in the venv.
#
# usage: scripts/install-servers.sh
# env:   SKIP_VIRTUOSO=1  do not install Virtuoso
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null; then SUDO="sudo -E"; else SUDO=""; fi
fi

install_virtuoso() {
  # Both the server and its ODBC driver (libvirtodbc0: `load --bulk-dir` talks to the SQL port through it).
  if command -v virtuoso-t >/dev/null && compgen -G "/usr/lib/*/odbc/virtodbcu_r.so" >/dev/null; then
    echo "virtuoso-t already installed: $(command -v virtuoso-t), with its ODBC driver"
    return 0
  fi
  if [ "$(id -u)" != 0 ] && [ -z "$SUDO" ]; then
    echo "need root (or sudo) to apt-get install virtuoso-opensource" >&2
    return 1
  fi
  # Preseed the dba password so the package's postinst never prompts (it would only block a tty install).
  printf '%s\n' \
    "virtuoso-opensource-7 virtuoso-opensource-7/dba-password password dba" \
    "virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password dba" \
    | $SUDO debconf-set-selections
  local t0 t1
  t0=$(date +%s.%N)
  # apt-get update only when the package is not known yet (fresh CI images have empty lists).
  if ! apt-cache show virtuoso-opensource >/dev/null 2>&1; then
    $SUDO apt-get update -q
  fi
  # The package's postinst tries to start the system service; on images where policy-rc.d forbids
  # that it prints a harmless "Unable to set password" message.  We never use the system service
  # (it listens on all interfaces); scripts/virtuoso-start.sh runs a private instance instead.
  $SUDO apt-get install -y -q --no-install-recommends virtuoso-opensource
  t1=$(date +%s.%N)
  echo "virtuoso-opensource installed in $(awk "BEGIN{printf \"%.1f\", $t1-$t0}")s"
  # Should the postinst have started the system-wide service anyway, stop it: it binds 0.0.0.0:8890/1111.
  if command -v service >/dev/null && [ -x /etc/init.d/virtuoso-opensource-7 ]; then
    $SUDO service virtuoso-opensource-7 stop >/dev/null 2>&1 || true
  fi
  command -v virtuoso-t >/dev/null
  command -v isql-vt >/dev/null
}

report_oxigraph() {
  local here bin
  here=$(cd "$(dirname "$0")/.." && pwd)
  bin=${OXIGRAPH:-$(command -v oxigraph || true)}
  [ -z "$bin" ] && [ -x "$here/.venv/bin/oxigraph" ] && bin="$here/.venv/bin/oxigraph"
  if [ -n "$bin" ]; then
    echo "oxigraph server: $bin ($("$bin" --version 2>/dev/null || echo unknown version))"
  else
    echo "oxigraph server not found: pip install oxigraph   (PyPI package with the server binary)" >&2
  fi
}

install_curl() {
  # The start scripts poll the servers' HTTP endpoints with curl until they answer.
  command -v curl >/dev/null && return 0
  $SUDO apt-get update -q && $SUDO apt-get install -y -q --no-install-recommends curl
}

install_curl
if [ "${SKIP_VIRTUOSO:-0}" != 1 ]; then install_virtuoso; fi
report_oxigraph
